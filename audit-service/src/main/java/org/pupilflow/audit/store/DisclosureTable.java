package org.pupilflow.audit.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;

import org.pupilflow.audit.chain.ChainPosition;
import org.pupilflow.audit.chain.DisclosureCodec;
import org.pupilflow.audit.chain.DisclosureRecord;
import org.pupilflow.audit.chain.EntryCodec;

/** The {@code disclosure} table: one row per sharing decision, unique by disclosure id. */
public final class DisclosureTable extends LedgerTable<DisclosureRecord> {

    static final String CONTENT_COLUMNS = "disclosure_id, upn, pseudonymised, pupil_pseudonym, recipient_key, recipient_id, outcome, "
            + "fields_disclosed, reason, objection_ids, policy_id, policy_version, policy_content_hash, legal_basis, return_id, "
            + "age_measured_on, delete_by, decided_at, relates_to, retain_until, pseudonym_key_version";

    private final DisclosureCodec codec = new DisclosureCodec();

    @Override
    public Ledger ledger() {
        return Ledger.DISCLOSURE;
    }

    @Override
    public String keyColumn() {
        return "disclosure_id";
    }

    @Override
    public String key(DisclosureRecord content) {
        return content.disclosureId();
    }

    @Override
    public EntryCodec<DisclosureRecord> codec() {
        return codec;
    }

    @Override
    String insertSql() {
        return "INSERT INTO disclosure (" + POSITION_COLUMNS + ", " + CONTENT_COLUMNS + ", canonical, hash) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    @Override
    void bindInsert(PreparedStatement ps, ChainPosition position, DisclosureRecord r, byte[] canonical, byte[] hash) throws SQLException {
        int i = 0;
        ps.setString(++i, position.chainId());
        ps.setLong(++i, position.seq());
        ps.setLong(++i, position.sourceOffset());
        setInstant(ps, ++i, position.recordedAt());
        ps.setString(++i, r.disclosureId());
        ps.setString(++i, r.upn());
        ps.setBoolean(++i, r.pseudonymised());
        ps.setString(++i, r.pupilPseudonym());
        ps.setString(++i, r.recipientKey());
        ps.setString(++i, r.recipientId());
        ps.setString(++i, r.outcome());
        setTextArray(ps, ++i, r.fieldsDisclosed());
        ps.setString(++i, r.reason());
        setTextArray(ps, ++i, r.objectionIds());
        ps.setString(++i, r.policyId());
        ps.setString(++i, r.policyVersion());
        ps.setString(++i, r.policyContentHash());
        ps.setString(++i, r.legalBasis());
        ps.setString(++i, r.returnId());
        ps.setObject(++i, r.ageMeasuredOn());
        ps.setObject(++i, r.deleteBy());
        setInstant(ps, ++i, r.decidedAt());
        setTextArray(ps, ++i, r.relatesTo());
        ps.setObject(++i, r.retainUntil());
        ps.setObject(++i, r.pseudonymKeyVersion(), java.sql.Types.INTEGER);
        ps.setBytes(++i, canonical);
        ps.setBytes(++i, hash);
    }

    @Override
    String selectColumns() {
        return POSITION_COLUMNS + ", " + CONTENT_COLUMNS + ", canonical, hash";
    }

    @Override
    DisclosureRecord mapContent(ResultSet rs) throws SQLException {
        return map(rs);
    }

    /** The decision in the current row of {@code rs} (which must have {@link #CONTENT_COLUMNS}). */
    static DisclosureRecord map(ResultSet rs) throws SQLException {
        return new DisclosureRecord(
                rs.getString("disclosure_id"),
                rs.getString("upn"),
                rs.getBoolean("pseudonymised"),
                rs.getString("pupil_pseudonym"),
                rs.getString("recipient_key"),
                rs.getString("recipient_id"),
                rs.getString("outcome"),
                textArray(rs, "fields_disclosed"),
                rs.getString("reason"),
                textArray(rs, "objection_ids"),
                rs.getString("policy_id"),
                rs.getString("policy_version"),
                rs.getString("policy_content_hash"),
                rs.getString("legal_basis"),
                rs.getString("return_id"),
                rs.getObject("age_measured_on", LocalDate.class),
                rs.getObject("delete_by", LocalDate.class),
                instant(rs, "decided_at"),
                textArray(rs, "relates_to"),
                rs.getObject("retain_until", LocalDate.class),
                rs.getObject("pseudonym_key_version", Integer.class));
    }

    @Override
    List<String> inconsistentDerivedColumns(ResultSet rs, DisclosureRecord content) {
        return List.of();
    }
}
