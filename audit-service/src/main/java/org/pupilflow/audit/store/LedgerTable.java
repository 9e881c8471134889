package org.pupilflow.audit.store;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import org.pupilflow.audit.chain.ChainPosition;
import org.pupilflow.audit.chain.EntryCodec;
import org.pupilflow.audit.chain.StoredRow;

/**
 * How one chained table is written and read: its columns, its canonical encoding and the natural
 * key that makes appending idempotent.
 */
public abstract sealed class LedgerTable<R> permits DisclosureTable, DeliveryTable {

    /** Columns every chained table starts with. */
    static final String POSITION_COLUMNS = "chain_id, seq, source_offset, recorded_at";

    public abstract Ledger ledger();

    public final String table() {
        return ledger().table();
    }

    /** The unique column that identifies an event, so the same event twice is stored once. */
    public abstract String keyColumn();

    public abstract String key(R content);

    public abstract EntryCodec<R> codec();

    /** {@code COPY <table> (<every column>) FROM STDIN (FORMAT csv)}, columns in {@link #copyRow} order. */
    abstract String copySql();

    /** One row's values for {@link #copySql}, in its column order. */
    abstract void copyRow(CopyRows row, ChainPosition position, R content, byte[] canonical, byte[] hash);

    /** Every column, for {@link #mapRow}. */
    abstract String selectColumns();

    abstract R mapContent(ResultSet rs) throws SQLException;

    /** Derived columns whose stored value differs from what the content gives. */
    abstract List<String> inconsistentDerivedColumns(ResultSet rs, R content) throws SQLException;

    public final StoredRow<R> mapRow(ResultSet rs) throws SQLException {
        ChainPosition position = new ChainPosition(rs.getString("chain_id"), rs.getLong("seq"), rs.getLong("source_offset"), instant(rs, "recorded_at"));
        R content = mapContent(rs);
        return new StoredRow<>(position, content, rs.getBytes("canonical"), rs.getBytes("hash"), inconsistentDerivedColumns(rs, content));
    }

    static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        ps.setObject(index, instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static List<String> textArray(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        if (array == null) {
            return null;
        }
        return Arrays.stream((Object[]) array.getArray()).map(String.class::cast).toList();
    }
}
