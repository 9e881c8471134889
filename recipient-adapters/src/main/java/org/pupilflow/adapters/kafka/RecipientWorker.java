package org.pupilflow.adapters.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.pupilflow.adapters.delivery.DeliveryChannel;
import org.pupilflow.adapters.delivery.DeliveryMetrics;
import org.pupilflow.adapters.delivery.Outcome;
import org.pupilflow.adapters.delivery.Pending;
import org.pupilflow.kafka.login.BrokerLogin;
import org.pupilflow.schemas.kafka.AvroSingleObjectSerializer;
import org.pupilflow.schemas.kafka.DeadLetters;
import org.pupilflow.schemas.kafka.RecipientRecords;
import org.pupilflow.sharing.DeliveryReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one recipient's topic: its own consumer group, its own transactional producer, its own
 * thread, so a slow or failing recipient never delays another. The topic carries disclosures, deletion
 * requests and deletion-due notices ({@link RecipientRecords}); all three are delivered alike, each with
 * one receipt under its own id. Records are read {@code read_committed} (a record whose audit event did
 * not commit is never delivered) and kept in order; the channel delivers from the head; each outcome's
 * receipt (to {@code audit.deliveries}) and dead letter, and the consumed offsets, commit in one Kafka
 * transaction. So a crash never loses a receipt (the record is
 * delivered again — the same {@code webhook-id}, the receiver's idempotency key — and its receipt
 * written then) and never writes two for the same outcome (an aborted transaction's receipts are
 * invisible to the read_committed audit).
 */
