package org.pupilflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pupilflow.audit.chain.ChainHash;
import org.pupilflow.audit.chain.CheckpointSigner;
import org.pupilflow.audit.chain.Erasure;
import org.pupilflow.audit.database.EmbeddedPostgresServer;
import org.pupilflow.audit.retention.RetentionJob;
import org.pupilflow.audit.store.ChainStore;
import org.pupilflow.audit.support.AuditServiceTest;
import org.pupilflow.audit.support.AuditTestKafka;
import org.pupilflow.audit.support.Events;
import org.pupilflow.audit.support.OwnerDatabase;
import org.pupilflow.audit.verify.VerificationService;
import org.pupilflow.audit.verify.VerifyReport;
import org.pupilflow.sharing.DeliveryOutcome;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Retention (test rules: recipient {@code retention-short} keeps decisions one year, its WITHHELD
 * decisions ten years; {@code barnet-early-help} seven years; every other recipient is kept unless
 * a row carries a retainUntil).
 */
@AuditServiceTest
class RetentionTest {

    @Autowired
    private EmbeddedKafkaBroker broker;

    @Autowired
    private EmbeddedPostgresServer postgres;

    @Autowired
    private RetentionJob retention;

    @Autowired
    private VerificationService verification;

    @Autowired
    private ChainStore chains;

    @Autowired
    private CheckpointSigner signer;

    @Autowired
    private JdbcTemplate applicationJdbc;

