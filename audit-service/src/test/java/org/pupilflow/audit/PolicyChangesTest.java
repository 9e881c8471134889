package org.pupilflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.pupilflow.audit.database.EmbeddedPostgresServer;
import org.pupilflow.audit.support.AuditServiceTest;
import org.pupilflow.audit.support.Http;
import org.pupilflow.audit.support.OwnerDatabase;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.policy.publish.PolicyPublication;
import org.pupilflow.schemas.topics.TopicCatalog;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A change of the policy in force is an audited event: audit-service reads what the router publishes and records
 * each change (the first policy too) with who, when, and the old and new hash, for the DPO; a router restarted with
 * the same policy is no change. Real broker, real PostgreSQL.
 */
@AuditServiceTest
class PolicyChangesTest {

    private static final String DPO = "dpo@norfolk.gov.uk";

    @Autowired
    private EmbeddedKafkaBroker broker;

    @Autowired
    private EmbeddedPostgresServer postgres;

    @Autowired
    private JsonMapper json;

    @Value("${local.server.port}")
    private int port;

    @Test
    void eachPolicyChangeIsRecordedOnceWithWhoWhenAndTheOldAndNewHashAndTheTableIsAppendOnly() throws Exception {
        byte[] norfolk = Files.readAllBytes(Path.of("../policies/norfolk.yaml"));
        byte[] revised = new String(norfolk, StandardCharsets.UTF_8).replace("version: \"2026.1\"", "version: \"2026.2\"").getBytes(StandardCharsets.UTF_8);
        SharingPolicy first = new PolicyLoader().parse("norfolk.yaml", norfolk);
        SharingPolicy second = new PolicyLoader().parse("norfolk.yaml", revised);
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        publish(PolicyPublication.of(first, "norfolk.yaml", norfolk, t, "User:sharing-router@router-0"));
        publish(PolicyPublication.of(first, "norfolk.yaml", norfolk, t.plusSeconds(60), "User:sharing-router@router-1"));   // a restart: no change
        publish(PolicyPublication.of(second, "norfolk.yaml", revised, t.plusSeconds(120), "User:sharing-router@router-1"));

        Http http = new Http(port);
        await().atMost(Duration.ofSeconds(30)).until(() -> changes(http).get("changes").size() >= 2);
        JsonNode report = changes(http);

        assertThat(report.get("intact").asBoolean()).as(report.toString()).isTrue();
        JsonNode changes = report.get("changes");
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).get("oldHash") == null || changes.get(0).get("oldHash").isNull()).as("the first policy is a change from none").isTrue();
        assertThat(changes.get(0).get("newHash").asString()).isEqualTo(first.contentHash());
        assertThat(changes.get(0).get("publishedBy").asString()).isEqualTo("User:sharing-router@router-0");
        assertThat(Instant.parse(changes.get(0).get("publishedAt").asString())).isEqualTo(t);
        assertThat(changes.get(1).get("oldHash").asString()).isEqualTo(first.contentHash());
        assertThat(changes.get(1).get("newHash").asString()).isEqualTo(second.contentHash());
        assertThat(changes.get(1).get("policyVersion").asString()).isEqualTo("2026.2");
        assertThat(changes.get(1).get("recordedAt")).isNotNull();
        assertThat(http.get("/audit/policy-changes/2", Http.token(DPO, "audit:read")).body()).isEqualTo(new String(revised, StandardCharsets.UTF_8));
        assertThat(http.get("/audit/policy-changes", Http.token(DPO, "audit:verify")).statusCode()).as("only audit:read").isEqualTo(403);

        // Append-only, even for the schema owner.
        OwnerDatabase database = new OwnerDatabase(postgres);
        assertThatThrownBy(() -> database.jdbc().execute("UPDATE policy_change SET old_hash = NULL WHERE seq = 2")).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> database.jdbc().execute("DELETE FROM policy_change")).rootCause().hasMessageContaining("append-only");
    }

    private JsonNode changes(Http http) {
        return json.readTree(http.get("/audit/policy-changes", Http.token(DPO, "audit:read")).body());
    }

    private void publish(PolicyPublication publication) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TopicCatalog.POLICY_IN_FORCE.name(), TopicCatalog.POLICY_IN_FORCE_KEY, publication.toJson())).get();
        }
    }
}
