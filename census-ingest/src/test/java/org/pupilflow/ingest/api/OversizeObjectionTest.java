package org.pupilflow.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pupilflow.ingest.IngestTestSupport.post;
import static org.pupilflow.ingest.IngestTestSupport.token;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.ingest.IngestTestSupport;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An objection whose evidence reference is megabytes long: with the request and field limits raised past Kafka's own,
 * the broker's refusal of the record is a 413 naming it, not a 500; with the default limits it never gets that far.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "pupilflow.test.published-policy=../policies/norfolk.yaml",
    "pupilflow.ingest.partitions=3",
    "pupilflow.security.local-dev-secret=" + IngestTestSupport.SECRET,
    "pupilflow.web.max-json-body=8MB",
    "pupilflow.ingest.limits.evidence-reference-max-length=8000000"})
@EmbeddedKafka(count = 1, partitions = 3)
@DirtiesContext
class OversizeObjectionTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Value("${local.server.port}")
    private int port;

    @Test
    void anObjectionRecordTooLargeForKafkaIs413NamingItNotA500() {
        String upn = IngestTestSupport.pupils(CensusSpec.of(5)).get(0).getIdentity().getUpn();
        String threeMegabytes = "x".repeat(3 << 20);

        HttpResponse<String> response = post(port, "/objections", "application/json", "{\"upn\":\"" + upn + "\",\"scope\":\"post16\",\"raisedBy\":\"PARENT\","
                + "\"receivedDate\":\"2026-01-10\",\"evidenceReference\":\"" + threeMegabytes + "\"}", token("objections:write", "objections:read"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asString()).isEqualTo("urn:pupilflow:problem:record-too-large");
        assertThat(problem.get("detail").asString()).contains("larger than Kafka accepts");
        assertThat(IngestTestSupport.get(port, "/objections?upn=" + upn, token("objections:read")).body()).as("nothing recorded").isEqualTo("[]");
    }
}
