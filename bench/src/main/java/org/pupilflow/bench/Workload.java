package org.pupilflow.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.census.ObjectionRaisedBy;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.decide.Decision;
import org.pupilflow.policy.decide.Evaluation;
import org.pupilflow.policy.decide.Pseudonymiser;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.schemas.kafka.AvroSingleObjectSerializer;
import org.pupilflow.sharing.PupilDisclosure;

/** Census records, objections for 2% of pupils, and what the router emits for them (from the same pure function). */
final class Workload {

    static final String KEY = "bench-pseudonymisation-key-not-secret-0123456789";

    private final SharingPolicy policy;
    private final SharingEngine engine;
    private final AvroSingleObjectSerializer<CensusPupil> pupils = new AvroSingleObjectSerializer<>(CensusPupil.class);
    private final AvroSingleObjectSerializer<Objection> objectionValues = new AvroSingleObjectSerializer<>(Objection.class);
    private final AvroSingleObjectSerializer<PupilDisclosure> disclosures = new AvroSingleObjectSerializer<>(PupilDisclosure.class);

    Workload(SharingPolicy policy) {
        this.policy = policy;
        this.engine = new SharingEngine(policy, new Pseudonymiser(KEY.getBytes(StandardCharsets.UTF_8)));
    }

    SharingEngine engine() {
        return engine;
    }

    static List<Objection> objections(CensusSpec spec, SharingPolicy policy) {
        List<String> scopes = new ArrayList<>(policy.recipients().stream().map(r -> r.id()).toList());
        scopes.add("all");
        List<Objection> objections = new ArrayList<>();
        int i = 0;
        for (CensusPupil pupil : new SyntheticCensus(spec)) {
            if (i % 50 == 0) {
                objections.add(Objection.newBuilder().setObjectionId("bench-" + i).setUpn(pupil.getIdentity().getUpn())
                        .setScope(scopes.get((i / 50) % scopes.size())).setRaisedBy(ObjectionRaisedBy.PARENT)
                        .setReceivedDate(LocalDate.of(2025, 10, 1)).setEvidenceReference("signed letter").setWithdrawn(false).build());
            }
            i++;
        }
        return objections;
    }

    /** Output statistics of the router for a sample: records out per pupil in, and mean bytes per output record. */
    record Fanout(double outputsPerPupil, int meanOutputBytes) {
    }

    Fanout fanout(CensusSpec sample) {
        long pupilsIn = 0;
        long outputs = 0;
        long bytes = 0;
        for (CensusPupil pupil : new SyntheticCensus(sample)) {
            Evaluation evaluation = engine.evaluate(pupil, List.of(), Instant.now());
            pupilsIn++;
            for (Decision decision : evaluation.decisions()) {
                outputs++; // the audit event
                bytes += 400;
                if (decision.sendsRecord()) {
                    outputs++;
                    bytes += disclosures.serialize("t", decision.disclosure()).length;
                }
            }
        }
        return new Fanout((double) outputs / pupilsIn, (int) (bytes / Math.max(outputs, 1)));
    }

    /** Publishes the census (keyed by UPN), each record with a header telling the pass-through topology how many outputs the router makes. */
    long publishCensus(String brokers, String topic, CensusSpec spec, boolean withFanoutHeader) {
        long count = 0;
        try (KafkaProducer<String, byte[]> producer = producer(brokers)) {
            for (CensusPupil pupil : new SyntheticCensus(spec)) {
                RecordHeaders headers = new RecordHeaders();
                if (withFanoutHeader) {
                    int outputs = 0;
                    for (Decision decision : engine.evaluate(pupil, List.of(), Instant.now()).decisions()) {
                        outputs += decision.sendsRecord() ? 2 : 1;
                    }
                    headers.add("fanout", Integer.toString(outputs).getBytes(StandardCharsets.US_ASCII));
                }
                producer.send(new ProducerRecord<>(topic, null, pupil.getIdentity().getUpn(), pupils.serialize(topic, pupil), headers));
                count++;
            }
            producer.flush();
        }
        return count;
    }

    void publishObjections(String brokers, String topic, List<Objection> objections) {
        try (KafkaProducer<String, byte[]> producer = producer(brokers)) {
            for (Objection objection : objections) {
                producer.send(new ProducerRecord<>(topic, new org.pupilflow.schemas.topics.ObjectionKey(objection.getUpn(), objection.getObjectionId()).encode(), objectionValues.serialize(topic, objection)));
            }
            producer.flush();
        }
    }

    static KafkaProducer<String, byte[]> producer(String brokers) {
        Properties config = new Properties();
        config.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 131072, ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"));
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
