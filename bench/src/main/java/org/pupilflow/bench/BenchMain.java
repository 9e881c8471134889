package org.pupilflow.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.fixtures.ctf.CtfXmlWriter;
import org.pupilflow.local.LocalPostgres;
import org.pupilflow.local.ServiceProcess;
import org.pupilflow.broker.StandaloneKafka;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.schemas.kafka.AvroSingleObjectSerializer;
import org.pupilflow.security.LocalDevTokens;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;

/**
 * Runs every benchmark in sequence on one standalone broker and prints a table of figures and
 * ratios measured in this run (absolute figures drift between runs and machines; ratios less so).
 * Results are also written to {@code bench/results/<date>.md}. Usage: {@code ./bench/run [--quick]}.
 */
public final class BenchMain {

    private static final String JWT_SECRET = "local-dev-only-NOT-SECRET-jwt-signing-key-0001";

    private final Path repository;
    private final Path work;
    private final boolean quick;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private StandaloneKafka kafka;
    private int nextPort = 18_100;

    BenchMain(Path repository, Path work, boolean quick) {
        this.repository = repository;
        this.work = work;
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        Path repository = Path.of(System.getProperty("pupilflow.repository", ".")).toAbsolutePath().normalize();
        boolean quick = Arrays.asList(args).contains("--quick");
        Path work = Files.createTempDirectory("pupilflow-bench");
        BenchMain bench = new BenchMain(repository, work, quick);
        Instant started = Instant.now();
        try {
            bench.runAll();
        } finally {
            bench.close();
        }
        bench.report(Duration.between(started, Instant.now()));
    }

    private void runAll() throws Exception {
        System.out.println("==> Standalone Kafka broker (KRaft) in " + work);
        kafka = new StandaloneKafka(repository, work.resolve("kafka"), 19_092, 19_093).start(Duration.ofSeconds(60));
        SharingPolicy policy = new PolicyLoader().load(repository.resolve("policies/norfolk.yaml"));
        Workload workload = new Workload(policy);
        Workload.Fanout fanout = workload.fanout(CensusSpec.of(20_000).withSeed(5));
        notes.add(String.format(Locale.UK, "Norfolk policy fan-out: %.2f output records per census record (recipient records + audit events), mean %d bytes each.",
                fanout.outputsPerPupil(), fanout.meanOutputBytes()));

        double ceiling = ceiling(fanout);
        double passThrough = passThrough(workload, fanout);
        double router = routerSeries(workload, policy, fanout);
        row("Router / pass-through", String.format(Locale.UK, "%.2f", router / passThrough), "pupils/s ratio", "target >= 0.8");
        row("Router output / ceiling", String.format(Locale.UK, "%.2f", router * fanout.outputsPerPupil() / ceiling), "records/s ratio", "");
        latency(workload, policy);
        ingest();
        audit();
        policyEngine();
    }

