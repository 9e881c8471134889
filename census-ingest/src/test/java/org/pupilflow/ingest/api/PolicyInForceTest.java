package org.pupilflow.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pupilflow.ingest.IngestTestSupport.ctf;
import static org.pupilflow.ingest.IngestTestSupport.get;
import static org.pupilflow.ingest.IngestTestSupport.ownCensus;
import static org.pupilflow.ingest.IngestTestSupport.post;
import static org.pupilflow.ingest.IngestTestSupport.token;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.pupilflow.ingest.IngestTestSupport;
import org.pupilflow.ingest.PublishedPolicy;
import org.pupilflow.schemas.topics.TopicCatalog;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * census-ingest has no policy of its own: it previews with the policy the sharing-router publishes. Started with none
 * published, then the router's Norfolk policy, then a changed one published while a dry run is read.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "pupilflow.ingest.partitions=1",
    "pupilflow.security.local-dev-secret=" + IngestTestSupport.SECRET})
@EmbeddedKafka(count = 1, partitions = 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyInForceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path NORFOLK = Path.of("../policies/norfolk.yaml");

    @Value("${local.server.port}")
    private int port;

    @Value("${spring.embedded.kafka.brokers}")
    private String brokers;

    @Test
    @Order(1)
    void withoutAPolicyInForceAPreviewIsRefusedSayingWhyButAnObjectionIsStillRecorded() {
        HttpResponse<String> preview = post(port, "/returns?dryRun=true", "application/xml", ctf(ownCensus(50, 301)), token("census:upload"));

        assertThat(preview.statusCode()).as(preview.body()).isEqualTo(503);
        assertThat(preview.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(preview.headers().firstValue("Retry-After")).isPresent();
        JsonNode problem = JSON.readTree(preview.body());
        assertThat(problem.get("type").asString()).isEqualTo("urn:pupilflow:problem:no-policy-in-force");
        assertThat(problem.get("detail").asString()).contains("sharing-router", TopicCatalog.POLICY_IN_FORCE.name(), "nothing was read or published");
        assertThat(post(port, "/returns", "application/xml", ctf(ownCensus(50, 302)), token("census:upload")).statusCode()).isEqualTo(503);

        // An objection is never lost for want of a policy: recorded, published, and marked unchecked.
        HttpResponse<String> objection = post(port, "/objections", "application/json", "{\"upn\":\"" + IngestTestSupport.pupils(ownCensus(1, 303)).get(0)
                .getIdentity().getUpn() + "\",\"scope\":\"youth-support\",\"raisedBy\":\"PARENT\",\"receivedDate\":\"2026-01-10\","
                + "\"evidenceReference\":\"signed letter\"}", token("objections:write"));
        assertThat(objection.statusCode()).as(objection.body()).isEqualTo(201);
        assertThat(objection.body()).contains("\"ageRuleChecked\":false", "no policy is in force yet");
        assertThat(info().get("policy").get("state").asString()).startsWith("none");
    }

    @Test
    @Order(2)
    void aPreviewUsesThePolicyTheRouterPublishedAndSaysWhichAndBothExposeIt() {
        String hash = PublishedPolicy.publish(brokers, TopicCatalog.POLICY_IN_FORCE.name(), NORFOLK, "User:sharing-router@test");
        await().atMost(Duration.ofSeconds(30)).until(() -> hash.equals(info().get("policy").path("contentHash").asString("")));

        HttpResponse<String> preview = post(port, "/returns?dryRun=true", "application/xml", ctf(ownCensus(200, 304)), token("census:upload"));

        assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
        JsonNode report = JSON.readTree(preview.body());
        assertThat(report.get("policy").get("id").asString()).isEqualTo("norfolk-census-sharing");
        assertThat(report.get("policy").get("contentHash").asString()).isEqualTo(hash);
        assertThat(report.get("policy").has("changedTo")).isFalse();
        assertThat(report.get("preview").get("dfe").get("DISCLOSED").asLong()).isEqualTo(200);
        assertThat(get(port, "/actuator/prometheus", null).body())
                .contains("pupilflow_policy_in_force{", "policy_hash=\"" + hash + "\"", "policy_id=\"norfolk-census-sharing\"");
    }

    @Test
    @Order(3)
    void aPolicyChangeWhileADryRunIsReadIsFlaggedNeverSilentlyDifferent() throws Exception {
        String before = PublishedPolicy.publish(brokers, TopicCatalog.POLICY_IN_FORCE.name(), NORFOLK, "User:sharing-router@test");
        await().atMost(Duration.ofSeconds(30)).until(() -> before.equals(info().get("policy").path("contentHash").asString("")));
        byte[] changedDocument = Files.readString(NORFOLK).replace("version: \"2026.1\"", "version: \"2026.2\"").getBytes(StandardCharsets.UTF_8);
        byte[] census = ctf(ownCensus(3_000, 305)).getBytes(StandardCharsets.UTF_8);
        String[] after = new String[1];
        // Half the return is sent, then the router is restarted with another policy, then the rest.
        InputStream body = new HalfwayHook(census, () -> {
            after[0] = PublishedPolicy.publish(brokers, TopicCatalog.POLICY_IN_FORCE.name(), "norfolk.yaml", changedDocument, "User:sharing-router@test-2");
            await().atMost(Duration.ofSeconds(30)).until(() -> after[0].equals(info().get("policy").path("contentHash").asString("")));
        });

        HttpResponse<String> preview = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/returns?dryRun=true"))
                .header("Content-Type", "application/xml").header("Authorization", "Bearer " + token("census:upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
        JsonNode report = JSON.readTree(preview.body());
        assertThat(after[0]).isNotNull().isNotEqualTo(before);
        assertThat(report.get("policy").get("contentHash").asString()).isEqualTo(before);
        assertThat(report.get("policy").get("changedTo").asString()).isEqualTo(after[0]);
        assertThat(report.get("policy").get("notice").asString()).contains("2026.2", "preview again");
        assertThat(report.get("summary").asString()).startsWith("Policy changed during the dry run");

        // Uploading it naming the policy it was previewed with is refused: that policy is no longer the router's.
        HttpResponse<String> upload = post(port, "/returns?previewedPolicy=" + before, "application/xml", ctf(ownCensus(20, 306)), token("census:upload"));
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(409);
        JsonNode problem = JSON.readTree(upload.body());
        assertThat(problem.get("type").asString()).isEqualTo("urn:pupilflow:problem:policy-changed");
        assertThat(problem.get("previewedPolicy").asString()).isEqualTo(before);
        assertThat(problem.get("policyInForce").asString()).isEqualTo(after[0]);

        // The next preview is of the policy now in force, and an upload naming it is accepted.
        HttpResponse<String> again = post(port, "/returns?dryRun=true", "application/xml", ctf(ownCensus(20, 306)), token("census:upload"));
        assertThat(JSON.readTree(again.body()).get("policy").get("contentHash").asString()).isEqualTo(after[0]);
        HttpResponse<String> published = post(port, "/returns?previewedPolicy=" + after[0], "application/xml", ctf(ownCensus(20, 306)),
                token("census:upload"));
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        assertThat(JSON.readTree(published.body()).get("policy").get("contentHash").asString()).isEqualTo(after[0]);
    }

    private JsonNode info() {
        return JSON.readTree(get(port, "/actuator/info", null).body());
    }

    /** The bytes, running {@code hook} once when half of them have been read. */
    private static final class HalfwayHook extends InputStream {
        private final ByteArrayInputStream bytes;
        private final int half;
        private final Runnable hook;
        private int read;
        private boolean hooked;

        HalfwayHook(byte[] content, Runnable hook) {
            this.bytes = new ByteArrayInputStream(content);
            this.half = content.length / 2;
            this.hook = hook;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (!hooked && read >= half) {
                hooked = true;
                hook.run();
            }
            int n = bytes.read(b, off, hooked ? len : Math.min(len, Math.max(1, half - read)));
            if (n > 0) {
                read += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            bytes.close();
        }
    }
}