public final class RecipientWorker implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecipientWorker.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RECONNECT = Duration.ofSeconds(2);
    private static final int COMMIT_EVERY = 200;

    /** Where one recipient's records come from and go. */
    public record Route(String recipientId, String topic, String deadLetterTopic, String receiptsTopic, String groupId, String transactionalId) {
    }

    private final Route route;
    private final DeliveryChannel channel;
    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final DeliveryMetrics metrics;
    private final Clock clock;
    private final int maxQueued;
    private final AvroSingleObjectSerializer<DeliveryReceipt> receipts = new AvroSingleObjectSerializer<>(DeliveryReceipt.class);
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile String stoppedBecause;

    /**
     * @param consumerSettings the service's consumer settings (bootstrap servers, security) from {@code spring.kafka.*}
     * @param producerSettings the service's producer settings, likewise
     */
    public RecipientWorker(Route route, DeliveryChannel channel, Map<String, Object> consumerSettings, Map<String, Object> producerSettings,
                           DeliveryMetrics metrics, Clock clock, int maxQueued) {
        this.route = route;
        this.channel = channel;
        this.metrics = metrics;
        this.clock = clock;
        this.maxQueued = maxQueued;
        Map<String, Object> consumer = new HashMap<>(consumerSettings);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, route.groupId());
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(maxQueued, 500));
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "adapters-" + route.recipientId());
        this.consumerConfig = consumer;
        Map<String, Object> producer = new HashMap<>(producerSettings);
        producer.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, route.transactionalId());
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, "adapters-" + route.recipientId() + "-receipts");
        this.producerConfig = producer;
        metrics.register(route.recipientId(), channel.name());
    }

    public Route route() {
        return route;
    }

    /** Why the worker stopped for good (the broker refused it), or null while it runs. */
    public String stoppedBecause() {
        return stoppedBecause;
    }

    @Override
    public void run() {
        while (running) {
            try {
                deliverUntilStopped();
            } catch (WakeupException | InterruptedException e) {
                if (running) {
                    log.warn("Delivery to {} interrupted; reconnecting", route.recipientId());
                }
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } catch (RuntimeException e) {
                if (BrokerLogin.isRefusal(e)) {
                    stoppedBecause = BrokerLogin.describeRefusal(e, consumerConfig);
                    log.error("{}; delivery to {} stops until this is fixed", stoppedBecause, route.recipientId());
                    return;
                }
                // Uncommitted outcomes are dropped with the clients: those records are read again from the committed
                // offsets and delivered again under the same ids, and their receipts written then.
                log.warn("Delivery to {} restarts from its committed position after: {}", route.recipientId(), e.toString());
                sleep(RECONNECT);
            }
        }
    }

    private void deliverUntilStopped() throws InterruptedException {
        Deque<Pending> queue = new ArrayDeque<>();
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
            consumer = kafka;
            producer.initTransactions();
            kafka.subscribe(List.of(route.topic()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // Not ours any more: the new owner reads them again from the committed offsets.
                    queue.removeIf(pending -> partitions.contains(new TopicPartition(route.topic(), pending.partition())));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    kafka.resume(partitions);
                }
            });
            while (running) {
                Instant now = clock.instant();
                Duration wait = POLL;
                if (!queue.isEmpty()) {
                    Instant wakeUp = channel.wakeUp(queue).orElse(now.plus(POLL));
                    wait = Duration.between(now, wakeUp);
                    wait = wait.isNegative() ? Duration.ZERO : wait.compareTo(POLL) > 0 ? POLL : wait;
                }
                for (ConsumerRecord<String, byte[]> record : kafka.poll(wait)) {
                    queue.addLast(pending(record));
                }
                if (queue.size() >= maxQueued || channel.saturated(queue)) {
                    kafka.pause(kafka.assignment());
                } else if (!kafka.paused().isEmpty()) {
                    kafka.resume(kafka.paused());
                }
                List<Outcome> outcomes = new ArrayList<>();
                // Commit at least every COMMIT_EVERY outcomes, so a long queue's receipts do not wait for all of it.
                while (!queue.isEmpty() && outcomes.size() < COMMIT_EVERY) {
                    while (!queue.isEmpty() && !queue.peekFirst().decodable()) {
                        outcomes.add(Outcome.undecodable(queue.pollFirst()));
                    }
                    List<Outcome> delivered = channel.work(queue, clock.instant());
                    outcomes.addAll(delivered);
                    if (delivered.isEmpty() && (queue.isEmpty() || queue.peekFirst().decodable())) {
                        break;
                    }
                }
                if (!outcomes.isEmpty()) {
                    commit(kafka, producer, outcomes);
                }
                metrics.oldestUndelivered(route.recipientId(), queue.isEmpty() ? -1 : queue.peekFirst().disclosedAt().toEpochMilli());
            }
        } finally {
            consumer = null;
        }
    }

    private Pending pending(ConsumerRecord<String, byte[]> record) {
        return decoded(record).withHeaders(record.headers().toArray());
    }

    private Pending decoded(ConsumerRecord<String, byte[]> record) {
        Instant disclosedAt = Instant.ofEpochMilli(record.timestamp());
        Instant now = clock.instant();
        if (record.value() == null || record.value().length == 0) {
            return Pending.undecodable(record.partition(), record.offset(), disclosedAt, record.key(), record.value(), "the record has no value", now);
        }
        try {
            // By the kind header, else by the schema fingerprint; a record of none of the three kinds is dead-lettered UNDECODABLE.
            return Pending.of(record.partition(), record.offset(), disclosedAt, record.key(), record.value(),
                    RecipientRecords.decode(record.topic(), record.headers(), record.value()), now);
        } catch (SerializationException e) {
            return Pending.undecodable(record.partition(), record.offset(), disclosedAt, record.key(), record.value(), e.getMessage(), now);
        }
    }

    /** Receipts, dead letters and offsets of the finished records, in one transaction. */
    private void commit(KafkaConsumer<String, byte[]> kafka, KafkaProducer<String, byte[]> producer, List<Outcome> outcomes) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Instant at = clock.instant();
        producer.beginTransaction();
        try {
            for (Outcome outcome : outcomes) {
                Pending record = outcome.record();
                if (outcome.receipt() != null) {
                    // The record's own id (disclosure, request or notice id): audit-service links the receipt to the event with that id.
                    DeliveryReceipt receipt = DeliveryReceipt.newBuilder().setDisclosureId(record.id())
                            .setRecipientId(route.recipientId()).setChannel(channel.name()).setOutcome(outcome.receipt())
                            .setAttempts(Math.max(1, record.attempts())).setDetail(outcome.detail()).setAt(at).build();
                    producer.send(new ProducerRecord<>(route.receiptsTopic(), receipt.getDisclosureId(), receipts.serialize(route.receiptsTopic(), receipt)));
                }
                if (outcome.deadLetter() != null) {
                    producer.send(new ProducerRecord<>(route.deadLetterTopic(), null, record.key(), record.value(),
                            DeadLetters.headers(List.of(record.headers()), outcome.deadLetter(), outcome.detail(), DeadLetters.source(route.topic(), record.partition(), record.offset()))));
                }
                offsets.merge(new TopicPartition(route.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1),
                        (a, b) -> a.offset() >= b.offset() ? a : b);
            }
            producer.sendOffsetsToTransaction(offsets, kafka.groupMetadata());
            producer.commitTransaction();
        } catch (RuntimeException e) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
        outcomes.forEach(outcome -> metrics.committed(route.recipientId(), channel.name(), outcome));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        channel.close();
    }
}
