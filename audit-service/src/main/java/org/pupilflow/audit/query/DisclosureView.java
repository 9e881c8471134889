package org.pupilflow.audit.query;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.pupilflow.audit.chain.CaseRequest;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One audit event as the Data Protection Officer sees it, with what was done to deliver it: a
 * sharing decision (DISCLOSED, RESTRICTED, WITHHELD), a decision that sent nothing because the
 * recipient already holds the record (UNCHANGED), or what the LA told a recipient about records it
 * holds (DELETION_REQUESTED, DELETION_DUE; their {@code disclosureId} is the request's or notice's id).
 *
 * @param relatesTo     the disclosures the event is about: the one the recipient already holds (UNCHANGED),
 *                      those it was asked to delete (DELETION_REQUESTED) or told are past their delete-by date
 *                      (DELETION_DUE); empty for other events
 * @param retainUntil   the LA keeps this audit record at least until this date (a retention rule of its policy);
 *                      null when only the configured retention applies
 * @param request       the case-by-case request the decision answers (request id, case reference, purpose, who asked, who
 *                      approved); absent for the census flow
 * @param pseudonymKeyVersion the version of the LA's pseudonymisation key the recipient's pseudonym was made with (a
 *                      key rotation changes every pseudonym); null when the recipient is not pseudonymised, and for
 *                      events from before per-recipient keys
 * @param related       subject access only: {@code relatesTo} resolved against the pupil's own trail
 * @param referencedBy  subject access only: the later events that refer to this one (e.g. the deletion request
 *                      for a disclosure), oldest first
 */
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
        Integer pseudonymKeyVersion,
        Instant recordedAt,
        List<String> relatesTo,
        LocalDate retainUntil,
        List<DeliveryView> deliveries,
        @JsonInclude(JsonInclude.Include.NON_NULL) CaseRequest request,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Reference> related,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Reference> referencedBy) {

    /**
     * Where the record sent under this id stands, in words, next to its outcome: from its latest
     * delivery receipt ("delivered 2026-11-28T10:42:03Z by webhook (HTTP 204)"), "no delivery receipt
     * ..." when a record was sent and has no receipt, or null when nothing was sent (WITHHELD, and
     * UNCHANGED: the recipient already held the record, or the objection changed nothing it holds).
     * A deletion request or deletion-due notice is a record on the recipient's topic like a
     * disclosure, and the adapters report its delivery under its id. Recipients that read Kafka
     * themselves have no receipts: their records are on their topic.
     */
    @JsonProperty("deliveryStatus")
    public String deliveryStatus() {
        if ("WITHHELD".equals(outcome) || "UNCHANGED".equals(outcome)) {
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

    DisclosureView withDeliveries(List<DeliveryView> receipts) {
        return new DisclosureView(disclosureId, upn, recipientId, outcome, fieldsDisclosed, reason, objectionIds, legalBasis, policyId, policyVersion,
                policyContentHash, returnId, decidedAt, ageMeasuredOn, deleteBy, pseudonymised, pupilPseudonym, pseudonymKeyVersion, recordedAt, relatesTo, retainUntil,
                List.copyOf(receipts), request, related, referencedBy);
    }

    DisclosureView withReferences(List<Reference> relatedEvents, List<Reference> laterEvents) {
        return new DisclosureView(disclosureId, upn, recipientId, outcome, fieldsDisclosed, reason, objectionIds, legalBasis, policyId, policyVersion,
                policyContentHash, returnId, decidedAt, ageMeasuredOn, deleteBy, pseudonymised, pupilPseudonym, pseudonymKeyVersion, recordedAt, relatesTo, retainUntil,
                deliveries, request, List.copyOf(relatedEvents), List.copyOf(laterEvents));
    }

    /** One delivery receipt. */
    public record DeliveryView(String channel, String outcome, int attempts, String detail, Instant at) {
    }

    /**
     * Another event of the same pupil's trail, in brief. {@code inTrail} false: the id is not in this pupil's
     * trail (erased under retention, or not audited yet), and only the id is known.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reference(String disclosureId, boolean inTrail, String outcome, String recipientId, String returnId, Instant decidedAt,
                            List<String> fieldsDisclosed) {

        static Reference of(DisclosureView event) {
            return new Reference(event.disclosureId(), true, event.outcome(), event.recipientId(), event.returnId(), event.decidedAt(),
                    event.fieldsDisclosed());
        }

        static Reference missing(String disclosureId) {
            return new Reference(disclosureId, false, null, null, null, null, null);
        }
    }
}
