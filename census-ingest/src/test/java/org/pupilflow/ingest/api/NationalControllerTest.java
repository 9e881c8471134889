package org.pupilflow.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pupilflow.ingest.IngestTestSupport.file;
import static org.pupilflow.ingest.IngestTestSupport.post;
import static org.pupilflow.ingest.IngestTestSupport.token;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.pupilflow.census.CensusTerm;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.files.CensusFiles;
import org.pupilflow.ingest.IngestTestSupport;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A national controller's policy (the DfE's: no {@code localAuthority}) takes every LA's returns: the
 * wrong-LA rule only binds an LA's own PupilFlow.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "pupilflow.test.published-policy=../policies/dfe-onward-sharing.yaml",
    "pupilflow.ingest.partitions=1",
    "pupilflow.security.local-dev-secret=" + IngestTestSupport.SECRET})
@EmbeddedKafka(count = 1, partitions = 1)
@DirtiesContext
class NationalControllerTest {

    @Value("${local.server.port}")
    private int port;

    @Test
    void returnsOfAnyLaArePublished() {
        for (String la : new String[] {"888", "926"}) {
            CensusSpec spec = new CensusSpec(11, 60, la, 2025, CensusTerm.SPRING, null);

            HttpResponse<String> response = post(port, "/returns", "application/zip", file(CensusFiles.Format.TABLES, spec), token("census:upload"));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            JsonNode report = JsonMapper.builder().build().readTree(response.body());
            assertThat(report.get("published").asLong()).isEqualTo(60);
        }
    }
}
