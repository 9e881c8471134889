package org.pupilflow.audit.chain;

import java.time.Instant;
import java.util.Objects;

/**
 * Every field of one {@code DeliveryReceipt}: what a recipient adapter did with one disclosure.
 *
 * @param deliveredAt  the receipt's {@code at} (millisecond precision, as on the wire)
 */
public record DeliveryRecord(
        String disclosureId,
        String recipientId,
        String channel,
        String outcome,
        int attempts,
        String detail,
        Instant deliveredAt) {

    public DeliveryRecord {
        Objects.requireNonNull(disclosureId, "disclosureId");
    }
}
