package org.pupilflow.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.decide.Decision;
import org.pupilflow.policy.decide.Pseudonymiser;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.schemas.kafka.AvroSingleObjectSerializer;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.PupilDisclosure;

/** Census records, objections for 2% of pupils, and what the router emits for them (from the same pure function). */
final class Workload {

    static final String KEY = "bench-pseudonymisation-key-not-secret-0123456789";
    /** The header that tells {@link PassThroughTopology} what the router emits for a census record: {@code topic:bytes,...}. */
    static final String FANOUT_HEADER = "fanout";

    private final SharingPolicy policy;
    private final SharingEngine engine;
    private final AvroSingleObjectSerializer<CensusPupil> pupils = new AvroSingleObjectSerializer<>(CensusPupil.class);
    private final AvroSingleObjectSerializer<Objection> objectionValues = new AvroSingleObjectSerializer<>(Objection.class);
    private final AvroSingleObjectSerializer<PupilDisclosure> disclosures = new AvroSingleObjectSerializer<>(PupilDisclosure.class);
    private final AvroSingleObjectSerializer<DisclosureEvent> events = new AvroSingleObjectSerializer<>(DisclosureEvent.class);
    private final Map<String, Integer> outputIndex = new HashMap<>();

    Workload(SharingPolicy policy) {
        this.policy = policy;
        this.engine = new SharingEngine(policy, new Pseudonymiser(KEY.getBytes(StandardCharsets.UTF_8)));
        List<RecipientRule> recipients = policy.recipients();
        for (int i = 0; i < recipients.size(); i++) {
            outputIndex.put(recipients.get(i).id(), i);
        }
    }

    SharingEngine engine() {
        return engine;
    }

    /** The router's outputs: one topic per recipient, in policy order, then the audit topic. */
    int outputTopics() {
        return policy.recipients().size() + 1;
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

    /**
     * What the router emits for a census: output records (recipient records and audit events) and decisions per
     * pupil, and the mean encoded size of an output record.
     */
    record Fanout(double outputsPerPupil, double decisionsPerPupil, int meanOutputBytes, long pupils, long decisions) {
    }

    Fanout fanout(CensusSpec spec, List<Objection> objections) {
        Map<String, List<Objection>> byUpn = byUpn(objections);
        long pupilsIn = 0;
        long outputs = 0;
        long decisions = 0;
        long bytes = 0;
        Instant now = Instant.now();
        for (CensusPupil pupil : new SyntheticCensus(spec)) {
            pupilsIn++;
            for (Decision decision : engine.evaluate(pupil, byUpn.getOrDefault(pupil.getIdentity().getUpn(), List.of()), now).decisions()) {
                decisions++;
                outputs++;
                bytes += events.serialize("t", decision.event()).length;
                if (decision.sendsRecord()) {
                    outputs++;
                    bytes += disclosures.serialize("t", decision.disclosure()).length;
                }
            }
        }
        return new Fanout((double) outputs / pupilsIn, (double) decisions / pupilsIn, (int) (bytes / Math.max(outputs, 1)), pupilsIn, decisions);
    }

    /** The fan-out header of one pupil: for each record the router emits, its output topic's index and its size. */
    private byte[] fanoutHeader(CensusPupil pupil, List<Objection> objections, Instant now) {
        StringBuilder header = new StringBuilder();
        int audit = policy.recipients().size();
        for (Decision decision : engine.evaluate(pupil, objections, now).decisions()) {
            if (decision.sendsRecord()) {
                append(header, outputIndex.get(decision.recipient().id()), disclosures.serialize("t", decision.disclosure()).length);
            }
            append(header, audit, events.serialize("t", decision.event()).length);
        }
        return header.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void append(StringBuilder header, int topic, int bytes) {
        if (!header.isEmpty()) {
            header.append(',');
        }
        header.append(topic).append(':').append(bytes);
    }

    /**
     * Publishes the census (keyed by UPN), each record with the fan-out header: the router ignores it, the
     * pass-through follows it, so both read the very same topic.
     */
    long publishCensus(String brokers, String topic, CensusSpec spec, List<Objection> objections) {
        Map<String, List<Objection>> byUpn = byUpn(objections);
        long count = 0;
        Instant now = Instant.now();
        try (Publisher producer = publisher(brokers)) {
            for (CensusPupil pupil : new SyntheticCensus(spec)) {
                String upn = pupil.getIdentity().getUpn();
                RecordHeaders headers = new RecordHeaders();
                headers.add(FANOUT_HEADER, fanoutHeader(pupil, byUpn.getOrDefault(upn, List.of()), now));
                producer.send(new ProducerRecord<>(topic, null, upn, pupils.serialize(topic, pupil), headers));
                count++;
            }
            producer.flush();
        }
        return count;
    }

    void publishObjections(String brokers, String topic, List<Objection> objections) {
        try (Publisher producer = publisher(brokers)) {
            for (Objection objection : objections) {
                producer.send(new ProducerRecord<>(topic, new org.pupilflow.schemas.topics.ObjectionKey(objection.getUpn(), objection.getObjectionId()).encode(), objectionValues.serialize(topic, objection)));
            }
            producer.flush();
        }
    }

    private static Map<String, List<Objection>> byUpn(List<Objection> objections) {
        Map<String, List<Objection>> byUpn = new HashMap<>();
        for (Objection objection : objections) {
            byUpn.computeIfAbsent(objection.getUpn(), upn -> new ArrayList<>()).add(objection);
        }
        return byUpn;
    }

    /**
     * A producer for loading workloads: acks=all, idempotent, and <b>one request in flight</b>, with every send
     * checked. With more in flight, the first request to a partition created a moment earlier can fail with
     * NOT_LEADER_OR_FOLLOWER while a later one is accepted; the broker keeps no sequence for a producer it has not
     * seen, so it takes the later batch, and the earlier one is then refused with OUT_OF_ORDER_SEQUENCE_NUMBER on
     * every retry until it expires: its records are lost, silently unless the send's result is checked (Kafka
     * 4.2.1, KAFKA-15591; seen here in this benchmark's audit events). Transactional producers are protected: under
     * transactions v2 the broker refuses a first sequence other than 0.
     */
    static Publisher publisher(String brokers) {
        return new Publisher(producer(brokers, 1));
    }

    static KafkaProducer<String, byte[]> producer(String brokers, int inFlight) {
        Properties config = new Properties();
        config.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 131072, ProducerConfig.COMPRESSION_TYPE_CONFIG, "none",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, inFlight));
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends records and fails loudly, at {@link #flush} or {@link #close}, if any send failed. */
    static final class Publisher implements AutoCloseable {
        private final KafkaProducer<String, byte[]> producer;
        private final java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();

        Publisher(KafkaProducer<String, byte[]> producer) {
            this.producer = producer;
        }

        void send(ProducerRecord<String, byte[]> record) {
            producer.send(record, (metadata, exception) -> {
                if (exception != null) {
                    failure.compareAndSet(null, exception);
                }
            });
        }

        void flush() {
            producer.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("a record of the workload was not written: " + failure.get(), failure.get());
            }
        }

        @Override
        public void close() {
            flush();
            producer.close();
        }
    }
}
