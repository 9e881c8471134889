package org.pupilflow.audit.query;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

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

    /**
     * Where the disclosure stands, in words, next to its outcome: from its latest delivery receipt
     * ("delivered 2026-11-28T10:42:03Z by webhook (HTTP 204)"), "not delivered yet" when a WITHHELD-free
     * record has no receipt, or null when nothing was sent (WITHHELD). Recipients that read Kafka
     * themselves have no receipts: their records are on their topic.
     */
    @JsonProperty("deliveryStatus")
    public String deliveryStatus() {
        if ("WITHHELD".equals(outcome)) {
            return null;
        }
        if (deliveries.isEmpty()) {
            return "no delivery receipt (read from Kafka by the recipient, or not delivered yet)";
        }
        DeliveryView latest = deliveries.get(deliveries.size() - 1);
        String verb = switch (latest.outcome()) {
            case "DELIVERED" -> "delivered";
            case "REJECTED_BY_RECIPIENT" -> "refused by the recipient";
            default -> "not delivered (failed)";
        };
        return verb + " " + latest.at() + " by " + latest.channel() + (latest.detail() == null ? "" : " (" + latest.detail() + ")")
                + (latest.attempts() > 1 ? " after " + latest.attempts() + " attempts" : "");
    }

    /** One delivery receipt. */
    public record DeliveryView(String channel, String outcome, int attempts, String detail, Instant at) {
    }
}
