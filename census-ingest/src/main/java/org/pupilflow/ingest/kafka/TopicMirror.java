package org.pupilflow.ingest.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an in-memory view of a compacted topic: reads it from the beginning (read_committed),
 * hands every record to {@code apply}, and keeps following it. The service is not ready until
 * the mirror has caught up with the end of the topic as it was at start, so state kept in Kafka
 * (which returns were published, which objections exist) survives restarts.
 */
public final class TopicMirror implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicMirror.class);

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Consumer<ConsumerRecord<String, byte[]>> apply;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    /** Why the mirror stopped following the topic, if it did (e.g. the broker refused the service). */
    private volatile RuntimeException failure;

    /**
     * @param clientConfig the service's consumer configuration (bootstrap servers and security settings from
     *                     {@code spring.kafka.*}); the mirror reads by assignment, so any group id is dropped
     */
    public TopicMirror(Map<String, Object> clientConfig, String topic, Consumer<ConsumerRecord<String, byte[]>> apply) {
        this.topic = topic;
        this.apply = apply;
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "mirror-" + topic);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::follow, "mirror-" + topic);
        thread.setDaemon(true);
    }

    public TopicMirror start() {
        thread.start();
        return this;
    }

    /** Waits until everything on the topic at start has been applied, or the mirror has failed ({@link #failure()}). */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (failure == null && System.nanoTime() < deadline) {
            if (caughtUp.await(100, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return caughtUp.getCount() == 0;
    }

    /** Why the mirror stopped, or null while it follows the topic. */
    public RuntimeException failure() {
        return failure;
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    private void follow() {
        try {
            List<TopicPartition> partitions = List.of();
            while (running && partitions.isEmpty()) {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(info -> new TopicPartition(topic, info.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        apply.accept(record);
                    } catch (RuntimeException e) {
                        log.error("Skipping unreadable record {}/{}@{} of {}: {}", record.topic(), record.partition(), record.offset(), topic, e.toString());
                    }
                }
                if (caughtUp.getCount() > 0 && partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
            log.error("Mirror of {} stopped: {}", topic, e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
