package org.pupilflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.pupilflow.audit.database.EmbeddedPostgresServer;
import org.pupilflow.audit.support.AuditServiceTest;
import org.pupilflow.audit.support.AuditTestKafka;
import org.pupilflow.audit.support.Events;
import org.pupilflow.audit.support.Http;
import org.pupilflow.audit.support.OwnerDatabase;
import org.pupilflow.audit.verify.VerificationService;
import org.pupilflow.audit.verify.VerifyReport;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The PostgreSQL server is stopped while events keep arriving and started again on the same data:
 * consumption pauses and resumes, and every event is stored exactly once; queries meanwhile answer 503 with Retry-After.
 */
@AuditServiceTest
@TestPropertySource(properties = "pupilflow.audit.batch-size=50")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DatabaseOutageTest {

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutageTest.class);

    @Autowired
    private EmbeddedKafkaBroker broker;

    @Autowired
    private EmbeddedPostgresServer postgres;

    @Autowired
    private VerificationService verification;

    @Autowired
    private MeterRegistry metrics;

    @org.springframework.beans.factory.annotation.Value("${local.server.port}")
    private int port;

    private static List<DisclosureEvent> decisions(String returnId, int count) {
        return IntStream.range(0, count).mapToObj(i -> Events.disclosure(Events.upn(), "dfe", DisclosureOutcome.DISCLOSED, returnId)).toList();
    }

    private double failedBatches() {
        return metrics.get("pupilflow.audit.batch.failures").tag("ledger", "disclosure").counter().count();
    }

    @Test
    void eventsArrivingWhileTheDatabaseIsDownAreStoredExactlyOnceWhenItReturns() {
        AuditTestKafka kafka = new AuditTestKafka(broker.getBrokersAsString());
        OwnerDatabase database = new OwnerDatabase(postgres);
        String returnId = Events.uniqueId("outage");
        List<DisclosureEvent> before = decisions(returnId, 300);
        List<DisclosureEvent> during = decisions(returnId, 300);
        List<DisclosureEvent> after = decisions(returnId, 300);
        kafka.publish(before.subList(0, 150));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(database.disclosuresOfReturn(returnId)).isPositive());
        kafka.publish(before.subList(150, 300));

        postgres.stop();
        for (int i = 0; i < during.size(); i += 50) {
            kafka.publish(during.subList(i, i + 50));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> failedBatches() >= 2);
        // The DPO's queries meanwhile: 503 with Retry-After, as a problem document, never a 500.
        java.net.http.HttpResponse<String> duringOutage = new Http(port).get("/audit/summary?returnId=" + returnId, Http.token("dpo", "audit:read"));
        assertThat(duringOutage.statusCode()).as(duringOutage.body()).isEqualTo(503);
        assertThat(duringOutage.headers().firstValue("Retry-After")).hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(duringOutage.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(duringOutage.body()).contains("\"type\":\"urn:pupilflow:problem:service-unavailable\"", "database");
        postgres.restart();
        long restarted = System.nanoTime();
        List<DisclosureEvent> replayed = new ArrayList<>(after);
        replayed.addAll(before.subList(0, 40));
        replayed.addAll(during.subList(100, 140));
        kafka.publish(replayed);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(database.disclosuresOfReturn(returnId)).isEqualTo(900));
        log.info("Outage test: 900 distinct events stored; {} batches refused during the outage; recovered {} ms after the restart",
                (long) failedBatches(), (System.nanoTime() - restarted) / 1_000_000);
        assertThat(database.count("SELECT count(DISTINCT disclosure_id) FROM disclosure WHERE return_id = ?", returnId)).isEqualTo(900);
        assertThat(database.gapsInChains("disclosure"))
                .as("sequence numbers are gapless in every chain").isZero();
        assertThat(verification.verifyAll().status()).isEqualTo(VerifyReport.Status.INTACT);
    }
}
