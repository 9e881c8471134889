package org.pupilflow.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.fixtures.ctf.CtfXmlWriter;
import org.pupilflow.security.LocalDevTokens;

/**
 * census-ingest publishing a CTF return against a transactional producer sending the very records it published
 * (read back from its topic) in one transaction with its producer settings; interleaved pairs.
 */
final class IngestStage {

    private static final int PAIRS = Integer.getInteger("bench.pairs", 3);

    private final BenchMain bench;

    IngestStage(BenchMain bench) {
        this.bench = bench;
    }

    void ingestVersusProducer() throws Exception {
        int pupils = bench.quick ? 50_000 : 200_000;
        String topic = "bench.ingest.census";
        bench.createTopic(topic, 6);
        CensusSpec spec = CensusSpec.of(pupils).withSeed(13);
        System.out.printf("==> 5. Ingest: %,d-pupil CTF returns into census-ingest at -Xmx256m against a transactional producer of the same records, %d pairs%n",
                pupils, PAIRS);
        double[] ingest = new double[PAIRS];
        double[] producer = new double[PAIRS];
        double[] ratio = new double[PAIRS];
        double[] heap = new double[PAIRS];
        long fileBytes = 0;
        List<ProducerRecord<String, byte[]>> published = null;
        try (Child service = bench.ingest("census-ingest", topic, "bench.ingest.returns." + UUID.randomUUID())) {
            service.awaitReady(Duration.ofMinutes(3));
            // One smaller return first, so the service's JIT is warm as it is in a long-running service. Another year's
            // census: its schools are the measured returns' first ones, and on the same census day it would be theirs to replace.
            Path warmUp = ctf(new CensusSpec(12, bench.quick ? 5_000 : 20_000, CensusSpec.DEFAULT_LA, CensusSpec.DEFAULT_ACADEMIC_YEAR - 1,
                    CensusSpec.DEFAULT_TERM, "bench-warm-up"), 0);
            upload(service, warmUp, null);
            Files.delete(warmUp);
            // Each measured return after the first is a correction of the one before (same schools and census day): it names it in replaces=.
            String previous = null;
            for (int i = 0; i < PAIRS; i++) {
                // Same pupils, a different file time: a different content hash, so it is not refused as a duplicate.
                Path file = ctf(spec, i + 1);
                fileBytes = Files.size(file);
                Map<TopicPartition, Long> before = ends(topic);
                try (HeapWatch heapWatch = new HeapWatch(service.url(""))) {
                    Uploaded uploaded = upload(service, file, previous);
                    ingest[i] = pupils / uploaded.seconds();
                    previous = uploaded.returnId();
                    heap[i] = heapWatch.peakMb();
                }
                Files.delete(file);
                if (published == null) {
                    published = readBack(topic, before, ends(topic));
                    if (published.size() != pupils) {
                        throw new IllegalStateException("read back " + published.size() + " records of " + pupils);
                    }
                }
                producer[i] = pupils / transactionalSend(published, "bench.ingest.producer");
                ratio[i] = ingest[i] / producer[i];
                System.out.printf("    pair %d: ingest %,.0f pupils/s, transactional producer %,.0f records/s: %.2f%n", i + 1, ingest[i], producer[i], ratio[i]);
            }
        }
        double meanBytes = published.stream().mapToInt(r -> r.value().length).average().orElse(0);
        bench.table.info("5. Ingest, " + Table.fmt(pupils) + "-pupil CTF (" + fileBytes / 1_000_000 + " MB) at -Xmx256m",
                Table.figures(ingest, "pupils/s") + String.format(Locale.UK, ", %.0f MB/s; peak heap ", Table.median(ingest) * fileBytes / pupils / 1e6)
                        + Table.figures(heap, "MB"));
        bench.table.info("5. Transactional producer, the same " + Table.fmt(pupils) + " records (" + Math.round(meanBytes) + " B), one transaction",
                Table.figures(producer, "records/s"));
        bench.table.ratio("Ingest of a CTF return / transactional producer of the same records", ratio, Table.Target.atLeast(0.7), "");
    }

    private Path ctf(CensusSpec spec, int minute) throws Exception {
        Path file = bench.work.resolve("ingest-" + spec.pupils() + "-" + minute + ".xml");
        try (var out = Files.newOutputStream(file)) {
            new CtfXmlWriter(out, spec, spec.censusDay().atTime(9, minute)).writeAll(new SyntheticCensus(spec));
        }
        return file;
    }

    /** A published return: seconds from the first byte sent to the answer, and its id. */
    record Uploaded(double seconds, String returnId) {
    }

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    /**
     * Uploads a return, naming in {@code replaces} (null for none) the return published earlier for the same schools
     * and census day, as census-ingest requires of a correction.
     */
    static Uploaded upload(Child service, Path file, String replaces) throws Exception {
        long start = System.nanoTime();
        String query = replaces == null ? "" : "?replaces=" + java.net.URLEncoder.encode(replaces, java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(service.url("/returns" + query)))
                .header("Content-Type", "application/xml")
                .header("Authorization", "Bearer " + LocalDevTokens.mint(BenchMain.JWT_SECRET, "bench", "census:upload"))
                .timeout(Duration.ofMinutes(30)).POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - start) / 1e9;
        if (response.statusCode() != 201) {
            throw new IllegalStateException("upload of " + file + " answered " + response.statusCode() + ": " + response.body());
        }
        return new Uploaded(seconds, JSON.readTree(response.body()).path("returnId").asString());
    }

    private Map<TopicPartition, Long> ends(String topic) throws Exception {
        try (Admin admin = bench.admin()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                    .forEach((partition, info) -> ends.put(partition, info.offset()));
            return ends;
        }
    }

    /** The committed records between two sets of offsets, as records to send again (same key, value and partition). */
    private List<ProducerRecord<String, byte[]>> readBack(String topic, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bench.kafka.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(to.keySet());
            from.forEach(consumer::seek);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (to.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue()) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() < to.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(new ProducerRecord<>(record.topic(), record.key(), record.value()));
                    }
                }
            }
        }
        return records;
    }

    /** Sends the records to {@code topic} in one transaction, with census-ingest's producer settings; seconds from begin to commit. */
    private double transactionalSend(List<ProducerRecord<String, byte[]>> records, String topic) throws Exception {
        bench.createTopic(topic, 6);
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bench.kafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Duration.ofMinutes(15).toMillis());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-ingest-producer-" + UUID.randomUUID());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            long start = System.nanoTime();
            producer.beginTransaction();
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(new ProducerRecord<>(topic, record.key(), record.value()));
            }
            producer.commitTransaction();
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
