package org.pupilflow.router.lag;

import java.util.Map;
import java.util.Optional;

/**
 * How far one consumer group is behind on one topic: the offsets it has not committed past, and the timestamp of the
 * oldest record among them.
 *
 * <p>The lag is in offsets, as {@code kafka-consumer-groups.sh} counts it: transaction markers count too, so a group
 * that committed after its last record (as recipient-adapters and most transactional readers do) shows a lag of one per
 * partition until the next record. The oldest record is the first <em>data</em> record at or after the committed offset,
 * so a marker never ages. Timestamps are the records' own: the router keeps the census record's, so the age runs from
 * when the return was published.
 */
public final class CollectionLag {

    private CollectionLag() {
    }

    /**
     * @param records        uncollected offsets (records and transaction markers)
     * @param oldestMs       timestamp of the oldest uncollected data record, empty when none
     */
    public record Lag(long records, Optional<Long> oldestMs) {
        public static final Lag NONE = new Lag(0, Optional.empty());
    }

    /**
     * @param committed the group's committed offsets; a partition it never committed counts from its start
     */
    public static Lag of(OffsetIndex index, String topic, Map<Integer, Long> earliest, Map<Integer, Long> end,
                         Map<Integer, Long> committed) throws Exception {
        long lag = 0;
        Optional<Long> oldestMs = Optional.empty();
        for (Map.Entry<Integer, Long> partition : end.entrySet()) {
            long from = Math.max(earliest.getOrDefault(partition.getKey(), 0L), committed.getOrDefault(partition.getKey(), 0L));
            long behind = partition.getValue() - from;
            if (behind <= 0) {
                continue;
            }
            lag += behind;
            Optional<Long> first = index.firstRecordTimestamp(topic, partition.getKey(), from, partition.getValue());
            if (first.isPresent()) {
                long at = first.get();
                oldestMs = Optional.of(oldestMs.map(current -> Math.min(current, at)).orElse(at));
            }
        }
        return new Lag(lag, oldestMs);
    }
}
