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
 * decisions ten years; every other recipient is kept).
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
}
