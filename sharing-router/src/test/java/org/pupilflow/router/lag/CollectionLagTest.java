package org.pupilflow.router.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The lag and the oldest uncollected record against a log kept in memory, swept over random logs with transaction
 * markers, retention, timestamps out of order, several partitions and every committed offset.
 */
class CollectionLagTest {

    private static final String TOPIC = "recipient.youth-support";
    private static final long NOW = 1_800_000_000_000L;

    @Test
    void theLagIsTheOffsetsBehindAndTheOldestIsTheFirstDataRecordAcrossPartitions() throws Exception {
        Random random = new Random(7);
        for (int run = 0; run < 300; run++) {
            FakeLog log = FakeLog.random(random, 1 + random.nextInt(3));
            for (int sample = 0; sample < 40; sample++) {
                Map<Integer, Long> commits = new HashMap<>();
                long expectedLag = 0;
                Optional<Long> expectedOldest = Optional.empty();
                for (int partition : log.partitions()) {
                    if (random.nextInt(5) == 0) {
                        continue;   // never committed: counts from the log start
                    }
                    commits.put(partition, (long) random.nextInt((int) log.end(partition) + 2));
                }
                for (int partition : log.partitions()) {
                    long from = Math.max(commits.getOrDefault(partition, 0L), log.start(partition));
                    expectedLag += Math.max(0, log.end(partition) - from);
                    Optional<Long> first = log.firstDataTimestampFrom(partition, from);
                    if (first.isPresent() && (expectedOldest.isEmpty() || first.get() < expectedOldest.get())) {
                        expectedOldest = first;
                    }
                }
                CollectionLag.Lag lag = CollectionLag.of(log, TOPIC, log.earliest(TOPIC), log.latestCommitted(TOPIC), commits);
                assertThat(lag).as("run %d, commits %s", run, commits).isEqualTo(new CollectionLag.Lag(expectedLag, expectedOldest));
            }
        }
    }

    @Test
    void aGroupThatCollectedEverythingButTheMarkerHasLagOneAndNoAge() throws Exception {
        FakeLog log = new FakeLog();
        log.append(0, 1_000, false);
        log.append(0, 2_000, false);
        log.append(0, 2_000, true);   // commit marker
        CollectionLag.Lag lag = CollectionLag.of(log, TOPIC, Map.of(0, 0L), Map.of(0, 3L), Map.of(0, 2L));
        assertThat(lag.records()).isEqualTo(1);
        assertThat(lag.oldestMs()).isEmpty();
    }

    @Test
    void aPartitionNeverCommittedCountsFromTheLogStartAndRetentionIsNotLag() throws Exception {
        FakeLog log = new FakeLog();
        for (int i = 0; i < 10; i++) {
            log.append(0, 10_000L + i * 1_000L, false);
        }
        log.retainFrom(0, 4);
        CollectionLag.Lag lag = CollectionLag.of(log, TOPIC, log.earliest(TOPIC), Map.of(0, 10L), Map.of());
        assertThat(lag.records()).isEqualTo(6);
        assertThat(lag.oldestMs()).contains(14_000L);
    }

    /** Partitions of (timestamp, marker) entries; offsets are list positions. */
    static final class FakeLog implements OffsetIndex {
        private final Map<Integer, List<long[]>> entries = new HashMap<>();
        private final Map<Integer, Long> starts = new HashMap<>();

        static FakeLog random(Random random, int partitions) {
            FakeLog log = new FakeLog();
            for (int partition = 0; partition < partitions; partition++) {
                long at = NOW - random.nextInt(10_000_000);
                int size = random.nextInt(40);
                for (int i = 0; i < size; i++) {
                    boolean marker = random.nextInt(4) == 0;
                    // Mostly increasing, sometimes earlier than the record before (another writer's clock).
                    at += random.nextInt(6) == 0 ? -random.nextInt(3_000) : random.nextInt(5_000);
                    log.append(partition, at, marker);
                }
                if (size > 0 && random.nextBoolean()) {
                    log.retainFrom(partition, random.nextInt(size));
                }
                log.entries.computeIfAbsent(partition, p -> new ArrayList<>());
            }
            return log;
        }

        void append(int partition, long timestampMs, boolean marker) {
            entries.computeIfAbsent(partition, p -> new ArrayList<>()).add(new long[] {timestampMs, marker ? 1 : 0});
        }

        void retainFrom(int partition, long offset) {
            starts.put(partition, offset);
        }

        Set<Integer> partitions() {
            return entries.keySet();
        }

        long start(int partition) {
            return starts.getOrDefault(partition, 0L);
        }

        long end(int partition) {
            return entries.get(partition).size();
        }

        Optional<Long> firstDataTimestampFrom(int partition, long offset) {
            List<long[]> log = entries.get(partition);
            for (long o = Math.max(offset, start(partition)); o < log.size(); o++) {
                if (log.get((int) o)[1] == 0) {
                    return Optional.of(log.get((int) o)[0]);
                }
            }
            return Optional.empty();
        }

        @Override
        public Set<String> groups() {
            return Set.of();
        }

        @Override
        public Map<Integer, Long> earliest(String topic) {
            Map<Integer, Long> earliest = new HashMap<>();
            entries.keySet().forEach(partition -> earliest.put(partition, start(partition)));
            return earliest;
        }

        @Override
        public Map<Integer, Long> latestCommitted(String topic) {
            Map<Integer, Long> ends = new HashMap<>();
            entries.keySet().forEach(partition -> ends.put(partition, end(partition)));
            return ends;
        }

        @Override
        public Map<Integer, Long> committed(String group, String topic) {
            return Map.of();
        }

        @Override
        public Optional<Long> firstRecordTimestamp(String topic, int partition, long offset, long end) {
            return firstDataTimestampFrom(partition, offset);
        }
    }
}
