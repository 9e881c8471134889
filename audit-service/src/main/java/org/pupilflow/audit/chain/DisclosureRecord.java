package org.pupilflow.audit.chain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * Every field of one {@code DisclosureEvent} (one sharing decision), in plain Java types.
 *
 * @param outcome          DISCLOSED, RESTRICTED or WITHHELD
 * @param fieldsDisclosed  census units sent; empty when withheld
 * @param decidedAt        when the router decided (millisecond precision, as on the wire)
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
        Instant decidedAt) {

    public DisclosureRecord {
        Objects.requireNonNull(disclosureId, "disclosureId");
        fieldsDisclosed = List.copyOf(fieldsDisclosed);
        objectionIds = List.copyOf(objectionIds);
    }
}
