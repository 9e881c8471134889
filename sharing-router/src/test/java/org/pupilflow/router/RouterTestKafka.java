package org.pupilflow.router;

import org.pupilflow.testing.kafka.TopicReader;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
        return TopicReader.readAll(bootstrapServers, topic, readCommitted, Duration.ofSeconds(30));
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
