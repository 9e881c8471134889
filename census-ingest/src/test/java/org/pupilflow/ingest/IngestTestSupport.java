package org.pupilflow.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.fixtures.csv.CensusCsvWriter;
import org.pupilflow.fixtures.ctf.CtfXmlWriter;
import org.pupilflow.security.LocalDevTokens;

/** What the ingest tests share: generated returns, tokens, HTTP calls and read-back of topics. */
public final class IngestTestSupport {

    public static final String SECRET = "ingest-test-jwt-signing-key-0123456789-abcdef";

    private IngestTestSupport() {
    }

    public static String ctf(CensusSpec spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new CtfXmlWriter(out, spec, spec.censusDay().atTime(9, 0)).writeAll(new SyntheticCensus(spec));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public static String csv(CensusSpec spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new CensusCsvWriter(out).writeAll(new SyntheticCensus(spec));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
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
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
