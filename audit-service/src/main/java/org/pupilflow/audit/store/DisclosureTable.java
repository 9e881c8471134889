package org.pupilflow.audit.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;

import org.pupilflow.audit.chain.CaseRequest;
import org.pupilflow.audit.chain.ChainPosition;
import org.pupilflow.audit.chain.DisclosureCodec;
import org.pupilflow.audit.chain.DisclosureRecord;
import org.pupilflow.audit.chain.EntryCodec;

/** The {@code disclosure} table: one row per sharing decision, unique by disclosure id. */
public final class DisclosureTable extends LedgerTable<DisclosureRecord> {

    static final String CONTENT_COLUMNS = "disclosure_id, upn, pseudonymised, pupil_pseudonym, recipient_key, recipient_id, outcome, "
            + "fields_disclosed, reason, objection_ids, policy_id, policy_version, policy_content_hash, legal_basis, return_id, "
            + "age_measured_on, delete_by, decided_at, relates_to, retain_until, request_id, case_reference, request_purpose, requested_by, approved_by, pseudonym_key_version";

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
    String copySql() {
        return "COPY disclosure (" + POSITION_COLUMNS + ", " + CONTENT_COLUMNS + ", canonical, hash) FROM STDIN (FORMAT csv)";
    }

    @Override
    void copyRow(CopyRows row, ChainPosition position, DisclosureRecord r, byte[] canonical, byte[] hash) {
        CaseRequest request = r.request();
        row.text(position.chainId()).number(position.seq()).number(position.sourceOffset()).timestamp(position.recordedAt())
                .text(r.disclosureId()).text(r.upn()).bool(r.pseudonymised()).text(r.pupilPseudonym()).text(r.recipientKey())
                .text(r.recipientId()).text(r.outcome()).textArray(r.fieldsDisclosed()).text(r.reason()).textArray(r.objectionIds())
                .text(r.policyId()).text(r.policyVersion()).text(r.policyContentHash()).text(r.legalBasis()).text(r.returnId())
                .date(r.ageMeasuredOn()).date(r.deleteBy()).timestamp(r.decidedAt()).textArray(r.relatesTo()).date(r.retainUntil())
                .text(request == null ? null : request.requestId()).text(request == null ? null : request.caseReference())
                .text(request == null ? null : request.purpose()).text(request == null ? null : request.requestedBy())
                .textArray(request == null ? List.of() : request.approvedBy())
                .integer(r.pseudonymKeyVersion())
                .bytes(canonical).bytes(hash);
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
                rs.getString("request_id") == null ? null : new CaseRequest(rs.getString("request_id"), rs.getString("case_reference"),
                        rs.getString("request_purpose"), rs.getString("requested_by"), textArray(rs, "approved_by")),
                rs.getObject("pseudonym_key_version", Integer.class));
    }

    @Override
    List<String> inconsistentDerivedColumns(ResultSet rs, DisclosureRecord content) {
        return List.of();
    }
}
