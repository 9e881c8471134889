package org.pupilflow.router.lag;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the lag watcher asks the broker: groups and offsets (Admin API, DESCRIBE permission), and the timestamp of the
 * first record at or after an offset (one small read_committed fetch; the value is never decoded). The broker's time
 * index cannot answer the last question: it counts transaction markers, which carry the time they were written.
 */
public interface OffsetIndex {

    /** The groups this principal may see (the broker filters the list by DESCRIBE permission). */
    Set<String> groups() throws Exception;

    /** Log start offset of each partition. */
    Map<Integer, Long> earliest(String topic) throws Exception;

    /** Last stable offset of each partition: the end as a read_committed consumer sees it. */
    Map<Integer, Long> latestCommitted(String topic) throws Exception;

    /** The group's committed offsets for the topic's partitions (partitions it never committed are absent). */
    Map<Integer, Long> committed(String group, String topic) throws Exception;

    /** Timestamp of the first committed data record at or after {@code offset} and before {@code end}; empty if only markers. */
    Optional<Long> firstRecordTimestamp(String topic, int partition, long offset, long end) throws Exception;
}
