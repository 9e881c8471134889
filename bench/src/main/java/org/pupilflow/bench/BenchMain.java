package org.pupilflow.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.pupilflow.broker.StandaloneKafka;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.schemas.topics.TopicCatalog;

/**
 * Runs every benchmark on one standalone broker and prints a table in which every target is a ratio of two
 * figures measured in this run, interleaved (A B A B A B) where a pair can be repeated, with the median and the
 * spread; absolute figures stay beside them as information (they drift 1.5-2.5x between runs on a shared
 * machine). Results are also written to {@code bench/results/<date>.md}.
 *
 * <p>Usage: {@code ./bench/run [--quick] [--only=router,latency,ingest,audit,engine,county] [--profile]}.
 * {@code --profile} records a JFR profile of every system under test into the run's log directory.
 */
public final class BenchMain {

    static final String JWT_SECRET = "local-dev-only-NOT-SECRET-jwt-signing-key-0001";
    static final List<String> STAGES = List.of("router", "latency", "ingest", "audit", "engine", "county");

    final Path repository;
    final Path work;
    final Path logs;
    final boolean quick;
    final boolean profile;
    final Set<String> only;
    final Table table = new Table();
    final List<String> notes = new ArrayList<>();
    StandaloneKafka kafka;
    SharingPolicy policy;
    private int nextPort = 18_100;

    BenchMain(Path repository, Path work, boolean quick, boolean profile, Set<String> only) {
        this.repository = repository;
        this.work = work;
        this.logs = work.resolve("logs");
        this.quick = quick;
        this.profile = profile;
        this.only = only;
    }

    public static void main(String[] args) throws Exception {
        Path repository = Path.of(System.getProperty("pupilflow.repository", ".")).toAbsolutePath().normalize();
        List<String> arguments = Arrays.asList(args);
        boolean quick = arguments.contains("--quick");
        boolean profile = arguments.contains("--profile");
        Set<String> only = new HashSet<>(STAGES);
        arguments.stream().filter(a -> a.startsWith("--only=")).findFirst().ifPresent(a -> {
            only.clear();
            only.addAll(Arrays.asList(a.substring("--only=".length()).split(",")));
        });
        Path work = Files.createTempDirectory("pupilflow-bench");
        BenchMain bench = new BenchMain(repository, work, quick, profile, only);
        Instant started = Instant.now();
        try {
            bench.runAll();
        } finally {
            bench.close();
        }
        bench.report(Duration.between(started, Instant.now()));
    }

    private void runAll() throws Exception {
        System.out.println("==> Standalone Kafka broker (KRaft) in " + work + "; logs of every process in " + logs);
        Files.createDirectories(logs);
        kafka = new StandaloneKafka(repository, work.resolve("kafka"), 19_092, 19_093).start(Duration.ofSeconds(60));
        policy = new PolicyLoader().load(repository.resolve("policies/norfolk.yaml"));
        Workload workload = new Workload(policy);

        ceiling(workload);
        RouterStage.Result router = null;
        if (only.contains("router")) {
            router = new RouterStage(this, workload).throughput();
        }
        if (only.contains("latency")) {
            new RouterStage(this, workload).latency();
        }
        if (only.contains("ingest")) {
            new IngestStage(this).ingestVersusProducer();
        }
        if (only.contains("audit")) {
            new AuditStage(this).auditVersusCopy(router);
        }
        if (only.contains("engine")) {
            PolicyEngineBenchmark.Result engine = PolicyEngineBenchmark.run(repository, quick, profile ? logs : null, Integer.getInteger("bench.pairs", 3));
            table.ratio("7. Policy engine per pupil / Avro decode of its record (median times, same JMH run)", engine.ratios(), Table.Target.atMost(0.5),
                    "medians: engine per pupil " + Table.micros(engine.engineMicros()) + " (" + Table.figures(engine.decisionsPerSecond(), "decisions/s")
                            + " on one thread), decode per record " + Table.micros(engine.decodeMicros()) + "; means: engine " + Table.micros(engine.engineMeanMicros())
                            + ", decode " + Table.micros(engine.decodeMeanMicros()));
        }
        if (only.contains("county")) {
            new CountyStage(this, workload).endToEnd();
        }
    }

