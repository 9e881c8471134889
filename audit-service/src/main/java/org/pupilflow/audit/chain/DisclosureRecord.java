package org.pupilflow.audit.chain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * Every field of one {@code DisclosureEvent} (one sharing decision, or what the router did about a
 * record the recipient already holds), in plain Java types.
 *
 * @param outcome          DISCLOSED, RESTRICTED, WITHHELD (a decision on a census record); UNCHANGED (nothing sent:
 *                         the recipient already holds this exact record, or an objection changed nothing it holds);
 *                         DELETION_REQUESTED (the recipient was asked to delete {@code relatesTo}); DELETION_DUE (the
 *                         delete-by date of {@code relatesTo} passed and the recipient was told)
 * @param fieldsDisclosed  census units sent; empty when withheld
 * @param decidedAt        when the router decided (millisecond precision, as on the wire)
 * @param relatesTo        the disclosures this event is about: the one the recipient already holds (UNCHANGED), or those
 *                         it was asked to delete (DELETION_REQUESTED) or told are past their delete-by date (DELETION_DUE);
 *                         empty otherwise (contract release 2)
 * @param retainUntil      the LA keeps this audit row at least until this date under a retention rule of its policy;
 *                         null when only the configured retention applies (contract release 2)
 * @param request          the case-by-case request the decision answers; null for the census flow (contract release 3)
 * @param pseudonymKeyVersion the version of the pseudonymisation master key the recipient's pseudonym was derived
 *                         from; null when the recipient is not pseudonymised, and before contract release 3
 */
public record DisclosureRecord(
        String disclosureId,
        String upn,
        boolean pseudonymised,
        String pupilPseudonym,
        String recipientKey,
        String recipientId,
        String outcome,
        List<String> fieldsDisclosed,
        String reason,
        List<String> objectionIds,
        String policyId,
        String policyVersion,
        String policyContentHash,
        String legalBasis,
        String returnId,
        LocalDate ageMeasuredOn,
        LocalDate deleteBy,
        Instant decidedAt,
        List<String> relatesTo,
        LocalDate retainUntil,
        CaseRequest request,
        Integer pseudonymKeyVersion) {

    public DisclosureRecord {
        Objects.requireNonNull(disclosureId, "disclosureId");
        fieldsDisclosed = List.copyOf(fieldsDisclosed);
        objectionIds = List.copyOf(objectionIds);
        relatesTo = List.copyOf(relatesTo);
    }

    /** A decision with neither of the fields contract release 2 added: what every event of release 1 was. */
    public DisclosureRecord(String disclosureId, String upn, boolean pseudonymised, String pupilPseudonym, String recipientKey, String recipientId,
                            String outcome, List<String> fieldsDisclosed, String reason, List<String> objectionIds, String policyId,
                            String policyVersion, String policyContentHash, String legalBasis, String returnId, LocalDate ageMeasuredOn,
                            LocalDate deleteBy, Instant decidedAt) {
        this(disclosureId, upn, pseudonymised, pupilPseudonym, recipientKey, recipientId, outcome, fieldsDisclosed, reason, objectionIds, policyId,
                policyVersion, policyContentHash, legalBasis, returnId, ageMeasuredOn, deleteBy, decidedAt, List.of(), null, null, null);
    }

    /** A row of contract release 2: no case-by-case request, no pseudonym key version. */
    public DisclosureRecord(String disclosureId, String upn, boolean pseudonymised, String pupilPseudonym, String recipientKey, String recipientId,
                            String outcome, List<String> fieldsDisclosed, String reason, List<String> objectionIds, String policyId,
                            String policyVersion, String policyContentHash, String legalBasis, String returnId, LocalDate ageMeasuredOn,
                            LocalDate deleteBy, Instant decidedAt, List<String> relatesTo, LocalDate retainUntil) {
        this(disclosureId, upn, pseudonymised, pupilPseudonym, recipientKey, recipientId, outcome, fieldsDisclosed, reason, objectionIds, policyId,
                policyVersion, policyContentHash, legalBasis, returnId, ageMeasuredOn, deleteBy, decidedAt, relatesTo, retainUntil, null, null);
    }

    /** A row answering a case-by-case request, without a pseudonym key version. */
    public DisclosureRecord(String disclosureId, String upn, boolean pseudonymised, String pupilPseudonym, String recipientKey, String recipientId,
                            String outcome, List<String> fieldsDisclosed, String reason, List<String> objectionIds, String policyId,
                            String policyVersion, String policyContentHash, String legalBasis, String returnId, LocalDate ageMeasuredOn,
                            LocalDate deleteBy, Instant decidedAt, List<String> relatesTo, LocalDate retainUntil, CaseRequest request) {
        this(disclosureId, upn, pseudonymised, pupilPseudonym, recipientKey, recipientId, outcome, fieldsDisclosed, reason, objectionIds, policyId,
                policyVersion, policyContentHash, legalBasis, returnId, ageMeasuredOn, deleteBy, decidedAt, relatesTo, retainUntil, request, null);
    }

    /** A pseudonymised census-flow row with its pseudonym key version. */
    public DisclosureRecord(String disclosureId, String upn, boolean pseudonymised, String pupilPseudonym, String recipientKey, String recipientId,
                            String outcome, List<String> fieldsDisclosed, String reason, List<String> objectionIds, String policyId,
                            String policyVersion, String policyContentHash, String legalBasis, String returnId, LocalDate ageMeasuredOn,
                            LocalDate deleteBy, Instant decidedAt, List<String> relatesTo, LocalDate retainUntil, Integer pseudonymKeyVersion) {
        this(disclosureId, upn, pseudonymised, pupilPseudonym, recipientKey, recipientId, outcome, fieldsDisclosed, reason, objectionIds, policyId,
                policyVersion, policyContentHash, legalBasis, returnId, ageMeasuredOn, deleteBy, decidedAt, relatesTo, retainUntil, null, pseudonymKeyVersion);
    }

    /** True when the row answers a case-by-case request (contract release 3): canonical encoding version 3, or 4 with a key version. */
    public boolean hasRequest() {
        return request != null;
    }

    /** True when the row carries a pseudonym key version (contract release 3), so its canonical encoding must be version 4. */
    public boolean hasPseudonymKeyVersion() {
        return pseudonymKeyVersion != null;
    }

    /** True when the row carries a field of contract release 2, so its canonical encoding must be at least version 2. */
    public boolean hasRelease2Fields() {
        return !relatesTo.isEmpty() || retainUntil != null;
    }
}
