package org.pupilflow.ingest;

import org.pupilflow.testing.kafka.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.fixtures.files.CensusFiles;
import org.pupilflow.security.LocalDevTokens;

/** What the ingest tests share: generated returns, tokens, HTTP calls and read-back of topics. */
public final class IngestTestSupport {

    public static final String SECRET = "ingest-test-jwt-signing-key-0123456789-abcdef";

    private IngestTestSupport() {
    }

    public static String ctf(CensusSpec spec) {
        return new String(CensusFiles.bytes(CensusFiles.Format.CTF, spec), StandardCharsets.UTF_8);
    }

    /** {@code pupils}, of {@code spec}'s census, as CTF. */
    public static String ctf(CensusSpec spec, List<CensusPupil> pupils) {
        return new String(CensusFiles.bytes(CensusFiles.Format.CTF, spec, pupils), StandardCharsets.UTF_8);
    }

    public static String csv(CensusSpec spec) {
        return new String(CensusFiles.bytes(CensusFiles.Format.CSV, spec), StandardCharsets.UTF_8);
    }

    private static final java.util.concurrent.atomic.AtomicInteger CENSUSES = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A census of its own: every synthetic census of an LA has the same schools, and a second return for a school and census
     * day is a replacement (409 unless it says replaces=). Each call gives another census day (terms back from autumn 2025),
     * so tests sharing a broker do not replace each other's returns.
     */
    public static CensusSpec ownCensus(int pupils, long seed) {
        // Never the default census day (spring 2026): the hand-written examples (census-formats' Examples) are on it.
        int n = CENSUSES.incrementAndGet();
        org.pupilflow.census.CensusTerm[] terms = {org.pupilflow.census.CensusTerm.SPRING, org.pupilflow.census.CensusTerm.AUTUMN,
            org.pupilflow.census.CensusTerm.SUMMER};
        int year = CensusSpec.DEFAULT_ACADEMIC_YEAR - (n + 1) / 3;
        return new CensusSpec(seed, pupils, CensusSpec.DEFAULT_LA, year, terms[n % 3], null);
    }

    public static List<CensusPupil> pupils(CensusSpec spec) {
        return new SyntheticCensus(spec).stream().toList();
    }

    public static String token(String... roles) {
        return LocalDevTokens.mint(SECRET, "test-officer", roles);
    }

    public static HttpResponse<String> post(int port, String path, String contentType, String body, String token) {
        return send(port, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)), token);
    }

    public static HttpResponse<String> post(int port, String path, String contentType, byte[] body, String token) {
        return send(port, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), token);
    }

    /** The census of {@code spec} in {@code format}. */
    public static byte[] file(CensusFiles.Format format, CensusSpec spec) {
        return CensusFiles.bytes(format, spec);
    }

    public static HttpResponse<String> get(int port, String path, String token) {
        return send(port, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET(), token);
    }

    static HttpResponse<String> send(int port, HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HttpClient.newHttpClient().send(request.timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Everything on a topic, read from the beginning. */
    public static List<ConsumerRecord<String, byte[]>> readAll(String brokers, String topic, boolean readCommitted) {
        return TopicReader.readAll(brokers, topic, readCommitted, Duration.ofSeconds(60));
    }
}
