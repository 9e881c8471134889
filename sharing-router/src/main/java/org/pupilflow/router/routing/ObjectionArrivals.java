package org.pupilflow.router.routing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.kafka.common.utils.Utils;
import org.pupilflow.schemas.topics.ObjectionKey;

/**
 * Objections the global store has applied, waiting for the stream task that owns the pupil to follow them up
 * (revoke what recipients already hold). The global store is fed on its own thread and cannot forward records, so
 * arrivals are handed over here and the owning task picks them up in a punctuation, inside its own transaction.
 *
 * <p>Nothing here needs to survive a crash: when a task starts it scans the whole global store for its pupils, and
 * the task's changelogged "followed" store says which objections were already followed up. A pupil belongs to the
 * census partition its UPN hashes to (the producer's default partitioner), the partition of the task that holds its
 * disclosures.
 */
final class ObjectionArrivals {

    private final Map<Integer, Queue<String>> queues = new ConcurrentHashMap<>();
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private volatile int censusPartitions = -1;

    /** The census topic's partition count, known once a task has started. */
    void censusPartitions(int count) {
        censusPartitions = count;
    }

    int censusPartitions() {
        return censusPartitions;
    }

    int partitionOf(String upn) {
        int partitions = censusPartitions;
        if (partitions <= 0) {
            throw new IllegalStateException("the census topic's partition count is not known yet");
        }
        return Utils.toPositive(Utils.murmur2(upn.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Called by the global store's updater for every objection it stores. */
    void arrived(String objectionStoreKey) {
        int partitions = censusPartitions;
        if (partitions <= 0) {
            return;   // no task has started: each will scan the store when it does
        }
        var key = ObjectionKey.parse(objectionStoreKey);
        if (key.isEmpty()) {
            return;
        }
        int partition = partitionOf(key.get().upn());
        if (owned.contains(partition)) {
            queues.computeIfAbsent(partition, p -> new ConcurrentLinkedQueue<>()).add(objectionStoreKey);
        }
    }

    /** A task for the partition started here; it scans the store itself, then takes arrivals from here. */
    void own(int partition) {
        owned.add(partition);
    }

    void release(int partition) {
        owned.remove(partition);
        queues.remove(partition);
    }

    void enqueue(int partition, String objectionStoreKey) {
        queues.computeIfAbsent(partition, p -> new ConcurrentLinkedQueue<>()).add(objectionStoreKey);
    }

    /** At most {@code max} waiting arrivals of the partition. */
    List<String> take(int partition, int max) {
        Queue<String> queue = queues.get(partition);
        List<String> taken = new ArrayList<>();
        String next;
        while (queue != null && taken.size() < max && (next = queue.poll()) != null) {
            taken.add(next);
        }
        return taken;
    }
}
