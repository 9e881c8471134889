package org.pupilflow.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.fixtures.ctf.CtfXmlWriter;
import org.pupilflow.ingest.IngestTestSupport;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A census return of more than 200 MB goes through a census-ingest JVM limited to 256 MB of heap:
 * the upload is streamed through parsing, validation and the Kafka transaction, never held.
 */
@EmbeddedKafka(count = 1, partitions = 3)
class LargeReturnTest {

    private static final int PUPILS = 95_000;

    @Test
    void aReturnOfMoreThan200MbIsIngestedWithA256MbHeap(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("large-return.xml");
        CensusSpec spec = CensusSpec.of(PUPILS).withSeed(401);
        try (OutputStream out = Files.newOutputStream(file)) {
            new CtfXmlWriter(out, spec, spec.censusDay().atTime(9, 0)).writeAll(new SyntheticCensus(spec));
        }
        assertThat(Files.size(file)).as("the return is at least 200 MB").isGreaterThan(200L * 1024 * 1024);

        int port = freePort();
        Path log = dir.resolve("ingest.log");
        Process ingest = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "org.pupilflow.ingest.CensusIngestApplication",
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--pupilflow.ingest.policy-file=../policies/norfolk.yaml",
                "--pupilflow.ingest.partitions=3",
                "--pupilflow.security.local-dev-secret=" + IngestTestSupport.SECRET))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitHealthy(port, ingest, log);

            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/returns"))
                    .header("Content-Type", "application/xml").header("Authorization", "Bearer " + IngestTestSupport.token("census:upload"))
                    .timeout(Duration.ofMinutes(8)).POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body() + "\n" + tail(log)).isEqualTo(201);
            JsonNode report = JsonMapper.builder().build().readTree(response.body());
            assertThat(report.get("published").asLong()).isEqualTo(PUPILS);
            assertThat(report.get("bytes").asLong()).isEqualTo(Files.size(file));
            assertThat(tail(log)).doesNotContain("OutOfMemoryError");
            assertThat(IngestTestSupport.readAll(broker.getBrokersAsString(), "census.pupil-records", true)).hasSize(PUPILS);
        } finally {
            ingest.destroy();
            ingest.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void awaitHealthy(int port, Process ingest, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            assertThat(ingest.isAlive()).as("census-ingest exited:\n" + tail(log)).isTrue();
            try {
                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("census-ingest did not become healthy:\n" + tail(log));
    }

    private static String tail(Path log) throws IOException {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        return text.length() > 4_000 ? text.substring(text.length() - 4_000) : text;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
