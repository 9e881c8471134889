package org.pupilflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pupilflow.audit.anchor.ChainHeadPublisher;
import org.pupilflow.audit.anchor.ChainHeadTopic;
import org.pupilflow.audit.chain.ChainBreak;
import org.pupilflow.audit.chain.ChainEntry;
import org.pupilflow.audit.chain.ChainHash;
import org.pupilflow.audit.chain.DisclosureCodec;
import org.pupilflow.audit.chain.DisclosureRecord;
import org.pupilflow.audit.database.EmbeddedPostgresServer;
import org.pupilflow.audit.support.AuditServiceTest;
import org.pupilflow.audit.support.AuditTestKafka;
import org.pupilflow.audit.support.Events;
import org.pupilflow.audit.support.Http;
import org.pupilflow.audit.support.OwnerDatabase;
import org.pupilflow.sharing.DeliveryOutcome;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Guarantee 8: the database refuses changes, and what a superuser changes anyway is found by
 * {@code GET /audit/verify}. Each test tampers with its own chain (disclosures partition 0 to 5),
 * in an application of its own (six partitions, so the release-2 tests get chains of their own).
 */
@AuditServiceTest
@TestPropertySource(properties = {"pupilflow.audit.batch-size=200", "pupilflow.audit.partitions=6"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class TamperEvidenceTest {

    @Autowired
    private EmbeddedKafkaBroker broker;

    @Value("${local.server.port}")
    private int port;

    @Autowired
    private EmbeddedPostgresServer postgres;

    @Autowired
    private JdbcTemplate applicationJdbc;

    @Autowired
    private ChainHeadPublisher publisher;

    @Autowired
    private ChainHeadTopic headTopic;

    @Autowired
    private MeterRegistry metrics;

    @Autowired
    private JsonMapper json;

    private AuditTestKafka kafka;
    private OwnerDatabase database;

    @BeforeEach
    void connect() {
        kafka = new AuditTestKafka(broker.getBrokersAsString());
        database = new OwnerDatabase(postgres);
    }

    /** Five decisions in the chain of one partition; returns the chain id. */
    private String fiveDecisionsIn(int partition) {
        String returnId = Events.uniqueId("tamper");
        List<DisclosureEvent> events = IntStream.range(0, 5)
                .mapToObj(i -> Events.disclosure(Events.upn(), "youth-support", DisclosureOutcome.DISCLOSED, returnId)).toList();
        kafka.publishToPartition(partition, events);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(database.disclosuresOfReturn(returnId)).isEqualTo(5));
        return "audit.disclosures-" + partition;
    }

    private JsonNode verify() {
        var response = new Http(port).get("/audit/verify", Http.token("auditor@norfolk.gov.uk", "audit:verify"));
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private static JsonNode chain(JsonNode report, String chainId) {
        return report.get("chains").valueStream().filter(c -> c.get("chainId").asString().equals(chainId)).findFirst().orElseThrow();
    }

    @Test
    void theApplicationRoleCanNeitherUpdateNorTruncateNorDeleteUnrecorded() {
        String chain = fiveDecisionsIn(0);

        assertThatThrownBy(() -> applicationJdbc.update("UPDATE disclosure SET reason = 'x' WHERE chain_id = ?", chain))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> applicationJdbc.execute("TRUNCATE disclosure"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> applicationJdbc.update("DELETE FROM disclosure WHERE chain_id = ?", chain))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("only the retention job may delete");
        assertThatThrownBy(() -> applicationJdbc.update("UPDATE chain_head SET seq = 0 WHERE chain_id = ?", chain))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("may only move forward");
    }

    @Test
    void evenTheSchemaOwnerIsRefusedWhileTheTriggersAreOn() {
        String chain = fiveDecisionsIn(0);

        assertThatThrownBy(() -> database.jdbc().update("UPDATE disclosure SET reason = 'x' WHERE chain_id = ?", chain))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> database.jdbc().execute("TRUNCATE disclosure"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> database.jdbc().update("DELETE FROM chain_erasure"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> database.jdbc().update("DELETE FROM access_log"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
    }

    @Test
    void aRowEditedWithSqlIsFoundByVerify() {
        String chain = fiveDecisionsIn(0);
        long seq = database.count("SELECT max(seq) FROM disclosure WHERE chain_id = ?", chain) - 2;

        database.tamper("UPDATE disclosure SET recipient_id = 'nobody' WHERE chain_id = '" + chain + "' AND seq = " + seq);

        JsonNode report = verify();
        assertThat(report.get("status").asString()).isEqualTo("BROKEN");
        JsonNode broken = chain(report, chain).get("firstBreak");
        assertThat(broken.get("seq").asLong()).isEqualTo(seq);
        assertThat(broken.get("kind").asString()).isEqualTo(ChainBreak.Kind.EDITED.name());
        assertThat(broken.get("detail").asString()).contains("recipientId");
    }

    /**
     * A disclosed record, then, from a re-uploaded return, UNCHANGED (relatesTo the disclosure) and an objection's
     * DELETION_REQUESTED (relatesTo the disclosure), all with a retainUntil, in one partition's chain; returns the chain id.
     */
    private String release2EventsIn(int partition, String returnId) {
        String upn = Events.upn();
        java.time.Instant t = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        DisclosureEvent disclosed = DisclosureEvent.newBuilder(Events.disclosure(upn, "youth-support", DisclosureOutcome.DISCLOSED, returnId, t.minusSeconds(30)))
                .setRetainUntil(java.time.LocalDate.of(2108, 3, 1)).build();
        kafka.publishToPartition(partition, List.of(disclosed, Events.unchanged(disclosed, returnId, t.minusSeconds(20)),
                Events.deletionRequested(disclosed, "obj-9", t.minusSeconds(10))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(database.disclosuresOfReturn(returnId)).isEqualTo(3));
        return "audit.disclosures-" + partition;
    }

    @Test
    void rowsWithRelatesToAndRetainUntilVerifyIntactUntilTouched() {
        String returnId = Events.uniqueId("release2");
        String chain = release2EventsIn(3, returnId);

        JsonNode report = chain(verify(), chain);

        assertThat(report.get("intact").asBoolean()).as(report.toString()).isTrue();
        assertThat(database.count("SELECT count(*) FROM disclosure WHERE return_id = ? AND cardinality(relates_to) = 1", returnId)).isEqualTo(2);
        assertThat(database.count("SELECT count(*) FROM disclosure WHERE return_id = ? AND retain_until = DATE '2108-03-01'", returnId)).isEqualTo(3);
        assertThat(database.count("SELECT count(*) FROM disclosure WHERE return_id = ? AND get_byte(canonical, 4) = 2", returnId))
                .as("rows with release-2 fields are canonical version 2").isEqualTo(3);
    }

    @Test
    void aRelatesToEditedWithSqlIsFoundByVerify() {
        String returnId = Events.uniqueId("relates-to");
        String chain = release2EventsIn(4, returnId);
        long seq = database.count("SELECT seq FROM disclosure WHERE return_id = ? AND outcome = 'DELETION_REQUESTED'", returnId);

        // Pretend a different disclosure was the one the recipient was asked to delete.
        database.tamper("UPDATE disclosure SET relates_to = ARRAY['d-somebody-else'] WHERE chain_id = '" + chain + "' AND seq = " + seq);

        JsonNode broken = chain(verify(), chain).get("firstBreak");
        assertThat(broken.get("seq").asLong()).isEqualTo(seq);
        assertThat(broken.get("kind").asString()).isEqualTo(ChainBreak.Kind.EDITED.name());
        assertThat(broken.get("detail").asString()).contains("relatesTo");
    }

    @Test
    void aRetainUntilEditedWithSqlIsFoundByVerify() {
        String returnId = Events.uniqueId("retain-until");
        String chain = release2EventsIn(5, returnId);
        long seq = database.count("SELECT seq FROM disclosure WHERE return_id = ? AND outcome = 'DISCLOSED'", returnId);

        // Shorten what the policy requires, so retention would erase the row decades early.
        database.tamper("UPDATE disclosure SET retain_until = DATE '2027-01-01' WHERE chain_id = '" + chain + "' AND seq = " + seq);

        JsonNode broken = chain(verify(), chain).get("firstBreak");
        assertThat(broken.get("seq").asLong()).isEqualTo(seq);
        assertThat(broken.get("kind").asString()).isEqualTo(ChainBreak.Kind.EDITED.name());
        assertThat(broken.get("detail").asString()).contains("retainUntil");
    }

    @Test
    void aRowDeletedWithSqlIsFoundByVerify() {
        String chain = fiveDecisionsIn(1);
        long seq = database.count("SELECT max(seq) FROM disclosure WHERE chain_id = ?", chain) - 3;

        database.tamper("DELETE FROM disclosure WHERE chain_id = '" + chain + "' AND seq = " + seq);

        JsonNode broken = chain(verify(), chain).get("firstBreak");
        assertThat(broken.get("seq").asLong()).isEqualTo(seq);
        assertThat(broken.get("kind").asString()).isEqualTo(ChainBreak.Kind.MISSING.name());
    }

    @Test
    void aChainRewrittenConsistentlyIsCaughtByItsPublishedHeadWhichIsNotReplaced() {
        String chain = fiveDecisionsIn(2);
        publisher.publishHeads();
        byte[] published = headTopic.latest().get(chain).hash();
        double refusedBefore = metrics.get("pupilflow.audit.anchors.refused").counter().count();

        rewriteEveryReason(chain, "rewritten by a superuser");

        JsonNode broken = chain(verify(), chain).get("firstBreak");
        assertThat(broken.get("kind").asString()).isEqualTo(ChainBreak.Kind.ANCHOR_MISMATCH.name());
        publisher.publishHeads();
        assertThat(headTopic.latest().get(chain).hash()).isEqualTo(published);
        assertThat(metrics.get("pupilflow.audit.anchors.refused").counter().count()).isGreaterThan(refusedBefore);
    }

    @Test
    void aDeleteCoveredByAForgedCheckpointIsFoundByVerify() {
        DisclosureEvent disclosure = Events.disclosure(Events.upn(), "youth-support", DisclosureOutcome.DISCLOSED, Events.uniqueId("forged"));
        kafka.publishDeliveries(0, IntStream.range(1, 6).mapToObj(attempt -> Events.delivery(disclosure, "webhook", DeliveryOutcome.FAILED, attempt)).toList());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(database.count("SELECT count(*) FROM delivery WHERE disclosure_id = ?", disclosure.getDisclosureId())).isEqualTo(5));
        Map<String, Object> victim = database.jdbc().queryForMap(
                "SELECT chain_id, seq, hash FROM delivery WHERE disclosure_id = ? AND attempts = 3", disclosure.getDisclosureId());

        // The database lets a delete through once a checkpoint covers it; only the signature tells a forged one.
        database.jdbc().update("INSERT INTO chain_erasure (chain_id, first_seq, last_seq, last_hash, erased_at, rule, signature) VALUES (?, ?, ?, ?, now(), 'forged', ?)",
                victim.get("chain_id"), victim.get("seq"), victim.get("seq"), victim.get("hash"), new byte[32]);
        database.jdbc().update("DELETE FROM delivery WHERE chain_id = ? AND seq = ?", victim.get("chain_id"), victim.get("seq"));

        JsonNode chain = chain(verify(), (String) victim.get("chain_id"));
        assertThat(chain.get("intact").asBoolean()).isFalse();
        assertThat(chain.get("firstBreak").get("kind").asString()).isEqualTo(ChainBreak.Kind.FORGED_ERASURE.name());
        assertThat(chain.get("firstBreak").get("seq").asLong()).isEqualTo((Long) victim.get("seq"));
    }

    @Test
    void theHandVerificationQueryFindsAChangedCanonicalByteAndADeletedRow() throws Exception {
        DisclosureEvent disclosure = Events.disclosure(Events.upn(), "youth-support", DisclosureOutcome.DISCLOSED, Events.uniqueId("by-hand"));
        kafka.publishDeliveries(1, IntStream.range(1, 6).mapToObj(attempt -> Events.delivery(disclosure, "webhook", DeliveryOutcome.FAILED, attempt)).toList());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(database.count("SELECT count(*) FROM delivery WHERE disclosure_id = ?", disclosure.getDisclosureId())).isEqualTo(5));
        String chain = "audit.deliveries-1";
        long last = database.count("SELECT max(seq) FROM delivery WHERE chain_id = ?", chain);
        // The documented query, with the documented substitution for delivery chains.
        String query = java.nio.file.Files.readString(java.nio.file.Path.of("docs/verify-chain.sql")).replace("FROM disclosure", "FROM delivery");

        database.tamper("UPDATE delivery SET canonical = overlay(canonical placing '\\x58'::bytea from 60 for 1) WHERE chain_id = '" + chain
                + "' AND seq = " + (last - 3), "DELETE FROM delivery WHERE chain_id = '" + chain + "' AND seq = " + (last - 1));

        List<String> broken = database.jdbc().query(query, (rs, n) -> rs.getString(1) + "/" + rs.getLong(2));
        assertThat(broken).containsExactly(chain + "/" + (last - 3), chain + "/" + last);
    }

    /** What an attacker with superuser rights could do: change rows and recompute every hash, so the table alone is consistent. */
    private void rewriteEveryReason(String chain, String reason) {
        DisclosureCodec codec = new DisclosureCodec();
        List<Map<String, Object>> rows = database.jdbc().queryForList("SELECT seq, canonical FROM disclosure WHERE chain_id = ? ORDER BY seq", chain);
        database.withoutTriggers(connection -> {
            byte[] previous = ChainHash.genesis();
            try (PreparedStatement update = connection.prepareStatement("UPDATE disclosure SET reason = ?, canonical = ?, hash = ? WHERE chain_id = ? AND seq = ?");
                 PreparedStatement head = connection.prepareStatement("UPDATE chain_head SET hash = ? WHERE chain_id = ?")) {
                for (Map<String, Object> row : rows) {
                    ChainEntry<DisclosureRecord> entry = codec.decode((byte[]) row.get("canonical"));
                    DisclosureRecord c = entry.content();
                    DisclosureRecord changed = new DisclosureRecord(c.disclosureId(), c.upn(), c.pseudonymised(), c.pupilPseudonym(), c.recipientKey(),
                            c.recipientId(), c.outcome(), c.fieldsDisclosed(), reason, c.objectionIds(), c.policyId(), c.policyVersion(),
                            c.policyContentHash(), c.legalBasis(), c.returnId(), c.ageMeasuredOn(), c.deleteBy(), c.decidedAt());
                    byte[] canonical = codec.encode(entry.position(), changed);
                    previous = ChainHash.link(previous, canonical);
                    update.setString(1, reason);
                    update.setBytes(2, canonical);
                    update.setBytes(3, previous);
                    update.setString(4, chain);
                    update.setLong(5, (Long) row.get("seq"));
                    update.executeUpdate();
                }
                head.setBytes(1, previous);
                head.setString(2, chain);
                head.executeUpdate();
            }
            return null;
        });
    }
}
