package org.pupilflow.router.routing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The freshness barrier that makes "objections win" hold for a running router, not only after a
 * restart. Kafka Streams applies objection updates to the global store on its own thread with
 * no ordering against census records, so an objection accepted a moment before a census record
 * could otherwise lose the race. Before deciding on a census record published at time T, the
 * router waits until the global store has applied everything that was on the objections topic
 * at some moment at or after T.
 *
 * <p>End offsets are observed by {@link ObjectionEndOffsetWatcher}; applied offsets come from the
 * global store's updater and, after a start, from its restore. The objections topic is written
 * without transactions (census-ingest uses an idempotent, non-transactional producer for it), so
 * "applied up to the end offset" is exact.
 */
public final class ObjectionFreshness {

    private final Map<Integer, Long> appliedThrough = new ConcurrentHashMap<>();
    private volatile Observation latest;

    record Observation(long observedAtMs, Map<Integer, Long> endOffsets) {
    }

    /** The global store now holds everything up to and including {@code offset} of {@code partition}. */
    void applied(int partition, long offset) {
        appliedThrough.merge(partition, offset, Math::max);
    }

    void observed(long observedAtMs, Map<Integer, Long> endOffsets) {
        latest = new Observation(observedAtMs, Map.copyOf(endOffsets));
    }

    /**
     * Waits until every objection published before {@code recordTimestampMs} is in the store.
     *
     * @return nanoseconds waited (0 when the store was already fresh), or -1 if that could not be shown within {@code timeout}
     */
    long awaitObjectionsPublishedBefore(long recordTimestampMs, Duration timeout) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        boolean waited = false;
        while (true) {
            Observation observation = latest;
            if (observation != null && observation.observedAtMs() >= recordTimestampMs && allApplied(observation)) {
                return waited ? Math.max(1, System.nanoTime() - started) : 0;
            }
            if (System.nanoTime() >= deadline) {
                return -1;
            }
            waited = true;
            LockSupport.parkNanos(2_000_000);
        }
    }

    private boolean allApplied(Observation observation) {
        for (Map.Entry<Integer, Long> end : observation.endOffsets().entrySet()) {
            if (end.getValue() > 0 && appliedThrough.getOrDefault(end.getKey(), -1L) + 1 < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}
