package org.pupilflow.router;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.schemas.kafka.AvroSingleObjectSerializer;

/** Produces census records and objections the way census-ingest does, and reads topics back as a recipient would. */
public final class RouterTestKafka {

    private final String bootstrapServers;
    private final AvroSingleObjectSerializer<CensusPupil> pupils = new AvroSingleObjectSerializer<>(CensusPupil.class);
    private final AvroSingleObjectSerializer<Objection> objections = new AvroSingleObjectSerializer<>(Objection.class);

    public RouterTestKafka(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public void publishCensus(String topic, Collection<CensusPupil> census) {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (CensusPupil pupil : census) {
                producer.send(new ProducerRecord<>(topic, pupil.getIdentity().getUpn(), pupils.serialize(topic, pupil)));
            }
            producer.flush();
        }
    }

    public void publishObjections(String topic, Collection<Objection> all) {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (Objection objection : all) {
                producer.send(new ProducerRecord<>(topic, objection.getUpn() + "/" + objection.getObjectionId(), objections.serialize(topic, objection)));
            }
            producer.flush();
        }
    }

    public void publishRaw(String topic, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, key, value));
            producer.flush();
        }
    }

    /** Everything on the topic now, read from the beginning with the given isolation level. */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic, boolean readCommitted) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
