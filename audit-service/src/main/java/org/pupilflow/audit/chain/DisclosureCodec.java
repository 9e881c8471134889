package org.pupilflow.audit.chain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Canonical encoding of a disclosure row: {@code "PFAD"} and a version byte, then seq, chain id,
 * source offset, recorded-at (micros), then every {@link DisclosureRecord} field in declaration
 * order. See the module README for the byte-level layout.
 *
 * <p>Four versions, and the content decides which one a row gets, so that every row has exactly one
 * encoding:
 * <ul>
 *   <li><b>version 1</b>: a row with no {@code relatesTo} and no {@code retainUntil} (every row written
 *       before contract release 2, and every release-2 decision without them). Byte for byte the
 *       original layout, so rows stored before release 2 keep their hashes and still verify, and
 *       such rows are still written exactly as before;</li>
 *   <li><b>version 2</b>: the version-1 fields, then {@code relatesTo} (list) and {@code retainUntil}
 *       (optional date), for a row that has either. A version-2 row with neither is refused as
 *       malformed: it would be a second encoding of a version-1 row.</li>
 *   <li><b>version 3</b>: the version-2 fields, then the case-by-case request (contract release 3): request id,
 *       case reference, purpose (optional), requester (optional) and approvers (list), for a row that answers a
 *       request, and only for such a row.</li>
 *   <li><b>version 4</b>: the version-2 fields (even when empty), then whether the row answers a request (bool) and if
 *       so the version-3 request fields, then {@code pseudonymKeyVersion} (optional int32, never absent), for a row that
 *       has a key version (a pseudonymised recipient's decision from contract release 3 on). A version-4 row without one
 *       is refused as malformed.</li>
 * </ul>
 * The version byte is part of the hashed bytes, so which fields a hash covers is never ambiguous.
 */
public final class DisclosureCodec implements EntryCodec<DisclosureRecord> {

    public static final String MAGIC = "PFAD";
    /** The original layout: rows without release-2 fields. */
    public static final int VERSION_1 = 1;
    /** Version 1 plus {@code relatesTo} and {@code retainUntil}. */
    public static final int VERSION_2 = 2;
    /** Version 2 plus the case-by-case request. */
    public static final int VERSION_3 = 3;
    /** Version 2, the case-by-case request if any, and {@code pseudonymKeyVersion}. */
    public static final int VERSION_4 = 4;

    @Override
    public byte[] encode(ChainPosition position, DisclosureRecord r) {
        int version = r.hasPseudonymKeyVersion() ? VERSION_4 : r.hasRequest() ? VERSION_3 : r.hasRelease2Fields() ? VERSION_2 : VERSION_1;
        CanonicalWriter out = new CanonicalWriter()
                .magic(MAGIC, version)
                .int64(position.seq())
                .string(position.chainId())
                .int64(position.sourceOffset())
                .micros(position.recordedAt())
                .string(r.disclosureId())
                .string(r.upn())
                .bool(r.pseudonymised())
                .optionalString(r.pupilPseudonym())
                .optionalString(r.recipientKey())
                .string(r.recipientId())
                .string(r.outcome())
                .strings(r.fieldsDisclosed())
                .string(r.reason())
                .strings(r.objectionIds())
                .string(r.policyId())
                .string(r.policyVersion())
                .string(r.policyContentHash())
                .string(r.legalBasis())
                .string(r.returnId())
                .optionalDate(r.ageMeasuredOn())
                .optionalDate(r.deleteBy())
                .millis(r.decidedAt());
        if (version >= VERSION_2) {
            out.strings(r.relatesTo()).optionalDate(r.retainUntil());
        }
        if (version == VERSION_4) {
            out.bool(r.hasRequest());
        }
        if (r.hasRequest()) {
            CaseRequest request = r.request();
            out.string(request.requestId()).optionalString(request.caseReference()).optionalString(request.purpose())
                    .optionalString(request.requestedBy()).strings(request.approvedBy());
        }
        if (version == VERSION_4) {
            out.optionalInt32(r.pseudonymKeyVersion());
        }
        return out.toByteArray();
    }

    @Override
    public ChainEntry<DisclosureRecord> decode(byte[] canonical) {
        CanonicalReader in = new CanonicalReader(canonical);
        int version = in.expectMagicOf(MAGIC, VERSION_1, VERSION_4);
        try {
            long seq = in.int64();
            String chainId = in.string();
            long offset = in.int64();
            ChainPosition position = new ChainPosition(chainId, seq, offset, in.micros());
            String disclosureId = in.string();
            String upn = in.string();
            boolean pseudonymised = in.bool();
            String pupilPseudonym = in.optionalString();
            String recipientKey = in.optionalString();
            String recipientId = in.string();
            String outcome = in.string();
            List<String> fieldsDisclosed = in.strings();
            String reason = in.string();
            List<String> objectionIds = in.strings();
            String policyId = in.string();
            String policyVersion = in.string();
            String policyContentHash = in.string();
            String legalBasis = in.string();
            String returnId = in.string();
            LocalDate ageMeasuredOn = in.optionalDate();
            LocalDate deleteBy = in.optionalDate();
            Instant decidedAt = in.millis();
            List<String> relatesTo = List.of();
            LocalDate retainUntil = null;
            CaseRequest request = null;
            Integer pseudonymKeyVersion = null;
            if (version >= VERSION_2) {
                relatesTo = in.strings();
                retainUntil = in.optionalDate();
                if (version == VERSION_2 && relatesTo.isEmpty() && retainUntil == null) {
                    throw new MalformedCanonicalException("a row without relatesTo or retainUntil must be encoded as version 1");
                }
            }
            boolean answersRequest = version == VERSION_3 || (version == VERSION_4 && in.bool());
            if (answersRequest) {
                request = new CaseRequest(in.string(), in.optionalString(), in.optionalString(), in.optionalString(), in.strings());
            }
            if (version == VERSION_4) {
                pseudonymKeyVersion = in.optionalInt32();
                if (pseudonymKeyVersion == null) {
                    throw new MalformedCanonicalException("a row without pseudonymKeyVersion must be encoded as version 1, 2 or 3");
                }
            }
            in.expectEnd();
            return new ChainEntry<>(position, new DisclosureRecord(disclosureId, upn, pseudonymised, pupilPseudonym, recipientKey, recipientId,
                    outcome, fieldsDisclosed, reason, objectionIds, policyId, policyVersion, policyContentHash, legalBasis, returnId,
                    ageMeasuredOn, deleteBy, decidedAt, relatesTo, retainUntil, request, pseudonymKeyVersion));
        } catch (MalformedCanonicalException e) {
            // Which layout was being read is half of the diagnosis of a malformed row.
            throw new MalformedCanonicalException(MAGIC + " encoding version " + version + ": " + e.getMessage());
        }
    }
}
