package org.pupilflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pupilflow.audit.database.EmbeddedPostgresServer;
import org.pupilflow.audit.support.AuditServiceTest;
import org.pupilflow.audit.support.AuditTestKafka;
import org.pupilflow.audit.support.Events;
import org.pupilflow.audit.support.OwnerDatabase;
import org.pupilflow.audit.verify.VerificationService;
import org.pupilflow.audit.verify.VerifyReport;
import org.pupilflow.sharing.DeliveryOutcome;
import org.pupilflow.sharing.DeliveryReceipt;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.beans.factory.annotation.Value;

/** Kafka to PostgreSQL: idempotent, read_committed, offsets after the database commit, nothing silently dropped. */
@AuditServiceTest
class IngestIntegrationTest {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IngestIntegrationTest.class);

    @Autowired
    private EmbeddedKafkaBroker broker;

    @Value("${local.server.port}")
    private int port;

    @Autowired
    private EmbeddedPostgresServer postgres;

    @Autowired
    private VerificationService verification;

    private AuditTestKafka kafka;
    private OwnerDatabase database;

    @BeforeEach
    void connect() {
        kafka = new AuditTestKafka(broker.getBrokersAsString());
        database = new OwnerDatabase(postgres);
    }

    private static List<DisclosureEvent> decisions(String returnId, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> Events.disclosure(Events.upn(), i % 2 == 0 ? "dfe" : "youth-support", DisclosureOutcome.DISCLOSED, returnId))
                .toList();
    }

    @Test
    void theSameEventTwiceIsStoredOnceAndTakesOneSequenceNumber() {
        String returnId = Events.uniqueId("idempotence");
        List<DisclosureEvent> events = decisions(returnId, 40);
        List<DisclosureEvent> replayed = new ArrayList<>(events.subList(0, 25));

        kafka.publishToPartition(0, events);
        kafka.publishToPartition(0, replayed);
        kafka.publishToPartition(2, events.subList(30, 40));
        // Records of one partition are processed in order: once the last one is stored, the replays before it were seen.
        DisclosureEvent last0 = Events.disclosure(Events.upn(), "dfe", DisclosureOutcome.DISCLOSED, returnId);
        DisclosureEvent last2 = Events.disclosure(Events.upn(), "dfe", DisclosureOutcome.DISCLOSED, returnId);
        kafka.publishToPartition(0, List.of(last0));
        kafka.publishToPartition(2, List.of(last2));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stored(last0, last2)).isEqualTo(2));
        assertThat(database.disclosuresOfReturn(returnId)).isEqualTo(42);
        assertThat(database.gapsInChains("disclosure"))
                .as("sequence numbers are gapless in every chain").isZero();
        assertThat(verification.verifyAll().status()).isEqualTo(VerifyReport.Status.INTACT);
        assertThat(database.jdbc().queryForList(handVerification())).as("docs/verify-chain.sql finds no broken link").isEmpty();
    }

    private static String handVerification() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("docs/verify-chain.sql"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aLargeReturnIsStoredCompletelyAcrossManyBatches() {
        String returnId = Events.uniqueId("large");
        List<DisclosureEvent> events = decisions(returnId, 5_000);
        long started = System.nanoTime();

        kafka.publish(events);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(database.disclosuresOfReturn(returnId)).isEqualTo(5_000));
        double seconds = (System.nanoTime() - started) / 1e9;
        // A figure for the log, not an assertion: performance is measured by benchmarks, not unit tests.
        log.info("Stored 5,000 events (published in one transaction) in {} s: {} events/s end to end", String.format("%.2f", seconds),
                Math.round(5_000 / seconds));
        assertThat(database.gapsInChains("disclosure")).isZero();
    }

    @Test
    void eventsOfAnAbortedTransactionAreNeverStored() {
        String returnId = Events.uniqueId("aborted");
        List<DisclosureEvent> aborted = decisions(returnId, 10);
        List<DisclosureEvent> committed = decisions(returnId, 5);

        kafka.publishAborted(1, aborted);
        kafka.publishToPartition(1, committed);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(database.disclosuresOfReturn(returnId)).isEqualTo(5));
        assertThat(database.count("SELECT count(*) FROM disclosure WHERE disclosure_id = ANY (?)",
                (Object) aborted.stream().map(DisclosureEvent::getDisclosureId).toArray(String[]::new))).isZero();
    }

    @Test
    void anUndecodableRecordGoesToTheDeadLetterTopicWithItsReasonAndTheRestIsStored() {
        String returnId = Events.uniqueId("poison");
        DisclosureEvent before = Events.disclosure(Events.upn(), "dfe", DisclosureOutcome.DISCLOSED, returnId);
        DisclosureEvent after = Events.disclosure(Events.upn(), "dfe", DisclosureOutcome.DISCLOSED, returnId);
        byte[] garbage = ("not avro " + returnId).getBytes(StandardCharsets.UTF_8);

        kafka.publishToPartition(1, List.of(before));
        kafka.publishRaw(AuditTestKafka.DISCLOSURES, 1, "J935123420731", garbage);
        kafka.publishToPartition(1, List.of(after));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(database.disclosuresOfReturn(returnId)).isEqualTo(2));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kafka.readAll("audit.disclosures.dead-letters"))
                .anySatisfy(letter -> {
                    assertThat(letter.value()).isEqualTo(garbage);
                    assertThat(header(letter, "pupilflow.dead-letter.reason")).isEqualTo("undecodable");
                    assertThat(header(letter, "pupilflow.dead-letter.source")).startsWith("audit.disclosures-1@");
                    assertThat(header(letter, "pupilflow.dead-letter.detail")).contains("not Avro single-object encoded");
                }));
    }

    @Test
    void anEventWhoseOutcomeIsTheUnrecognisedDefaultIsDeadLetteredNotAuditedAsSomethingElse() {
        String returnId = Events.uniqueId("unrecognised");
        DisclosureEvent unknown = DisclosureEvent.newBuilder(Events.disclosure(Events.upn(), "dfe", DisclosureOutcome.DISCLOSED, returnId))
                .setOutcome(DisclosureOutcome.UNRECOGNISED).build();
        DisclosureEvent after = Events.disclosure(Events.upn(), "dfe", DisclosureOutcome.DISCLOSED, returnId);

        kafka.publishToPartition(2, List.of(unknown, after));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(database.disclosuresOfReturn(returnId)).isEqualTo(1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kafka.readAll("audit.disclosures.dead-letters"))
                .anySatisfy(letter -> {
                    assertThat(letter.value()).isEqualTo(kafka.encode(unknown));
                    assertThat(header(letter, "pupilflow.dead-letter.reason")).isEqualTo("undecodable");
                    assertThat(header(letter, "pupilflow.dead-letter.detail")).contains("outcome UNRECOGNISED");
                }));
        assertThat(database.count("SELECT count(*) FROM disclosure WHERE disclosure_id = ?", unknown.getDisclosureId())).isZero();
    }

    @Test
    void deliveryReceiptsAreStoredOnceEachInTheirOwnChains() {
        String returnId = Events.uniqueId("deliveries");
        DisclosureEvent disclosed = Events.disclosure(Events.upn(), "youth-support", DisclosureOutcome.DISCLOSED, returnId);
        DeliveryReceipt failed = Events.delivery(disclosed, "webhook", DeliveryOutcome.FAILED, 1);
        DeliveryReceipt delivered = Events.delivery(disclosed, "webhook", DeliveryOutcome.DELIVERED, 2);

        kafka.publish(List.of(disclosed));
        kafka.publishDeliveries(List.of(failed, delivered, failed));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(database.count("SELECT count(*) FROM delivery WHERE disclosure_id = ?", disclosed.getDisclosureId())).isEqualTo(2));
        assertThat(database.jdbc().queryForList("SELECT DISTINCT chain_id FROM delivery WHERE disclosure_id = ?", String.class, disclosed.getDisclosureId()))
                .allMatch(chain -> chain.startsWith("audit.deliveries-"));
        assertThat(verification.verifyAll().chains()).anySatisfy(chain -> {
            assertThat(chain.ledger()).isEqualTo("delivery");
            assertThat(chain.intact()).isTrue();
        });
    }

    @Test
    void persistedEventsBatchLatencyVerifyStatusAndConsumerLagAreExported() throws Exception {
        String returnId = Events.uniqueId("metrics");
        kafka.publish(decisions(returnId, 3));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(database.disclosuresOfReturn(returnId)).isEqualTo(3));
        verification.verifyAll();

        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .containsPattern("pupilflow_audit_events_persisted_total\\{.*ledger=\"disclosure\".*\\} [1-9]")
                .contains("pupilflow_audit_batch_seconds_bucket")
                .contains("pupilflow_audit_dead_letters_total")
                .containsPattern("pupilflow_audit_verify_status\\{.*\\} 1\\.0")
                .contains("kafka_consumer_fetch_manager_records_lag_max")
                .contains("application=\"audit-service\"");
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return record.headers().lastHeader(name) == null ? null : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private long stored(DisclosureEvent... events) {
        return database.count("SELECT count(*) FROM disclosure WHERE disclosure_id = ANY (?)",
                (Object) java.util.Arrays.stream(events).map(DisclosureEvent::getDisclosureId).toArray(String[]::new));
    }
}
