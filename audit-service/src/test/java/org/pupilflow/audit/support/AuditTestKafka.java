package org.pupilflow.audit.support;

import org.pupilflow.testing.kafka.TopicReader;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.pupilflow.schemas.kafka.AvroSingleObjectSerializer;
import org.pupilflow.sharing.DeliveryReceipt;
import org.pupilflow.sharing.DisclosureEvent;

/** Produces audit events the way the router (transactionally) and the adapters do, and reads topics back. */
public final class AuditTestKafka {

    public static final String DISCLOSURES = "audit.disclosures";
    public static final String DELIVERIES = "audit.deliveries";

    private final String bootstrapServers;
    private final AvroSingleObjectSerializer<DisclosureEvent> disclosures = new AvroSingleObjectSerializer<>(DisclosureEvent.class);
    private final AvroSingleObjectSerializer<DeliveryReceipt> deliveries = new AvroSingleObjectSerializer<>(DeliveryReceipt.class);

    public AuditTestKafka(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Publishes in one committed transaction, keyed by UPN, as the router does. */
    public void publish(Collection<DisclosureEvent> events) {
        transaction(events, null, true);
    }

    /** Publishes every event to one partition (one chain), in one committed transaction. */
    public void publishToPartition(int partition, Collection<DisclosureEvent> events) {
        transaction(events, partition, true);
    }

    /** Writes the events to one partition in a transaction and aborts it: read_committed consumers never see them. */
    public void publishAborted(int partition, Collection<DisclosureEvent> events) {
        transaction(events, partition, false);
    }

    public void publishDeliveries(Collection<DeliveryReceipt> receipts) {
        publishDeliveries(null, receipts);
    }

    /** Publishes receipts (keyed by disclosure id) to one partition, or by key when {@code partition} is null. */
    public void publishDeliveries(Integer partition, Collection<DeliveryReceipt> receipts) {
        try (KafkaProducer<String, byte[]> producer = producer(null)) {
            for (DeliveryReceipt receipt : receipts) {
                producer.send(new ProducerRecord<>(DELIVERIES, partition, receipt.getDisclosureId(), deliveries.serialize(DELIVERIES, receipt)));
            }
            producer.flush();
        }
    }

    public void publishRaw(String topic, int partition, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = producer(null)) {
            producer.send(new ProducerRecord<>(topic, partition, key, value));
            producer.flush();
        }
    }

    public byte[] encode(DisclosureEvent event) {
        return disclosures.serialize(DISCLOSURES, event);
    }

    private void transaction(Collection<DisclosureEvent> events, Integer partition, boolean commit) {
        try (KafkaProducer<String, byte[]> producer = producer("audit-test-" + UUID.randomUUID())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (DisclosureEvent event : events) {
                producer.send(new ProducerRecord<>(DISCLOSURES, partition, event.getUpn(), disclosures.serialize(DISCLOSURES, event)));
            }
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.flush();
                producer.abortTransaction();
            }
        }
    }

    /** Everything on the topic now, read from the beginning. */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        return TopicReader.readAll(bootstrapServers, topic, true, Duration.ofSeconds(30));
    }

    private KafkaProducer<String, byte[]> producer(String transactionalId) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
