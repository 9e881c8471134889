package org.pupilflow.audit.anchor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.pupilflow.audit.AuditProperties;
import org.pupilflow.audit.chain.ChainAnchor;
import org.pupilflow.audit.chain.ChainHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The compacted {@code audit.chain-heads} topic: key = chain id, value = JSON
 * {@code {"chainId","ledger","seq","hash","publishedAt","signature"}} (hashes and signature hex).
 * It lives outside the database, so whoever can rewrite the tables cannot rewrite what was published.
 */
@Component
public class ChainHeadTopic {

    private static final Logger log = LoggerFactory.getLogger(ChainHeadTopic.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaTemplate<String, byte[]> template;
    private final KafkaProperties kafka;
    private final String topic;
    private final JsonMapper json;

    public ChainHeadTopic(KafkaTemplate<String, byte[]> template, KafkaProperties kafka, AuditProperties properties, JsonMapper json) {
        this.template = template;
        this.kafka = kafka;
        this.topic = properties.topics().chainHeads();
        this.json = json;
    }

    /** The message as published. */
    record PublishedHead(String chainId, String ledger, long seq, String hash, Instant publishedAt, String signature) {
    }

    public void publish(ChainAnchor anchor) {
        PublishedHead head = new PublishedHead(anchor.chainId(), anchor.ledger(), anchor.seq(), ChainHash.hex(anchor.hash()), anchor.publishedAt(),
                ChainHash.hex(anchor.signature()));
        try {
            template.send(topic, anchor.chainId(), json.writeValueAsBytes(head)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the head of " + anchor.chainId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish the head of " + anchor.chainId() + " to " + topic + ": " + e.getMessage(), e);
        }
    }

    /** The latest published head of every chain, read from the beginning of the topic to its current end. */
    public Map<String, ChainAnchor> latest() {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "audit-chain-heads-reader");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, ChainAnchor> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, READ_TIMEOUT) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    ChainAnchor anchor = parse(record);
                    if (anchor != null) {
                        latest.put(record.key(), anchor);
                    }
                }
            }
        }
        return latest;
    }

    private ChainAnchor parse(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null || record.key() == null) {
            return null;
        }
        try {
            PublishedHead head = json.readValue(record.value(), PublishedHead.class);
            if (!record.key().equals(head.chainId())) {
                log.warn("Ignoring {}@{}: key {} does not match its chain {}", topic, record.offset(), record.key(), head.chainId());
                return null;
            }
            return new ChainAnchor(head.chainId(), head.ledger(), head.seq(), ChainHash.fromHex(head.hash()), head.publishedAt(),
                    head.signature() == null ? null : ChainHash.fromHex(head.signature()));
        } catch (RuntimeException e) {
            log.warn("Ignoring unreadable chain head {}@{}: {} ({})", topic, record.offset(),
                    new String(record.value(), StandardCharsets.UTF_8), e.getMessage());
            return null;
        }
    }
}