    // 1. Raw producer throughput for records of the router's output size.
    private double ceiling(Workload.Fanout fanout) throws Exception {
        int records = quick ? 200_000 : 1_000_000;
        createTopic("bench.ceiling", 6);
        byte[] payload = new byte[fanout.meanOutputBytes()];
        System.out.printf("==> 1. Ceiling: %,d producer records of %d bytes, acks=all%n", records, payload.length);
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = Workload.producer(kafka.bootstrapServers())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("bench.ceiling", Integer.toString(i), payload));
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double perSecond = records / seconds;
        row("1. Ceiling: raw producer", fmt(perSecond) + " rec/s", String.format(Locale.UK, "%.1f MB/s", perSecond * payload.length / 1e6), "");
        return perSecond;
    }

    // 2. EOS Kafka Streams with the router's fan-out and no policy work.
    private double passThrough(Workload workload, Workload.Fanout fanout) throws Exception {
        int pupils = quick ? 50_000 : 100_000;
        String input = "bench.pass.in";
        createTopic(input, 6);
        String[] outputs = new String[7];
        for (int i = 0; i < outputs.length; i++) {
            outputs[i] = "bench.pass.out" + i;
            createTopic(outputs[i], 6);
        }
        workload.publishCensus(kafka.bootstrapServers(), input, CensusSpec.of(pupils).withSeed(2), true);
        System.out.printf("==> 2. Pass-through: %,d census records, EOS v2, the router's fan-out%n", pupils);
        String applicationId = "bench-pass-" + UUID.randomUUID();
        long start = System.nanoTime();
        KafkaStreams streams = PassThroughTopology.start(kafka.bootstrapServers(), applicationId, input, outputs, fanout.meanOutputBytes());
        long firstSeen = awaitGroupLag(applicationId, input, start);
        double seconds = (System.nanoTime() - firstSeen) / 1e9;
        PassThroughTopology.stop(streams);
        double perSecond = pupils / seconds;
        row("2. Pass-through (EOS, same fan-out)", fmt(perSecond) + " pupils/s", fmt(perSecond * fanout.outputsPerPupil()) + " out rec/s", "");
        return perSecond;
    }

    /** Waits until the consumer group has committed the end of the input; returns when it first committed anything. */
    private long awaitGroupLag(String group, String topic, long startNanos) throws Exception {
        try (Admin admin = admin()) {
            long end = admin.listOffsets(partitionsOf(admin, topic)).all().get().values().stream().mapToLong(info -> info.offset()).sum();
            long first = 0;
            while (true) {
                long committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                        .filter(java.util.Objects::nonNull).mapToLong(o -> o.offset()).sum();
                if (committed > 0 && first == 0) {
                    first = System.nanoTime();
                }
                if (committed >= end) {
                    return first == 0 ? startNanos : first;
                }
                Thread.sleep(50);
            }
        }
    }

    // 3. The real router with the Norfolk policy, 2% objections, audit events: a scaling series.
    private double routerSeries(Workload workload, SharingPolicy policy, Workload.Fanout fanout) throws Exception {
        int[] series = quick ? new int[] {20_000, 40_000} : new int[] {50_000, 100_000, 200_000, 400_000};
        double last = 0;
        for (int pupils : series) {
            String census = "bench.census." + pupils;
            String objections = "bench.objections." + pupils;
            createTopic(census, 6);
            createTopic(objections, 6);
            CensusSpec spec = CensusSpec.of(pupils).withSeed(3);
            workload.publishObjections(kafka.bootstrapServers(), objections, Workload.objections(spec, policy));
            workload.publishCensus(kafka.bootstrapServers(), census, spec, false);
            System.out.printf("==> 3. Router: %,d pupils (census pre-loaded), 2%% objections, Norfolk policy%n", pupils);
            ServiceProcess router = router("bench-router-" + pupils, census, objections, org.pupilflow.schemas.topics.TopicCatalog.CENSUS_DEAD_LETTERS.name());
            try (HeapWatch heap = new HeapWatch(router.url(""))) {
                long first = 0;
                while (true) {
                    double routed = Prometheus.sum(router.url(""), "pupilflow_router_records_total", null);
                    if (routed > 0 && first == 0) {
                        first = System.nanoTime();
                    }
                    if (routed >= pupils) {
                        break;
                    }
                    Thread.sleep(100);
                }
                double seconds = (System.nanoTime() - first) / 1e9;
                last = pupils / seconds;
                row("3. Router, " + fmt(pupils) + " pupils", fmt(last) + " pupils/s",
                        fmt(last * fanout.outputsPerPupil()) + " out rec/s", String.format(Locale.UK, "peak heap %.0f MB (-Xmx512m)", heap.peakMb()));
            } finally {
                router.close();
            }
        }
        return last;
    }

    private ServiceProcess router(String applicationId, String census, String objections, String deadLetters) throws Exception {
        ServiceProcess router = new ServiceProcess("sharing-router", repository.resolve("sharing-router/target/sharing-router-0.1.0-SNAPSHOT.jar"),
                nextPort++, work.resolve("logs"), "512m", List.of(
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.kafka.streams.application-id=" + applicationId,
                "--spring.kafka.streams.properties.state.dir=" + work.resolve(applicationId),
                "--pupilflow.router.policy-file=" + repository.resolve("policies/norfolk.yaml"),
                "--pupilflow.router.pseudonymisation-key=" + Workload.KEY,
                "--pupilflow.router.topics.census=" + census,
                "--pupilflow.router.topics.objections=" + objections,
                "--pupilflow.router.topics.dead-letters=" + deadLetters,
                "--logging.level.root=WARN"));
        router.start();
        router.awaitReady(Duration.ofMinutes(2));
        return router;
    }

    // 4. Census -> recipient topic latency at a steady 1,000 pupils/s.
    private void latency(Workload workload, SharingPolicy policy) throws Exception {
        int seconds = quick ? 20 : 60;
        int warmUpSeconds = 10;
        String census = "bench.census.latency";
        String objections = "bench.objections.latency";
        createTopic(census, 6);
        createTopic(objections, 6);
        ServiceProcess router = router("bench-router-latency", census, objections, org.pupilflow.schemas.topics.TopicCatalog.CENSUS_DEAD_LETTERS.name());
        String dfeTopic = policy.recipients().stream().filter(recipient -> recipient.id().equals("dfe")).findFirst().orElseThrow().topic();
        System.out.printf("==> 4. Latency: 1,000 pupils/s for %d s after %d s of warm-up, census publish -> %s (read_committed)%n", seconds, warmUpSeconds, dfeTopic);
        String returnId = "latency-" + UUID.randomUUID();
        List<Long> latencies = new ArrayList<>();
        AtomicLong sent = new AtomicLong();
        try (KafkaConsumer<String, byte[]> consumer = consumer(dfeTopic)) {
            consumer.poll(Duration.ofMillis(500));
            Thread producer = new Thread(() -> {
                AvroSingleObjectSerializer<CensusPupil> values = new AvroSingleObjectSerializer<>(CensusPupil.class);
                CensusSpec spec = new CensusSpec(9, (seconds + warmUpSeconds) * 1_000, "926", 2025, org.pupilflow.census.CensusTerm.SPRING, returnId);
                try (KafkaProducer<String, byte[]> kafkaProducer = Workload.producer(kafka.bootstrapServers())) {
                    long start = System.nanoTime();
                    long i = 0;
                    for (CensusPupil pupil : new SyntheticCensus(spec)) {
                        long due = start + i * 1_000_000L;
                        while (System.nanoTime() < due) {
                            Thread.onSpinWait();
                        }
                        kafkaProducer.send(new ProducerRecord<>(census, null, System.currentTimeMillis(), pupil.getIdentity().getUpn(), values.serialize(census, pupil)));
                        i++;
                        sent.incrementAndGet();
                    }
                }
            });
            producer.start();
            // The first seconds warm the router's JIT up; only the steady state after them is measured.
            long measureFrom = System.currentTimeMillis() + warmUpSeconds * 1_000L;
            long deadline = System.currentTimeMillis() + (seconds + warmUpSeconds) * 1_000L + 30_000;
            long received = 0;
            while (received < (seconds + warmUpSeconds) * 1_000L && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    received++;
                    if (record.timestamp() >= measureFrom) {
                        latencies.add(System.currentTimeMillis() - record.timestamp());
                    }
                }
            }
            producer.join();
        } finally {
            router.close();
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            row("4. Latency at 1,000 pupils/s", "no records", "", "");
            return;
        }
        row("4. Latency at 1,000 pupils/s, " + seconds + " s", "p50 " + sorted[sorted.length / 2] + " ms",
                "p99 " + sorted[(int) (sorted.length * 0.99)] + " ms", "max " + sorted[sorted.length - 1] + " ms (" + fmt(sorted.length) + " records; target p99 <= 250 ms)");
    }

    // 5. Ingest: CTF XML parse + validate + publish at -Xmx256m.
    private void ingest() throws Exception {
        int pupils = quick ? 50_000 : 200_000;
        Path file = work.resolve("ingest-" + pupils + ".xml");
        CensusSpec spec = CensusSpec.of(pupils).withSeed(13);
        try (var out = Files.newOutputStream(file)) {
            new CtfXmlWriter(out, spec, spec.censusDay().atTime(9, 0)).writeAll(new SyntheticCensus(spec));
        }
        System.out.printf("==> 5. Ingest: %,d-pupil CTF return (%,d MB) into census-ingest at -Xmx256m%n", pupils, Files.size(file) / 1_000_000);
        ServiceProcess ingest = new ServiceProcess("census-ingest", repository.resolve("census-ingest/target/census-ingest-0.1.0-SNAPSHOT.jar"),
                nextPort++, work.resolve("logs"), "256m", List.of(
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                // No policy file: census-ingest uses the policy the routers of steps 3 and 4 published to policy.in-force.
                "--pupilflow.security.local-dev-secret=" + JWT_SECRET,
                "--pupilflow.ingest.topics.census=bench.ingest.census",
                "--logging.level.root=WARN"));
        ingest.start();
        try {
            ingest.awaitReady(Duration.ofMinutes(2));
            try (HeapWatch heap = new HeapWatch(ingest.url(""))) {
                long start = System.nanoTime();
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ingest.url("/returns")))
                        .header("Content-Type", "application/xml")
                        .header("Authorization", "Bearer " + LocalDevTokens.mint(JWT_SECRET, "bench", "census:upload"))
                        .timeout(Duration.ofMinutes(15)).POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
                double seconds = (System.nanoTime() - start) / 1e9;
                if (response.statusCode() != 201) {
                    row("5. Ingest", "failed: " + response.statusCode(), "", "");
                    return;
                }
                row("5. Ingest, " + fmt(pupils) + " pupils CTF", fmt(pupils / seconds) + " pupils/s",
                        String.format(Locale.UK, "%.0f MB/s", Files.size(file) / seconds / 1e6),
                        String.format(Locale.UK, "peak heap %.0f MB (-Xmx256m); target >= 50,000 pupils/s", heap.peakMb()));
            }
        } finally {
            ingest.close();
        }
    }

    // 6. Audit: events/s persisted into PostgreSQL with the hash chain.
    private void audit() throws Exception {
        int events = quick ? 100_000 : 500_000;
        String topic = "bench.audit.disclosures";
        createTopic(topic, 6);
        System.out.printf("==> 6. Audit: %,d disclosure events into PostgreSQL with the hash chain%n", events);
        AvroSingleObjectSerializer<DisclosureEvent> values = new AvroSingleObjectSerializer<>(DisclosureEvent.class);
        try (KafkaProducer<String, byte[]> producer = Workload.producer(kafka.bootstrapServers())) {
            Instant now = Instant.now();
            for (int i = 0; i < events; i++) {
                String upn = "P" + (100_000_000_000L + i / 3);
                DisclosureEvent event = DisclosureEvent.newBuilder().setDisclosureId(UUID.randomUUID().toString()).setUpn(upn)
                        .setRecipientId(i % 3 == 0 ? "dfe" : "youth-support").setOutcome(DisclosureOutcome.DISCLOSED)
                        .setFieldsDisclosed(List.of("identity", "names", "dateOfBirth", "address")).setReason("in cohort")
                        .setPolicyId("norfolk-census-sharing").setPolicyVersion("2026.1").setPolicyContentHash("0".repeat(64))
                        .setLegalBasis("Education Act 1996 s537A").setReturnId("bench-audit").setAgeMeasuredOn(LocalDate.of(2026, 1, 15))
                        .setDecidedAt(now).build();
                producer.send(new ProducerRecord<>(topic, upn, values.serialize(topic, event)));
            }
            producer.flush();
        }
        // Durable (fsync and synchronous_commit on), as the audit trail is in the local run and in production.
        LocalPostgres postgres = LocalPostgres.start(work.resolve("audit-postgres"), nextPort++);
        ServiceProcess audit = new ServiceProcess("audit-service", repository.resolve("audit-service/target/audit-service-0.1.0-SNAPSHOT.jar"),
                nextPort++, work.resolve("logs"), "512m", postgres.auditServiceArguments(List.of(
                "--spring.profiles.active=local-dev",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--pupilflow.audit.topics.disclosures=" + topic,
                "--logging.level.root=WARN")));
        audit.start();
        try {
            audit.awaitReady(Duration.ofMinutes(3));
            long first = 0;
            while (true) {
                double persisted = Prometheus.sum(audit.url(""), "pupilflow_audit_events_persisted_total", "ledger=\"disclosure\"");
                if (persisted > 0 && first == 0) {
                    first = System.nanoTime();
                }
                if (persisted >= events) {
                    break;
                }
                Thread.sleep(200);
            }
            double seconds = (System.nanoTime() - first) / 1e9;
            row("6. Audit, " + fmt(events) + " events", fmt(events / seconds) + " events/s", "", "target >= 20,000 events/s");
        } finally {
            audit.close();
            postgres.close();
        }
    }

    // 7. JMH: the pure decision function.
    private void policyEngine() throws Exception {
        System.out.println("==> 7. Policy engine (JMH, 1 thread)");
        double[] result = PolicyEngineBenchmark.run(repository, quick);
        row("7. Policy engine (JMH)", fmt(result[0]) + " decisions/s/core", fmt(result[1]) + " pupils/s", "target >= 1,000,000 decisions/s");
    }

    private KafkaConsumer<String, byte[]> consumer(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> partitionsOf(Admin admin, String topic) throws Exception {
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request = new java.util.HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(p -> request.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()), org.apache.kafka.clients.admin.OffsetSpec.latest()));
        return request;
    }

    private void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            if (!admin.listTopics().names().get().contains(name)) {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
            }
        }
    }

    private void row(String what, String figure, String second, String note) {
        rows.add(new String[] {what, figure, second, note});
        System.out.printf("    %-40s %-22s %-20s %s%n", what, figure, second, note);
    }

    private static String fmt(double value) {
        return String.format(Locale.UK, "%,.0f", value);
    }

    private void report(Duration elapsed) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# PupilFlow benchmark, ").append(LocalDateTime.now().withNano(0)).append("\n\n");
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() / (1024 * 1024 * 1024))
                .append(" GiB, ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append(", ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append("; one standalone broker on the same machine").append(quick ? "; --quick sizes" : "").append(".\n\n");
        md.append("| Benchmark | Figure | | Notes |\n|---|---|---|---|\n");
        for (String[] row : rows) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        md.append('\n');
        notes.forEach(note -> md.append("- ").append(note).append('\n'));
        md.append("- Whole run: ").append(elapsed.toSeconds()).append(" s.\n");
        Path results = repository.resolve("bench/results");
        Files.createDirectories(results);
        Path file = results.resolve(LocalDate.now() + (quick ? "-quick" : "") + ".md");
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(md);
        System.out.println("Written to " + file);
    }

    private void close() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