    @Test
    void expiredRowsAreRemovedBehindSignedCheckpointsAndTheTrailStillVerifies() {
        AuditTestKafka kafka = new AuditTestKafka(broker.getBrokersAsString());
        OwnerDatabase database = new OwnerDatabase(postgres);
        String returnId = Events.uniqueId("retention");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant old = now.minus(400, ChronoUnit.DAYS);
        List<DisclosureEvent> expired = List.of(
                Events.disclosure(Events.upn(), "retention-short", DisclosureOutcome.DISCLOSED, returnId, old),
                Events.disclosure(Events.upn(), "retention-short", DisclosureOutcome.RESTRICTED, returnId, old),
                Events.disclosure(Events.upn(), "retention-short", DisclosureOutcome.DISCLOSED, returnId, old.minusSeconds(60)));
        List<DisclosureEvent> kept = List.of(
                Events.disclosure(Events.upn(), "retention-short", DisclosureOutcome.DISCLOSED, returnId, now.minus(30, ChronoUnit.DAYS)),
                Events.disclosure(Events.upn(), "retention-short", DisclosureOutcome.WITHHELD, returnId, old),
                DisclosureEvent.newBuilder(Events.disclosure(Events.upn(), "retention-short", DisclosureOutcome.DISCLOSED, returnId, old))
                        .setDeleteBy(LocalDate.now().plusDays(10)).build(),
                Events.disclosure(Events.upn(), "dfe", DisclosureOutcome.DISCLOSED, returnId, old));
        kafka.publishToPartition(0, List.of(kept.get(0), expired.get(0), expired.get(1), kept.get(1), expired.get(2)));
        kafka.publishToPartition(1, kept.subList(2, 4));
        kafka.publishDeliveries(List.of(Events.delivery(expired.get(0), "webhook", DeliveryOutcome.DELIVERED, 1),
                Events.delivery(kept.get(0), "webhook", DeliveryOutcome.DELIVERED, 1)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(database.disclosuresOfReturn(returnId)).isEqualTo(7);
            assertThat(database.count("SELECT count(*) FROM delivery WHERE disclosure_id IN (?, ?)", expired.get(0).getDisclosureId(),
                    kept.get(0).getDisclosureId())).isEqualTo(2);
        });

        RetentionJob.Result result = retention.run(Instant.now());

        assertThat(result.disclosuresErased()).isEqualTo(3);
        assertThat(result.deliveriesErased()).isEqualTo(1);
        assertThat(database.jdbc().queryForList("SELECT disclosure_id FROM disclosure WHERE return_id = ?", String.class, returnId))
                .containsExactlyInAnyOrderElementsOf(kept.stream().map(DisclosureEvent::getDisclosureId).toList());
        assertThat(database.count("SELECT count(*) FROM delivery WHERE disclosure_id = ?", kept.get(0).getDisclosureId())).isEqualTo(1);
        List<Erasure> checkpoints = chains.erasures("audit.disclosures-0");
        // expired[0] and expired[1] are consecutive in the chain (one checkpoint), expired[2] is alone (another).
        assertThat(checkpoints).hasSizeGreaterThanOrEqualTo(2).allSatisfy(erasure -> assertThat(signer.verify(erasure)).isTrue());
        assertThat(checkpoints).anySatisfy(erasure -> assertThat(erasure.rows()).isEqualTo(2));
        VerifyReport report = verification.verifyAll();
        assertThat(report.status()).isEqualTo(VerifyReport.Status.INTACT);
        assertThat(report.rowsErased()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aRowCannotBeDeletedWithoutACheckpointNorACheckpointChanged() {
        String returnId = Events.uniqueId("no-delete");
        new AuditTestKafka(broker.getBrokersAsString()).publishToPartition(2, List.of(Events.disclosure(Events.upn(), "dfe", DisclosureOutcome.DISCLOSED, returnId)));
        OwnerDatabase database = new OwnerDatabase(postgres);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(database.disclosuresOfReturn(returnId)).isEqualTo(1));
        Map<String, Object> row = database.jdbc().queryForMap("SELECT chain_id, seq FROM disclosure WHERE return_id = ?", returnId);
        database.jdbc().update("INSERT INTO chain_erasure (chain_id, first_seq, last_seq, last_hash, erased_at, rule, signature) VALUES (?, ?, ?, ?, now(), 'x', ?)",
                "audit.test-unrelated-0", 1L, 1L, ChainHash.genesis(), new byte[32]);

        assertThatThrownBy(() -> applicationJdbc.update("DELETE FROM disclosure WHERE return_id = ?", returnId))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("only the retention job may delete");
        assertThatThrownBy(() -> applicationJdbc.update("UPDATE chain_erasure SET rule = 'y' WHERE chain_id = 'audit.test-unrelated-0'"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> database.jdbc().update("DELETE FROM chain_erasure WHERE chain_id = 'audit.test-unrelated-0'"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThat(database.count("SELECT count(*) FROM disclosure WHERE chain_id = ? AND seq = ?", row.get("chain_id"), row.get("seq"))).isEqualTo(1);
    }

    private static DisclosureEvent retained(DisclosureEvent event, LocalDate retainUntil) {
        return DisclosureEvent.newBuilder(event).setRetainUntil(retainUntil).build();
    }

    private static List<String> present(OwnerDatabase database, List<DisclosureEvent> events) {
        return database.jdbc().queryForList("SELECT disclosure_id FROM disclosure WHERE disclosure_id = ANY (?) ORDER BY disclosure_id", String.class,
                (Object) events.stream().map(DisclosureEvent::getDisclosureId).toArray(String[]::new));
    }

    private static List<String> idsOf(DisclosureEvent... events) {
        return java.util.Arrays.stream(events).map(DisclosureEvent::getDisclosureId).sorted().toList();
    }

    private static Instant at(LocalDate day) {
        return day.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC);
    }

    private void assertIntact() {
        VerifyReport report = verification.verifyAll();
        assertThat(report.status()).as(String.valueOf(report.firstBreak())).isEqualTo(VerifyReport.Status.INTACT);
    }

    /**
     * Barnet's policy: looked-after children's records are kept 75 years after the 18th birthday (the router sets retainUntil);
     * the configured period for barnet-early-help is seven years. All rows in one chain, so erasures leave gaps in its middle.
     */
    @Test
    void aLookedAfterPupilsRowsAreKeptPastTheConfiguredPeriodUntilTheirRetainUntilWhileOtherPupilsGoAtTheConfiguredPeriod() {
        AuditTestKafka kafka = new AuditTestKafka(broker.getBrokersAsString());
        OwnerDatabase database = new OwnerDatabase(postgres);
        String returnId = Events.uniqueId("barnet");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        LocalDate today = LocalDate.ofInstant(now, java.time.ZoneOffset.UTC);
        // Born 2012-05-01: 18 on 2030-05-01, kept until 2105-05-01.
        LocalDate lookedAfterUntil = LocalDate.of(2105, 5, 1);
        DisclosureEvent lookedAfter = retained(Events.disclosure(Events.upn(), "barnet-early-help", DisclosureOutcome.DISCLOSED, returnId, now.minusSeconds(50)),
                lookedAfterUntil);
        DisclosureEvent deletionRequest = Events.deletionRequested(lookedAfter, "obj-3", now.minusSeconds(45));
        DisclosureEvent otherPupil = Events.disclosure(Events.upn(), "barnet-early-help", DisclosureOutcome.DISCLOSED, returnId, now.minusSeconds(40));
        // A shorter policy rule (e.g. child in need) than the configured period: the configured period, the later, decides.
        DisclosureEvent shortRule = retained(Events.disclosure(Events.upn(), "barnet-early-help", DisclosureOutcome.DISCLOSED, returnId, now.minusSeconds(35)),
                today.plusYears(2));
        // No configured rule matches this recipient: its retainUntil alone decides; without one, the row is kept.
        DisclosureEvent noRule = retained(Events.disclosure(Events.upn(), "barnet-statutory", DisclosureOutcome.DISCLOSED, returnId, now.minusSeconds(30)),
                today.plusYears(20));
        DisclosureEvent neither = Events.disclosure(Events.upn(), "barnet-statutory", DisclosureOutcome.DISCLOSED, returnId, now.minusSeconds(25));
        List<DisclosureEvent> all = List.of(lookedAfter, deletionRequest, otherPupil, shortRule, noRule, neither);
        kafka.publishToPartition(2, all);
        kafka.publishDeliveries(List.of(Events.delivery(deletionRequest.getDisclosureId(), "barnet-early-help", "webhook", DeliveryOutcome.DELIVERED, 1),
                Events.delivery(otherPupil, "webhook", DeliveryOutcome.DELIVERED, 1)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(database.disclosuresOfReturn(returnId)).isEqualTo(6);
            assertThat(database.count("SELECT count(*) FROM delivery WHERE disclosure_id IN (?, ?)", deletionRequest.getDisclosureId(),
                    otherPupil.getDisclosureId())).isEqualTo(2);
        });

        retention.run(now);
        retention.run(at(today.plusYears(3)));
        assertThat(present(database, all)).as("within seven years nothing goes; shortRule's retainUntil alone does not shorten the period")
                .containsExactlyElementsOf(idsOf(lookedAfter, deletionRequest, otherPupil, shortRule, noRule, neither));

        retention.run(at(today.plusYears(8)));
        assertThat(present(database, all)).as("past the configured period: the other pupils go, the looked-after pupil stays")
                .containsExactlyElementsOf(idsOf(lookedAfter, deletionRequest, noRule, neither));
        assertThat(database.count("SELECT count(*) FROM delivery WHERE disclosure_id = ?", otherPupil.getDisclosureId())).isZero();
        assertIntact();

        retention.run(at(today.plusYears(20)));
        retention.run(at(lookedAfterUntil));
        assertThat(present(database, all)).as("a retainUntil is kept through its own day; without a rule the row goes the day after it")
                .containsExactlyElementsOf(idsOf(lookedAfter, deletionRequest, neither));
        assertThat(database.count("SELECT count(*) FROM delivery WHERE disclosure_id = ?", deletionRequest.getDisclosureId())).isEqualTo(1);

        retention.run(at(lookedAfterUntil.plusDays(1)));
        assertThat(present(database, all)).as("after its retainUntil the looked-after pupil's rows go; a row with neither rule nor retainUntil stays")
                .containsExactlyElementsOf(idsOf(neither));
        assertThat(database.count("SELECT count(*) FROM delivery WHERE disclosure_id = ?", deletionRequest.getDisclosureId())).isZero();
        assertThat(chains.erasures("audit.disclosures-2")).allSatisfy(erasure -> assertThat(signer.verify(erasure)).isTrue())
                .anySatisfy(erasure -> assertThat(erasure.rule()).isEqualTo("retention: recipient barnet-early-help, outcome *, keep P7Y, and the policy's retainUntil passed"))
                .anySatisfy(erasure -> assertThat(erasure.rule()).isEqualTo("retention: the policy's retainUntil passed (no configured rule matches)"));
        assertIntact();
    }

    @Test
    void aRowWithARetainUntilIsErasedAfterItEvenWithNoRuleButNotBeforeItsDeleteBy() {
        OwnerDatabase database = new OwnerDatabase(postgres);
        String returnId = Events.uniqueId("retain-delete-by");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        LocalDate today = LocalDate.ofInstant(now, java.time.ZoneOffset.UTC);
        DisclosureEvent deleteByLater = DisclosureEvent.newBuilder(retained(
                Events.disclosure(Events.upn(), "barnet-statutory", DisclosureOutcome.DISCLOSED, returnId, now), today.plusYears(30)))
                .setDeleteBy(today.plusYears(40)).build();
        new AuditTestKafka(broker.getBrokersAsString()).publishToPartition(1, List.of(deleteByLater));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(database.disclosuresOfReturn(returnId)).isEqualTo(1));

        retention.run(at(today.plusYears(35)));
        assertThat(database.disclosuresOfReturn(returnId)).as("the recipient's own delete-by date has not passed").isEqualTo(1);

        retention.run(at(today.plusYears(40).plusDays(1)));
        assertThat(database.disclosuresOfReturn(returnId)).isZero();
        assertIntact();
    }
}
