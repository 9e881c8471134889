package org.pupilflow.audit.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.pupilflow.audit.chain.ChainHash;
import org.pupilflow.audit.chain.ChainPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends a batch of events to their chains in one database transaction. For each chain in the
 * batch (in a fixed order, so concurrent writers cannot deadlock) the head row is locked
 * ({@code SELECT ... FOR UPDATE}); events already stored, or repeated within the batch, are
 * skipped before sequence numbers are assigned, so a duplicate never takes one; each new row gets
 * the next sequence number, its canonical bytes and {@code hash = SHA-256(previous || canonical)};
 * the rows are appended with one {@code COPY} and the heads advanced. Either all of it commits or none.
 *
 * <p>The unique key is the backstop: if a concurrent writer stored the same event between the
 * duplicate check and the insert (possible only while a partition moves between consumers), the
 * insert fails, the transaction rolls back and the batch is tried again, so no sequence number is
 * ever left unused.
 */
@Component
public class LedgerWriter {

    private static final Logger log = LoggerFactory.getLogger(LedgerWriter.class);
    private static final int ATTEMPTS_ON_CONCURRENT_DUPLICATE = 3;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public LedgerWriter(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    public <R> AppendResult append(LedgerTable<R> table, List<Incoming<R>> batch) {
        if (batch.isEmpty()) {
            return new AppendResult(0, 0);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(status -> appendInTransaction(table, batch));
            } catch (DuplicateKeyException e) {
                if (attempt == ATTEMPTS_ON_CONCURRENT_DUPLICATE) {
                    throw e;
                }
                log.info("Another writer stored some of this batch concurrently; retrying ({})", e.getMostSpecificCause().getMessage());
            }
        }
    }

    private <R> AppendResult appendInTransaction(LedgerTable<R> table, List<Incoming<R>> batch) {
        Instant recordedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Map<String, List<Incoming<R>>> byChain = new TreeMap<>();
        for (Incoming<R> incoming : batch) {
            byChain.computeIfAbsent(incoming.chainId(), chain -> new ArrayList<>()).add(incoming);
        }
        Map<String, Head> heads = lockHeads(table.ledger(), byChain.keySet(), recordedAt);
        Set<String> stored = existingKeys(table, batch);

        Set<String> seen = new HashSet<>();
        List<Row<R>> rows = new ArrayList<>(batch.size());
        Map<String, Head> advanced = new LinkedHashMap<>();
        int duplicates = 0;
        for (Map.Entry<String, List<Incoming<R>>> chain : byChain.entrySet()) {
            Head head = heads.get(chain.getKey());
            long seq = head.seq();
            byte[] previous = head.hash();
            for (Incoming<R> incoming : chain.getValue()) {
                String key = table.key(incoming.content());
                if (stored.contains(key) || !seen.add(key)) {
                    duplicates++;
                    continue;
                }
                ChainPosition position = new ChainPosition(chain.getKey(), ++seq, incoming.sourceOffset(), recordedAt);
                byte[] canonical = table.codec().encode(position, incoming.content());
                byte[] hash = ChainHash.link(previous, canonical);
                rows.add(new Row<>(position, incoming.content(), canonical, hash));
                previous = hash;
            }
            if (seq != head.seq()) {
                advanced.put(chain.getKey(), new Head(seq, previous));
            }
        }
        if (!rows.isEmpty()) {
            copy(table, rows);
            jdbc.batchUpdate("UPDATE chain_head SET seq = ?, hash = ?, updated_at = ? WHERE chain_id = ?", new ArrayList<>(advanced.entrySet()),
                    advanced.size(), (ps, entry) -> {
                        ps.setLong(1, entry.getValue().seq());
                        ps.setBytes(2, entry.getValue().hash());
                        LedgerTable.setInstant(ps, 3, recordedAt);
                        ps.setString(4, entry.getKey());
                    });
        }
        return new AppendResult(rows.size(), duplicates);
    }

    /**
     * Appends the rows with one {@code COPY} in the batch's transaction: one statement for the whole batch instead of an
     * {@code INSERT} per row (what made the audit the slowest stage). Constraints and indexes apply as to an insert; a
     * row whose key another writer stored meanwhile fails the COPY with a unique violation, which the JDBC template
     * translates into the {@link DuplicateKeyException} that {@link #append} retries on.
     */
    private <R> void copy(LedgerTable<R> table, List<Row<R>> rows) {
        CopyRows text = new CopyRows();
        for (Row<R> row : rows) {
            table.copyRow(text, row.position(), row.content(), row.canonical(), row.hash());
            text.endRow();
        }
        byte[] data = text.toBytes();
        Long copied = jdbc.execute((ConnectionCallback<Long>) connection -> {
            CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(table.copySql());
            try {
                in.writeToCopy(data, 0, data.length);
                return in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        });
        if (copied == null || copied != rows.size()) {
            throw new IllegalStateException("COPY into " + table.table() + " stored " + copied + " rows of " + rows.size());
        }
    }

    /** Creates missing heads, then locks all of them in chain id order. */
    private Map<String, Head> lockHeads(Ledger ledger, Set<String> chainIds, Instant now) {
        List<String> ids = new ArrayList<>(chainIds);
        jdbc.batchUpdate("INSERT INTO chain_head (chain_id, ledger, seq, hash, updated_at) VALUES (?, ?, 0, ?, ?) ON CONFLICT (chain_id) DO NOTHING",
                ids, ids.size(), (ps, id) -> {
                    ps.setString(1, id);
                    ps.setString(2, ledger.table());
                    ps.setBytes(3, ChainHash.genesis());
                    LedgerTable.setInstant(ps, 4, now);
                });
        Map<String, Head> heads = new HashMap<>();
        jdbc.query(connection -> {
            PreparedStatement ps = connection.prepareStatement(
                    "SELECT chain_id, ledger, seq, hash FROM chain_head WHERE chain_id = ANY (?) ORDER BY chain_id FOR UPDATE");
            ps.setArray(1, connection.createArrayOf("text", ids.toArray()));
            return ps;
        }, rs -> {
            if (!ledger.table().equals(rs.getString("ledger"))) {
                throw new IllegalStateException("chain " + rs.getString("chain_id") + " belongs to ledger " + rs.getString("ledger") + ", not " + ledger.table());
            }
            heads.put(rs.getString("chain_id"), new Head(rs.getLong("seq"), rs.getBytes("hash")));
        });
        return heads;
    }

    private <R> Set<String> existingKeys(LedgerTable<R> table, List<Incoming<R>> batch) {
        Object[] keys = batch.stream().map(incoming -> table.key(incoming.content())).distinct().toArray();
        Set<String> existing = new HashSet<>();
        jdbc.query(connection -> {
            PreparedStatement ps = connection.prepareStatement(
                    "SELECT " + table.keyColumn() + " FROM " + table.table() + " WHERE " + table.keyColumn() + " = ANY (?)");
            ps.setArray(1, textArray(connection, keys));
            return ps;
        }, rs -> {
            existing.add(rs.getString(1));
        });
        return existing;
    }

    private static Array textArray(Connection connection, Object[] values) throws java.sql.SQLException {
        return connection.createArrayOf("text", values);
    }

    private record Head(long seq, byte[] hash) {
    }

    private record Row<R>(ChainPosition position, R content, byte[] canonical, byte[] hash) {
    }
}
