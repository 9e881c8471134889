package org.pupilflow.audit.store;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.pupilflow.audit.chain.Erasure;
import org.pupilflow.audit.chain.StoredRow;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Reads chains back for verification and anchoring, and writes erasure checkpoints for retention. */
@Component
public class ChainStore {

    private static final int FETCH_SIZE = 1_000;

    private final JdbcTemplate jdbc;

    public ChainStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A chain's head record: the last sequence number it used and that row's hash. */
    public record HeadRow(String chainId, Ledger ledger, long seq, byte[] hash, Instant updatedAt) {
    }

    public List<HeadRow> heads() {
        return jdbc.query("SELECT chain_id, ledger, seq, hash, updated_at FROM chain_head ORDER BY chain_id",
                (rs, n) -> new HeadRow(rs.getString("chain_id"), Ledger.valueOf(rs.getString("ledger").toUpperCase(java.util.Locale.ROOT)),
                        rs.getLong("seq"), rs.getBytes("hash"), LedgerTable.instant(rs, "updated_at")));
    }

    /** Every chain id of a ledger: from its head records and from its rows (rows without a head are themselves a finding). */
    public List<String> chainIds(Ledger ledger) {
        TreeSet<String> ids = new TreeSet<>(jdbc.queryForList("SELECT chain_id FROM chain_head WHERE ledger = ?", String.class, ledger.table()));
        ids.addAll(jdbc.queryForList("SELECT DISTINCT chain_id FROM " + ledger.table(), String.class));
        return new ArrayList<>(ids);
    }

    public List<Erasure> erasures(String chainId) {
        return jdbc.query("SELECT chain_id, first_seq, last_seq, last_hash, erased_at, rule, signature FROM chain_erasure WHERE chain_id = ? ORDER BY first_seq",
                (rs, n) -> new Erasure(rs.getString("chain_id"), rs.getLong("first_seq"), rs.getLong("last_seq"), rs.getBytes("last_hash"),
                        LedgerTable.instant(rs, "erased_at"), rs.getString("rule"), rs.getBytes("signature")), chainId);
    }

    /**
     * Streams the rows of a chain after {@code afterSeq} in sequence order to {@code consumer} until it returns false.
     * Call inside a transaction, so the driver fetches in pages instead of loading the whole chain.
     */
    public <R> void forEachRow(LedgerTable<R> table, String chainId, long afterSeq, Predicate<StoredRow<R>> consumer) {
        try {
            jdbc.query(connection -> {
                PreparedStatement ps = connection.prepareStatement("SELECT " + table.selectColumns() + " FROM " + table.table()
                        + " WHERE chain_id = ? AND seq > ? ORDER BY seq");
                ps.setFetchSize(FETCH_SIZE);
                ps.setString(1, chainId);
                ps.setLong(2, afterSeq);
                return ps;
            }, rs -> {
                if (!consumer.test(table.mapRow(rs))) {
                    throw new StopReading();
                }
            });
        } catch (StopReading stop) {
            // the consumer has seen enough
        }
    }

    public Optional<byte[]> hashAt(Ledger ledger, String chainId, long seq) {
        return jdbc.query("SELECT hash FROM " + ledger.table() + " WHERE chain_id = ? AND seq = ?", (rs, n) -> rs.getBytes(1), chainId, seq)
                .stream().findFirst();
    }

    public void insertErasure(Erasure erasure) {
        jdbc.update("INSERT INTO chain_erasure (chain_id, first_seq, last_seq, last_hash, erased_at, rule, signature) VALUES (?, ?, ?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, erasure.chainId());
            ps.setLong(2, erasure.firstSeq());
            ps.setLong(3, erasure.lastSeq());
            ps.setBytes(4, erasure.lastHash());
            LedgerTable.setInstant(ps, 5, erasure.erasedAt());
            ps.setString(6, erasure.rule());
            ps.setBytes(7, erasure.signature());
        });
    }

    /** Deletes rows {@code firstSeq..lastSeq}; the database refuses unless an erasure checkpoint covering them exists. */
    public int deleteRange(Ledger ledger, String chainId, long firstSeq, long lastSeq) {
        return jdbc.update("DELETE FROM " + ledger.table() + " WHERE chain_id = ? AND seq BETWEEN ? AND ?", chainId, firstSeq, lastSeq);
    }

    private static final class StopReading extends RuntimeException {
        StopReading() {
            super(null, null, false, false);
        }
    }
}
