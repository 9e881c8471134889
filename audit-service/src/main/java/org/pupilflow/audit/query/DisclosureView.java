package org.pupilflow.audit.query;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** One sharing decision as the Data Protection Officer sees it, with what was done to deliver it. */
public record DisclosureView(
        String disclosureId,
        String upn,
        String recipientId,
        String outcome,
        List<String> fieldsDisclosed,
        String reason,
        List<String> objectionIds,
        String legalBasis,
        String policyId,
        String policyVersion,
        String policyContentHash,
        String returnId,
        Instant decidedAt,
        LocalDate ageMeasuredOn,
        LocalDate deleteBy,
        boolean pseudonymised,
        String pupilPseudonym,
        Instant recordedAt,
        List<DeliveryView> deliveries) {

    /** One delivery receipt. */
    public record DeliveryView(String channel, String outcome, int attempts, String detail, Instant at) {
    }
}
