package org.pupilflow.router.routing;

import java.util.ArrayList;
import java.util.List;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.pupilflow.census.Objection;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.pupilflow.schemas.topics.ObjectionKey;

/**
 * Every objection, held in a global store fed from the compacted objections topic. Kafka
 * Streams loads a global store completely before it processes the first record after any start,
 * so an accepted objection is always known before a pupil it concerns is routed.
 *
 * <p>Keys on the topic are {@link ObjectionKey}s ({@code <UPN>/<objectionId>}), so a pupil's objections are one prefix
 * scan. Values stay as bytes in the store and are decoded per lookup, so an unreadable objection
 * stops that pupil's record (dead letter) instead of stopping the router.
 */
final class ObjectionStore {

    static final String NAME = "objections";
    private static final StringSerializer KEYS = new StringSerializer();
    private static final AvroSingleObjectDeserializer<Objection> VALUES = new AvroSingleObjectDeserializer<>(Objection.class);

    private ObjectionStore() {
    }

    /** The pupil's objections, withdrawn ones included (the engine decides what still applies). */
    static List<Objection> objectionsOf(ReadOnlyKeyValueStore<String, byte[]> store, String upn, String topic) {
        List<Objection> objections = new ArrayList<>(0);
        try (KeyValueIterator<String, byte[]> entries = store.prefixScan(ObjectionKey.prefixOf(upn), KEYS)) {
            while (entries.hasNext()) {
                byte[] value = entries.next().value;
                if (value != null) {
                    objections.add(VALUES.deserialize(topic, value));
                }
            }
        }
        return objections;
    }

    /** Keeps the store in step with the topic while the router runs (a tombstone removes an objection). */
    static final class Updater implements Processor<String, byte[], Void, Void> {
        private final ObjectionFreshness freshness;
        private final ObjectionArrivals arrivals;
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, byte[]> store;

        Updater(ObjectionFreshness freshness, ObjectionArrivals arrivals) {
            this.freshness = freshness;
            this.arrivals = arrivals;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.store = context.getStateStore(NAME);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() != null) {
                if (record.value() == null) {
                    store.delete(record.key());
                } else {
                    store.put(record.key(), record.value());
                    arrivals.arrived(record.key());
                }
            }
            context.recordMetadata().ifPresent(metadata -> freshness.applied(metadata.partition(), metadata.offset()));
        }
    }

    /** After a start the global store is restored straight from the topic, bypassing {@link Updater}. */
    static final class RestoreTracker implements StateRestoreListener {
        private final ObjectionFreshness freshness;
        private final Map<TopicPartition, Long> restoringTo = new ConcurrentHashMap<>();

        RestoreTracker(ObjectionFreshness freshness) {
            this.freshness = freshness;
        }

        @Override
        public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
            if (NAME.equals(storeName)) {
                restoringTo.put(partition, endingOffset);
            }
        }

        @Override
        public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
            if (NAME.equals(storeName)) {
                freshness.applied(partition.partition(), batchEndOffset);
            }
        }

        @Override
        public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
            Long end = restoringTo.remove(partition);
            if (NAME.equals(storeName) && end != null && end > 0) {
                freshness.applied(partition.partition(), end - 1);
            }
        }
    }
}