    // 1. Raw producer throughput for records of the router's output size (information: the machine's ceiling).
    private void ceiling(Workload workload) throws Exception {
        int records = quick ? 200_000 : 1_000_000;
        createTopic("bench.ceiling", 6);
        int bytes = workload.fanout(org.pupilflow.fixtures.census.CensusSpec.of(5_000).withSeed(5), List.of()).meanOutputBytes();
        byte[] payload = new byte[bytes];
        System.out.printf("==> 1. Ceiling: %,d producer records of %d bytes, acks=all%n", records, payload.length);
        try (KafkaProducer<String, byte[]> producer = Workload.producer(kafka.bootstrapServers(), 5)) {
            // One record to each partition first, acknowledged: every partition has a leader and this producer's sequence
            // before five requests may be in flight (see Workload#publisher); then the timed run.
            for (int partition = 0; partition < 6; partition++) {
                producer.send(new ProducerRecord<>("bench.ceiling", partition, null, payload)).get();
            }
        }
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = Workload.producer(kafka.bootstrapServers(), 5)) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("bench.ceiling", Integer.toString(i), payload));
            }
            producer.flush();
        }
        double perSecond = records / ((System.nanoTime() - start) / 1e9);
        table.info("1. Ceiling: raw producer, " + bytes + "-byte records", Table.fmt(perSecond) + " rec/s, "
                + String.format(Locale.UK, "%.1f MB/s", perSecond * bytes / 1e6));
        ceilingRecordsPerSecond = perSecond;
    }

    double ceilingRecordsPerSecond;

    // ---- shared helpers of the stages ----

    int port() {
        return nextPort++;
    }

    /** JVM options of every system under test: a GC log (cheap, and what a latency or heap question needs first), and a profile when asked. */
    List<String> jvmOptions(String name) {
        List<String> options = new ArrayList<>(List.of("-Xlog:gc:file=" + logs.resolve(name + "-gc.log")));
        if (profile) {
            // -Dbench.jfc=<file> records with other settings (e.g. lower thresholds for socket reads and parks, to see where a thread waits).
            options.add("-XX:StartFlightRecording=filename=" + logs.resolve(name + ".jfr") + ",settings=" + System.getProperty("bench.jfc", "profile")
                    + ",dumponexit=true");
        }
        return options;
    }

    /**
     * The router's {@code num.stream.threads} as its application.yml sets it; the pass-through runs with as many.
     * {@code -Dbench.router.threads=N} overrides both (experiments).
     */
    int routerStreamThreads() {
        return routerSetting("num.stream.threads", "bench.router.threads");
    }

    /** The router's {@code commit.interval.ms} (application.yml), the pass-through's too; {@code -Dbench.router.commit=N} overrides both. */
    int routerCommitIntervalMs() {
        return routerSetting("commit.interval.ms", "bench.router.commit");
    }

    private int routerSetting(String key, String override) {
        if (System.getProperty(override) != null) {
            return Integer.parseInt(System.getProperty(override));
        }
        try {
            for (String line : Files.readAllLines(repository.resolve("sharing-router/src/main/resources/application.yml"))) {
                if (line.strip().startsWith(key + ":")) {
                    return Integer.parseInt(line.strip().substring(key.length() + 1).strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the router's " + key + " from its application.yml", e);
        }
        throw new IllegalStateException("no " + key + " in the router's application.yml");
    }

    /** The policy the routers apply, on {@code policy.in-force} as a router publishes it at start. */
    private void publishPolicyInForce() throws IOException {
        Path file = repository.resolve("policies/norfolk.yaml");
        byte[] document = Files.readAllBytes(file);
        SharingPolicy policy = new PolicyLoader().load(file);
        try (Admin admin = admin()) {
            if (!admin.listTopics().names().get().contains(TopicCatalog.POLICY_IN_FORCE.name())) {
                admin.createTopics(List.of(new NewTopic(TopicCatalog.POLICY_IN_FORCE.name(), 1, (short) 1)
                        .configs(Map.of("cleanup.policy", "compact")))).all().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted creating the policy topic", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("could not create the policy topic: " + e.getCause(), e);
        }
        org.pupilflow.policy.publish.PolicyPublication publication = org.pupilflow.policy.publish.PolicyPublication.of(policy,
                file.getFileName().toString(), document, Instant.now(), "bench");
        try (KafkaProducer<String, byte[]> producer = Workload.producer(kafka.bootstrapServers(), 1)) {
            producer.send(new ProducerRecord<>(TopicCatalog.POLICY_IN_FORCE.name(), TopicCatalog.POLICY_IN_FORCE_KEY, publication.toJson())).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted publishing the policy in force", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("could not publish the policy in force: " + e.getCause(), e);
        }
    }

    /** The real router (its Spring Boot jar, production settings, -Xmx512m) reading {@code census}. */
    Child router(String name, String applicationId, String census, String objections, String auditTopic) throws IOException {
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.kafka.streams.application-id=" + applicationId,
                "--spring.kafka.streams.properties.state.dir=" + work.resolve("state").resolve(applicationId),
                "--pupilflow.router.policy-file=" + repository.resolve("policies/norfolk.yaml"),
                "--pupilflow.router.pseudonymisation-key=" + Workload.KEY,
                "--pupilflow.router.topics.census=" + census,
                "--pupilflow.router.topics.objections=" + objections,
                "--pupilflow.router.topics.dead-letters=" + TopicCatalog.CENSUS_DEAD_LETTERS.name(),
                "--logging.level.root=WARN"));
        // -Dbench.router.args=--a=b,--c=d tries other settings (experiments only; the table is of the defaults).
        String extra = System.getProperty("bench.router.args", "");
        if (!extra.isBlank()) {
            arguments.addAll(List.of(extra.split(",")));
        }
        if (System.getProperty("bench.router.threads") != null) {
            arguments.add("--spring.kafka.streams.properties.num.stream.threads=" + routerStreamThreads());
        }
        if (System.getProperty("bench.router.commit") != null) {
            arguments.add("--spring.kafka.streams.properties.commit.interval.ms=" + routerCommitIntervalMs());
        }
        if (auditTopic != null) {
            arguments.add("--pupilflow.router.topics.audit=" + auditTopic);
        }
        return Child.service(name, repository.resolve("sharing-router/target/sharing-router-0.1.0-SNAPSHOT.jar"), port(), logs, "512m",
                jvmOptions(name), arguments).start();
    }

    /**
     * census-ingest at -Xmx256m publishing to {@code censusTopic}, its return registry in {@code returnsTopic}. It has no
     * policy file of its own: it checks returns with the policy in force, which is published first (as a router does at
     * start), so a stage run alone ({@code --only=ingest}) finds it too.
     */
    Child ingest(String name, String censusTopic, String returnsTopic) throws IOException {
        publishPolicyInForce();
        return Child.service(name, repository.resolve("census-ingest/target/census-ingest-0.1.0-SNAPSHOT.jar"), port(), logs, "256m",
                jvmOptions(name), List.of(
                        "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--pupilflow.security.local-dev-secret=" + JWT_SECRET,
                        "--pupilflow.ingest.topics.census=" + censusTopic,
                        "--pupilflow.ingest.topics.returns=" + returnsTopic,
                        "--logging.level.root=WARN")).start();
    }

    /**
     * audit-service persisting {@code topic} into {@code jdbcUrl} (as the application role; Flyway as the owner), its
     * own consumer group and chain-head topic so runs never see each other's heads.
     */
    Child audit(String name, String jdbcUrl, String topic) throws IOException {
        List<String> arguments = new ArrayList<>(List.of(
                        "--spring.profiles.active=local-dev",
                        "--spring.datasource.url=" + jdbcUrl,
                        "--spring.datasource.username=" + org.pupilflow.local.LocalPostgres.APP_ROLE,
                        "--spring.flyway.user=" + org.pupilflow.local.LocalPostgres.OWNER,
                        "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--spring.kafka.consumer.group-id=bench-" + name,
                        "--pupilflow.audit.topics.disclosures=" + topic,
                        "--pupilflow.audit.topics.chain-heads=bench.heads." + name,
                        "--logging.level.root=WARN"));
        // -Dbench.audit.args=--a=b,--c=d tries other settings (experiments only; the table is of the defaults).
        String extra = System.getProperty("bench.audit.args", "");
        if (!extra.isBlank()) {
            arguments.addAll(List.of(extra.split(",")));
        }
        return Child.service(name, repository.resolve("audit-service/target/audit-service-0.1.0-SNAPSHOT.jar"), port(), logs, "512m",
                jvmOptions(name), arguments).start();
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            if (!admin.listTopics().names().get().contains(name)) {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
            }
        }
    }

    /** Input offsets a consumer group has committed (for a Streams application under EOS: committed with its outputs). */
    static long committed(Admin admin, String group) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                    .filter(Objects::nonNull).mapToLong(o -> o.offset()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    /** End offsets of a topic (read_committed: the last stable offsets), summed over its partitions. */
    long endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get().values().stream()
                .mapToLong(info -> info.offset()).sum();
    }

    private void report(Duration elapsed) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# PupilFlow benchmark, ").append(LocalDateTime.now().withNano(0)).append("\n\n");
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() / (1024 * 1024 * 1024))
                .append(" GiB, ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append(", ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append("; one standalone broker on the same machine").append(quick ? "; --quick sizes" : "")
                .append(only.containsAll(STAGES) ? "" : "; only " + String.join(",", only))
                .append(String.format(Locale.UK, "; load average %.1f at the end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
                .append(".\n\n");
        md.append(table.markdown()).append('\n');
        notes.forEach(note -> md.append("- ").append(note).append('\n'));
        md.append("- Whole run: ").append(elapsed.toSeconds()).append(" s.\n");
        Path results = repository.resolve("bench/results");
        Files.createDirectories(results);
        Path file = results.resolve(LocalDate.now() + (quick ? "-quick" : "") + (only.containsAll(STAGES) ? "" : "-partial") + ".md");
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
