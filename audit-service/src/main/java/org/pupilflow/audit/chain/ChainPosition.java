package org.pupilflow.audit.chain;

import java.time.Instant;

/**
 * Where a row sits: its chain (the Kafka topic-partition it was read from, e.g.
 * {@code audit.disclosures-3}), its gapless sequence number in that chain (from 1), the Kafka
 * offset it was read at, and when audit-service stored it (microsecond precision).
 */
public record ChainPosition(String chainId, long seq, long sourceOffset, Instant recordedAt) {

    /** The chain of a Kafka topic-partition: {@code <topic>-<partition>}, as Kafka names partitions. */
    public static String chainId(String topic, int partition) {
        return topic + "-" + partition;
    }
}
