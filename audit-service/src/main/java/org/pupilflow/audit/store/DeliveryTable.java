package org.pupilflow.audit.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import org.pupilflow.audit.chain.ChainPosition;
import org.pupilflow.audit.chain.DeliveryCodec;
import org.pupilflow.audit.chain.DeliveryRecord;
import org.pupilflow.audit.chain.EntryCodec;

/**
 * The {@code delivery} table: one row per delivery receipt. A receipt has no id of its own, so it
 * is unique by {@code receipt_key}, the SHA-256 of its content.
 */
public final class DeliveryTable extends LedgerTable<DeliveryRecord> {

    static final String CONTENT_COLUMNS = "disclosure_id, recipient_id, channel, outcome, attempts, detail, delivered_at";

    private final DeliveryCodec codec = new DeliveryCodec();

    @Override
    public Ledger ledger() {
        return Ledger.DELIVERY;
    }

    @Override
    public String keyColumn() {
        return "receipt_key";
    }

    @Override
    public String key(DeliveryRecord content) {
        return DeliveryCodec.receiptKey(content);
    }

    @Override
    public EntryCodec<DeliveryRecord> codec() {
        return codec;
    }

    @Override
    String copySql() {
        return "COPY delivery (" + POSITION_COLUMNS + ", receipt_key, " + CONTENT_COLUMNS + ", canonical, hash) FROM STDIN (FORMAT csv)";
    }

    @Override
    void copyRow(CopyRows row, ChainPosition position, DeliveryRecord r, byte[] canonical, byte[] hash) {
        row.text(position.chainId()).number(position.seq()).number(position.sourceOffset()).timestamp(position.recordedAt())
                .text(key(r)).text(r.disclosureId()).text(r.recipientId()).text(r.channel()).text(r.outcome()).number(r.attempts())
                .text(r.detail()).timestamp(r.deliveredAt()).bytes(canonical).bytes(hash);
    }

    @Override
    String selectColumns() {
        return POSITION_COLUMNS + ", receipt_key, " + CONTENT_COLUMNS + ", canonical, hash";
    }

    @Override
    DeliveryRecord mapContent(ResultSet rs) throws SQLException {
        return map(rs);
    }

    static DeliveryRecord map(ResultSet rs) throws SQLException {
        return new DeliveryRecord(rs.getString("disclosure_id"), rs.getString("recipient_id"), rs.getString("channel"), rs.getString("outcome"),
                rs.getInt("attempts"), rs.getString("detail"), instant(rs, "delivered_at"));
    }

    @Override
    List<String> inconsistentDerivedColumns(ResultSet rs, DeliveryRecord content) throws SQLException {
        return key(content).equals(rs.getString("receipt_key")) ? List.of() : List.of("receipt_key");
    }
}
