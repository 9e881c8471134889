package org.pupilflow.adapters.delivery;

import java.util.List;

import org.pupilflow.sharing.DeliveryOutcome;

/**
 * What became of one record: a receipt for the audit trail (none for an undecodable record, which has no
 * disclosure to account for) and, for a record that was refused or could not be delivered, a dead letter.
 *
 * @param record         the record
 * @param receipt        the receipt's outcome, or null when no receipt is written
 * @param detail         e.g. {@code HTTP 204}, {@code file post16_R-1_0-17.csv sha256 ab12...}, {@code HTTP 400: bad field}
 * @param deadLetter     the dead-letter reason code, or null when the record is not dead-lettered
 */
public record Outcome(Pending record, DeliveryOutcome receipt, String detail, String deadLetter) {

    /** Dead-letter reason of a record that is not a disclosure of the contract. */
    public static final String UNDECODABLE = "UNDECODABLE";
    /** The dead-letter reason codes (the {@code reason} tag of {@code pupilflow_adapters_dead_letters_total}). */
    public static final List<String> DEAD_LETTER_REASONS = List.of(DeliveryOutcome.REJECTED_BY_RECIPIENT.name(), DeliveryOutcome.FAILED.name(), UNDECODABLE);

    public static Outcome delivered(Pending record, String detail) {
        return new Outcome(record, DeliveryOutcome.DELIVERED, detail, null);
    }

    /** A permanent refusal by the recipient (e.g. HTTP 400): no retry storm. */
    public static Outcome rejected(Pending record, String detail) {
        return new Outcome(record, DeliveryOutcome.REJECTED_BY_RECIPIENT, detail, DeliveryOutcome.REJECTED_BY_RECIPIENT.name());
    }

    /** Attempts or age exhausted. */
    public static Outcome failed(Pending record, String detail) {
        return new Outcome(record, DeliveryOutcome.FAILED, detail, DeliveryOutcome.FAILED.name());
    }

    public static Outcome undecodable(Pending record) {
        return new Outcome(record, null, record.undecodableReason(), UNDECODABLE);
    }
}
