package org.pupilflow.audit.support;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.pupilflow.sharing.DeliveryOutcome;
import org.pupilflow.sharing.DeliveryReceipt;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;

/** DisclosureEvents and DeliveryReceipts as the router and adapters write them. */
public final class Events {

    public static final String POLICY_HASH = "9f2c6a1e0b7d4c3a8e5f1d2b6c9a0e7f3b4d8c1a5e6f2b9d0c7a3e1f4b8d6c2a";

    private Events() {
    }

    /** A new unique id, so tests sharing a database never see each other's rows. */
    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    public static DisclosureEvent disclosure(String upn, String recipient, DisclosureOutcome outcome, String returnId) {
        return disclosure(upn, recipient, outcome, returnId, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    public static DisclosureEvent disclosure(String upn, String recipient, DisclosureOutcome outcome, String returnId, Instant decidedAt) {
        List<String> fields = switch (outcome) {
            case DISCLOSED -> List.of("identity", "names", "dateOfBirth", "address", "school");
            case RESTRICTED -> List.of("names", "dateOfBirth", "address");
            case WITHHELD -> List.of();
            default -> throw new IllegalArgumentException(outcome + ": use Events.unchanged, deletionRequested or deletionDue");
        };
        String reason = switch (outcome) {
            case DISCLOSED -> "in cohort";
            case RESTRICTED -> "objection obj-1 by parent (signed letter 2026-03-02): restricted to names, dateOfBirth, address";
            case WITHHELD -> "objection obj-2 by parent (signed letter 2026-03-02): withheld";
            default -> throw new IllegalArgumentException(outcome.name());
        };
        return DisclosureEvent.newBuilder()
                .setDisclosureId(uniqueId("d"))
                .setUpn(upn)
                .setPseudonymised(false)
                .setPupilPseudonym(null)
                .setRecipientKey(outcome == DisclosureOutcome.WITHHELD ? null : upn)
                .setRecipientId(recipient)
                .setOutcome(outcome)
                .setFieldsDisclosed(fields)
                .setReason(reason)
                .setObjectionIds(outcome == DisclosureOutcome.DISCLOSED ? List.of() : List.of(outcome == DisclosureOutcome.RESTRICTED ? "obj-1" : "obj-2"))
                .setPolicyId("norfolk-census-sharing")
                .setPolicyVersion("2026.1")
                .setPolicyContentHash(POLICY_HASH)
                .setLegalBasis("Education and Skills Act 2008 s68(1); Education Act 1996 s507B")
                .setReturnId(returnId)
                .setAgeMeasuredOn(LocalDate.of(2026, 1, 15))
                .setDeleteBy(null)
                .setDecidedAt(decidedAt)
                .build();
    }

    /** UNCHANGED: a re-uploaded return decided the same record for a recipient that already holds {@code held}; nothing sent. */
    public static DisclosureEvent unchanged(DisclosureEvent held, String returnId, Instant decidedAt) {
        return DisclosureEvent.newBuilder(held)
                .setDisclosureId(uniqueId("u"))
                .setOutcome(DisclosureOutcome.UNCHANGED)
                .setReason("unchanged: the recipient already holds this record (" + held.getDisclosureId() + ")")
                .setReturnId(returnId)
                .setDecidedAt(decidedAt)
                .setRelatesTo(List.of(held.getDisclosureId()))
                .build();
    }

    /** DELETION_REQUESTED: an objection made after {@code held} was sent; the event's id is the DeletionRequest's. */
    public static DisclosureEvent deletionRequested(DisclosureEvent held, String objectionId, Instant requestedAt) {
        return DisclosureEvent.newBuilder(held)
                .setDisclosureId(uniqueId("req"))
                .setOutcome(DisclosureOutcome.DELETION_REQUESTED)
                .setFieldsDisclosed(List.of())
                .setReason("objection " + objectionId + " by parent (signed letter 2026-03-02): withheld; deletion requested")
                .setObjectionIds(List.of(objectionId))
                .setDecidedAt(requestedAt)
                .setRelatesTo(List.of(held.getDisclosureId()))
                .build();
    }

    /** DELETION_DUE: the delete-by date of {@code held} passed; the event's id is the DeletionDue notice's. */
    public static DisclosureEvent deletionDue(DisclosureEvent held, LocalDate deleteBy, Instant issuedAt) {
        return DisclosureEvent.newBuilder(held)
                .setDisclosureId(uniqueId("due"))
                .setOutcome(DisclosureOutcome.DELETION_DUE)
                .setFieldsDisclosed(List.of())
                .setReason("delete-by date " + deleteBy + " passed")
                .setDeleteBy(deleteBy)
                .setDecidedAt(issuedAt)
                .setRelatesTo(List.of(held.getDisclosureId()))
                .build();
    }

    /** A receipt for a record sent under {@code id} (a disclosure, deletion request or deletion-due notice). */
    public static DeliveryReceipt delivery(String id, String recipientId, String channel, DeliveryOutcome outcome, int attempts) {
        return DeliveryReceipt.newBuilder()
                .setDisclosureId(id)
                .setRecipientId(recipientId)
                .setChannel(channel)
                .setOutcome(outcome)
                .setAttempts(attempts)
                .setDetail(outcome == DeliveryOutcome.DELIVERED ? null : "HTTP 503 from recipient")
                .setAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    public static DeliveryReceipt delivery(DisclosureEvent disclosure, String channel, DeliveryOutcome outcome, int attempts) {
        return DeliveryReceipt.newBuilder()
                .setDisclosureId(disclosure.getDisclosureId())
                .setRecipientId(disclosure.getRecipientId())
                .setChannel(channel)
                .setOutcome(outcome)
                .setAttempts(attempts)
                .setDetail(outcome == DeliveryOutcome.DELIVERED ? null : "HTTP 503 from recipient")
                .setAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    /** A valid-looking UPN (13 characters) unique to the test. */
    public static String upn() {
        long n = Math.floorMod(UUID.randomUUID().getMostSignificantBits(), 1_000_000_000_000L);
        return String.format("T%012d", n);
    }
}
