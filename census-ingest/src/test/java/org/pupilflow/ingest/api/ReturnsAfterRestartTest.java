package org.pupilflow.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pupilflow.ingest.IngestTestSupport.ctf;
import static org.pupilflow.ingest.IngestTestSupport.post;
import static org.pupilflow.ingest.IngestTestSupport.token;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.ingest.CensusIngestApplication;
import org.pupilflow.ingest.IngestTestSupport;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import tools.jackson.databind.json.JsonMapper;

/**
 * Which returns were published is kept in Kafka, not on the instance: a restarted service still refuses a re-upload, and
 * still knows which return a correction for the same schools must name in replaces=.
 */
@EmbeddedKafka(count = 1, partitions = 3)
class ReturnsAfterRestartTest {

    @Test
    void aReturnPublishedBeforeARestartIsStillADuplicateAfterIt(EmbeddedKafkaBroker broker) {
        String xml = ctf(CensusSpec.of(200).withSeed(301));
        String first;
        try (ConfigurableApplicationContext ingest = start(broker)) {
            HttpResponse<String> response = post(port(ingest), "/returns", "application/xml", xml, token("census:upload"));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            first = JsonMapper.builder().build().readTree(response.body()).get("returnId").asString();
        }

        try (ConfigurableApplicationContext restarted = start(broker)) {
            HttpResponse<String> again = post(port(restarted), "/returns", "application/xml", xml, token("census:upload"));

            assertThat(again.statusCode()).isEqualTo(409);
            assertThat(again.body()).contains("\"earlierReturnId\":\"" + first + "\"");

            // Which return each school's census day belongs to survives the restart too: a correction must name it.
            String corrected = xml.replaceFirst("<Forename>([^<]*)</Forename>", "<Forename>$1e</Forename>");
            HttpResponse<String> undeclared = post(port(restarted), "/returns", "application/xml", corrected, token("census:upload"));
            assertThat(undeclared.statusCode()).as(undeclared.body()).isEqualTo(409);
            assertThat(undeclared.body()).contains("urn:pupilflow:problem:return-replacement-mismatch", "\"earlierReturnId\":\"" + first + "\"");
            assertThat(post(port(restarted), "/returns?replaces=" + first, "application/xml", corrected, token("census:upload")).statusCode()).isEqualTo(201);
        }
    }

    private static ConfigurableApplicationContext start(EmbeddedKafkaBroker broker) {
        return new SpringApplicationBuilder(CensusIngestApplication.class).properties(
                "spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "pupilflow.test.published-policy=../policies/norfolk.yaml",
                "pupilflow.ingest.partitions=3",
                "pupilflow.security.local-dev-secret=" + IngestTestSupport.SECRET,
                "server.port=0").run();
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
