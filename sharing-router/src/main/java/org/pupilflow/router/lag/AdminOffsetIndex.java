package org.pupilflow.router.lag;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@link OffsetIndex} over the Admin API (DESCRIBE on the groups and topics) and a group-less read_committed consumer
 * (READ on the topics) that fetches at most one record per question and drops it undecoded.
 */
final class AdminOffsetIndex implements OffsetIndex {

    private final Admin admin;
    private final Consumer<byte[], byte[]> reader;
    private final long timeoutMs;
    private final Map<String, List<TopicPartition>> partitions = new HashMap<>();

    AdminOffsetIndex(Admin admin, Consumer<byte[], byte[]> reader, Duration timeout) {
        this.admin = admin;
        this.reader = reader;
        this.timeoutMs = timeout.toMillis();
    }

    /** The consumer {@link #firstRecordTimestamp} uses: no group, nothing committed, one small record at a time. */
    static Consumer<byte[], byte[]> timestampReader(Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "lag-watcher");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public Optional<Long> firstRecordTimestamp(String topic, int partition, long offset, long end) {
        TopicPartition tp = new TopicPartition(topic, partition);
        reader.assign(List.of(tp));
        reader.seek(tp, offset);
        long deadline = System.currentTimeMillis() + timeoutMs;
        // Markers and aborted records are skipped by the consumer: it moves past them without returning anything.
        while (reader.position(tp, Duration.ofMillis(timeoutMs)) < end && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(500)).records(tp)) {
                if (record.offset() < end) {
                    return Optional.of(record.timestamp());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Set<String> groups() throws Exception {
        Set<String> groups = new TreeSet<>();
        for (GroupListing group : admin.listGroups().all().get(timeoutMs, TimeUnit.MILLISECONDS)) {
            groups.add(group.groupId());
        }
        return groups;
    }

    @Override
    public Map<Integer, Long> earliest(String topic) throws Exception {
        return offsets(topic, OffsetSpec.earliest());
    }

    @Override
    public Map<Integer, Long> latestCommitted(String topic) throws Exception {
        return offsets(topic, OffsetSpec.latest());
    }

    @Override
    public Map<Integer, Long> committed(String group, String topic) throws Exception {
        ListConsumerGroupOffsetsSpec spec = new ListConsumerGroupOffsetsSpec().topicPartitions(partitionsOf(topic));
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(Map.of(group, spec)).partitionsToOffsetAndMetadata(group)
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        Map<Integer, Long> committed = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null) {
                committed.put(partition.partition(), offset.offset());
            }
        });
        return committed;
    }

    private Map<Integer, Long> offsets(String topic, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitionsOf(topic).forEach(partition -> request.put(partition, spec));
        Map<Integer, Long> offsets = new HashMap<>();
        list(request).forEach((partition, info) -> offsets.put(partition.partition(), info.offset()));
        return offsets;
    }

    private Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> list(Map<TopicPartition, OffsetSpec> request) throws Exception {
        return admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    private List<TopicPartition> partitionsOf(String topic) throws Exception {
        List<TopicPartition> known = partitions.get(topic);
        if (known == null) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS).get(topic);
            known = description.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            partitions.put(topic, known);
        }
        return known;
    }

    /** Forgets the partition lists (after a failure: a topic may have been recreated or grown). */
    void forgetPartitions() {
        partitions.clear();
    }
}
