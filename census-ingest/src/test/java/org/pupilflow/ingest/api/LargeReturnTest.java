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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pupilflow.census.CensusTerm;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.fixtures.ctf.CtfXmlWriter;
import org.pupilflow.fixtures.files.CensusFiles;
import org.pupilflow.ingest.IngestTestSupport;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * More than 200 MB of each census format through one census-ingest JVM limited to 256 MB of heap:
 * every upload is streamed through parsing, validation and its Kafka transaction (census tables
 * spooled to disk and joined bucket by bucket), never held. The child JVM logs its garbage
 * collections, and the test prints the most heap any collection found in use and the throughput of
 * each return.
 */
@EmbeddedKafka(count = 1, partitions = 3)
class LargeReturnTest {

    private static final long MB = 1024L * 1024;
    private static final int CTF_PUPILS = 95_000;
    private static final int COLLECT_PUPILS = 200_000;
    private static final int CSV_PUPILS = 520_000;
    /** About 230 bytes of tables a pupil: 950,000 pupils are some 215 MB of CSV in the zip. */
    private static final int TABLES_PUPILS = 950_000;

    @Test
    void returnsOfMoreThan200MbInEveryFormatAreIngestedWithA256MbHeap(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        Path ctf = dir.resolve("large-return.xml");
        CensusSpec ctfSpec = CensusSpec.of(CTF_PUPILS).withSeed(401);
        try (OutputStream out = Files.newOutputStream(ctf)) {
            new CtfXmlWriter(out, ctfSpec, ctfSpec.censusDay().atTime(9, 0)).writeAll(new SyntheticCensus(ctfSpec));
        }
        assertThat(Files.size(ctf)).as("the CTF return is at least 200 MB").isGreaterThan(200 * MB);

        int port = freePort();
        Path log = dir.resolve("ingest.log");
        Path gcLog = dir.resolve("gc.log");
        Process ingest = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-Xlog:gc:file=" + gcLog,
                "-cp", System.getProperty("java.class.path"), "org.pupilflow.ingest.CensusIngestApplication",
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--pupilflow.test.published-policy=../policies/norfolk.yaml",
                "--pupilflow.ingest.partitions=3",
                "--pupilflow.ingest.tables.spool-directory=" + dir,
                "--pupilflow.security.local-dev-secret=" + IngestTestSupport.SECRET))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitHealthy(port, ingest, log);

            JsonNode report = upload(port, ctf, "application/xml", log);
            assertThat(report.get("published").asLong()).isEqualTo(CTF_PUPILS);
            assertThat(report.get("bytes").asLong()).isEqualTo(Files.size(ctf));
            assertThat(committedRecords(broker, CTF_PUPILS)).isEqualTo(CTF_PUPILS);
            Files.delete(ctf);

            // Each return the spring census of another year: the same LA's schools on the same census day would be a replacement
            // (README: Replacements).
            Path collect = generate(CensusFiles.Format.COLLECT, COLLECT_PUPILS, 402, CensusSpec.DEFAULT_ACADEMIC_YEAR - 1, dir.resolve("large-return-collect.xml"));
            assertThat(Files.size(collect)).as("the school census return is at least 200 MB").isGreaterThan(200 * MB);
            assertThat(upload(port, collect, "application/xml", log).get("published").asLong()).isEqualTo(COLLECT_PUPILS);
            Files.delete(collect);

            Path csv = generate(CensusFiles.Format.CSV, CSV_PUPILS, 403, CensusSpec.DEFAULT_ACADEMIC_YEAR - 2, dir.resolve("large-return.csv"));
            assertThat(Files.size(csv)).as("the CSV return is at least 200 MB").isGreaterThan(200 * MB);
            assertThat(upload(port, csv, "text/csv", log).get("published").asLong()).isEqualTo(CSV_PUPILS);
            Files.delete(csv);

            Path tables = generate(CensusFiles.Format.TABLES, TABLES_PUPILS, 404, CensusSpec.DEFAULT_ACADEMIC_YEAR - 3, dir.resolve("large-return-tables.zip"));
            assertThat(uncompressed(tables)).as("the census tables hold at least 200 MB of CSV").isGreaterThan(200 * MB);
            assertThat(upload(port, tables, "application/zip", log).get("published").asLong()).isEqualTo(TABLES_PUPILS);

            assertThat(tail(log)).doesNotContain("OutOfMemoryError");
            try (var left = Files.list(dir)) {
                assertThat(left.filter(f -> f.getFileName().toString().startsWith("census-"))).as("no spooled file is left").isEmpty();
            }
            long[] heap = heapMb(gcLog);
            System.out.printf("LargeReturnTest: heap of the census-ingest JVM (-Xmx256m): at most %d MB before a collection, at most %d MB live after one%n",
                    heap[0], heap[1]);
        } finally {
            ingest.destroy();
            ingest.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The default LA's spring census return of {@code academicYear}. */
    private static Path generate(CensusFiles.Format format, int pupils, long seed, int academicYear, Path file) throws IOException {
        long started = System.nanoTime();
        CensusSpec spec = new CensusSpec(seed, pupils, CensusSpec.DEFAULT_LA, academicYear, CensusTerm.SPRING, null);
        CensusFiles.write(format, spec, file);
        System.out.printf("LargeReturnTest: generated %,d pupils as %s, %,d bytes, in %.1f s%n", pupils, format, Files.size(file),
                (System.nanoTime() - started) / 1e9);
        return file;
    }

    /**
     * How many records of census.pupil-records a read_committed consumer sees, waiting up to a minute
     * for {@code expected}: the upload is answered once its transaction commits, but the markers that
     * let consumers read it are written to the partitions a moment later, longer on a busy machine.
     */
    private static int committedRecords(EmbeddedKafkaBroker broker, int expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        int seen = IngestTestSupport.readAll(broker.getBrokersAsString(), "census.pupil-records", true).size();
        while (seen < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            seen = IngestTestSupport.readAll(broker.getBrokersAsString(), "census.pupil-records", true).size();
        }
        return seen;
    }

    private static JsonNode upload(int port, Path file, String contentType, Path log) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/returns"))
                .header("Content-Type", contentType).header("Authorization", "Bearer " + IngestTestSupport.token("census:upload"))
                .timeout(Duration.ofMinutes(8)).POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(response.statusCode()).as(response.body().substring(0, Math.min(2_000, response.body().length())) + "\n" + tail(log)).isEqualTo(201);
        JsonNode report = JsonMapper.builder().build().readTree(response.body());
        System.out.printf("LargeReturnTest: %s, %,d bytes, %,d pupils published in %.1f s (%,.0f pupils/s, %.1f MB/s)%n", report.get("format").asString(),
                Files.size(file), report.get("published").asLong(), seconds, report.get("published").asLong() / seconds, Files.size(file) / seconds / MB);
        return report;
    }

    private static long uncompressed(Path zip) throws IOException {
        long total = 0;
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (var entry : java.util.Collections.list(file.entries())) {
                total += entry.getSize();
            }
        }
        return total;
    }

    /** The largest heap occupancy before a collection and after one, in the child's GC log ("Pause Young ... 180M->40M(256M)"). */
    private static long[] heapMb(Path gcLog) throws IOException {
        Matcher m = Pattern.compile("(\\d+)M->(\\d+)M\\(\\d+M\\)").matcher(Files.readString(gcLog, StandardCharsets.UTF_8));
        long before = 0;
        long after = 0;
        while (m.find()) {
            before = Math.max(before, Long.parseLong(m.group(1)));
            after = Math.max(after, Long.parseLong(m.group(2)));
        }
        return new long[] {before, after};
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
