package org.pupilflow.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

import org.pupilflow.broker.StandaloneKafka;

import org.pupilflow.access.AccessPlan;
import org.pupilflow.access.BrokerAccess;
import org.pupilflow.admin.kafka.BrokerProvisioning;
import org.pupilflow.admin.kafka.ScramUsers;
import org.pupilflow.admin.kafka.TopicSync;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.census.ObjectionRaisedBy;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.fixtures.ctf.CtfXmlWriter;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.schemas.topics.BrokerIdentity;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.decide.Decision;
import org.pupilflow.policy.decide.Pseudonymiser;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.security.LocalDevTokens;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole pipeline on one machine, for a newcomer and for the end-to-end tests: a real Kafka
 * broker (SASL/SCRAM and ACLs), a durable local PostgreSQL for audit-service, audit-service, census-ingest, sharing-router and
 * recipient-adapters (with a local webhook receiver and drop folder) as
 * separate JVMs; a generated census return and some objections uploaded through the REST APIs
 * with a local-dev token; then a table of what was shared, checked against the audit trail.
 */
public final class LocalPipeline implements AutoCloseable {

    /** The public local-dev keys of the services' {@code local-dev} profiles. */
    static final String LOCAL_DEV_JWT_SECRET = "local-dev-only-NOT-SECRET-jwt-signing-key-0001";
    static final String LOCAL_DEV_PSEUDONYMISATION_KEY = "local-dev-only-NOT-SECRET-pseudonymisation-key-0001";

    private final Options options;
    private final PrintStream out;
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private StandaloneKafka kafka;
    private LocalPostgres postgres;
    private SharingPolicy policy;
    private WebhookReceiver receiver;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    /** Every objection this run recorded: they apply to later returns too (the same UPNs come back each census). */
    private final List<Objection> recordedObjections = new ArrayList<>();
    /** Each uploaded return's pupils, as ingested. */
    private final Map<String, List<CensusPupil>> uploaded = new LinkedHashMap<>();
    /** The last return this run published: the next one, for the same schools and census day, replaces it. */
    private String lastPublished;
    private HoldingsOracle oracle;

    /**
     * @param repository  the checkout (jars are found under it)
     * @param dataDir     where the broker, the database and the logs keep their data
     * @param pupils      size of the generated census return
     * @param kafkaPort   broker port (its controller uses the next one)
     * @param basePort    census-ingest on basePort, sharing-router +1, recipient-adapters +2, audit-service +3
     * @param webhookDelay how long the local webhook receiver takes per request (zero; the crash tests slow it down)
     * @param postgresPort port of the local PostgreSQL that holds the audit trail
     */
    public record Options(Path repository, Path dataDir, int pupils, long seed, int kafkaPort, int basePort, int postgresPort, Path policy,
                          Duration webhookDelay) {
        public Options(Path repository, Path dataDir, int pupils, long seed, int kafkaPort, int basePort, int postgresPort, Path policy) {
            this(repository, dataDir, pupils, seed, kafkaPort, basePort, postgresPort, policy, Duration.ZERO);
        }

        public static Options defaults(Path repository) {
            return new Options(repository, repository.resolve("local"), 10_000, 42, 9092, 8081, 54329, repository.resolve("policies/norfolk.yaml"));
        }
    }

    /** What the run shared, per recipient and outcome, as the audit trail records it and as the policy predicts it. */
    public record Summary(String returnId, Map<String, Map<String, Long>> audited, Map<String, Map<String, Long>> expected,
                          long auditEvents, String chainStatus, Map<String, Delivery> deliveries) {
    }

    /**
     * What the audit trail says recipient-adapters did for one webhook or file-drop recipient.
     *
     * @param channel   webhook or file-drop
     * @param sent      records the router sent the recipient (disclosed + restricted)
     * @param delivered disclosures with a DELIVERED receipt
     * @param receipts  receipts of any outcome (one per disclosure when nothing was duplicated)
     */
    public record Delivery(String channel, long sent, long delivered, long receipts) {
    }

    public LocalPipeline(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path repository = Path.of(System.getProperty("pupilflow.repository", ".")).toAbsolutePath().normalize();
        Options options = Options.defaults(repository);
        int pupils = args.length > 0 ? Integer.parseInt(args[0]) : options.pupils();
        options = new Options(options.repository(), options.dataDir(), pupils, options.seed(), options.kafkaPort(), options.basePort(),
                options.postgresPort(), options.policy());
        LocalPipeline pipeline = new LocalPipeline(options, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping everything this run started ...");
            pipeline.close();
            stopped.countDown();
        }));
        try {
            Instant started = Instant.now();
            Summary summary = pipeline.run();
            pipeline.print(summary, Duration.between(started, Instant.now()));
            System.out.println("\nRunning until Ctrl-C.");
            stopped.await();
        } catch (Exception e) {
            System.err.println("\nThe local run failed: " + e.getMessage());
            System.exit(1);
        }
    }

    public Summary run() throws Exception {
        startAll();
        Summary shared = shareCensus(options.pupils(), options.seed());
        // Rights that follow the data: objections after sharing reach the recipients, and the same census again sends nothing.
        Shared objected = objectAfterSharing(new Shared(shared.returnId(), shared.expected(), shared.auditEvents(), token()), 10);
        step("Waiting until the deletion requests are in the audit trail");
        Map<String, Map<String, Long>> afterObjections = awaitAudited(objected.returnId(), objected.expectedEvents(), objected.token(), Duration.ofMinutes(5));
        Shared again = upload(options.pupils(), options.seed(), true, false);
        step("Waiting until the router's " + again.expectedEvents() + " decisions on the same pupils are in the audit trail");
        Map<String, Map<String, Long>> auditedAgain = awaitAudited(again.returnId(), again.expectedEvents(), again.token(), Duration.ofMinutes(10));
        reupload = new Summary(again.returnId(), auditedAgain, again.expected(), again.expectedEvents(), shared.chainStatus(), Map.of());
        return new Summary(shared.returnId(), afterObjections, objected.expected(), objected.expectedEvents(), verifyChain(objected.token()),
                shared.deliveries());
    }

    /** The second upload of the same pupils, once {@link #run()} has made it. */
    private Summary reupload;

    /** Starts the broker and the services and waits until each is ready. */
    public void startAll() throws Exception {
        Files.createDirectories(options.dataDir());
        Path logs = options.dataDir().resolve("logs");
        step("Starting Kafka (KRaft, single node) on 127.0.0.1:" + options.kafkaPort() + " with SASL/SCRAM-SHA-512 and ACLs, data in "
                + options.dataDir().resolve("kafka"));
        kafka = new StandaloneKafka(options.repository(), options.dataDir().resolve("kafka"), options.kafkaPort(), options.kafkaPort() + 1, true)
                .start(Duration.ofSeconds(60));
        done("broker pid " + kafka.pid() + "; no client gets in without a SCRAM login, and none may do what no ACL allows");

        AccessPlan plan = BrokerAccess.derive(policy());
        step("Provisioning the broker from " + options.repository().relativize(options.policy()) + ": topics, one SCRAM user per service and"
                + " Kafka-reading recipient (fresh passwords), ACLs derived from the policy");
        BrokerProvisioning.Report report = BrokerProvisioning.provision(kafka.adminClientConfig(), plan, TopicSync.Defaults.SINGLE_BROKER, credentials());
        done(report.topics().created().size() + " topics created, " + report.users().written().size() + " users, ACLs: "
                + report.acls().created().size() + " created, " + report.acls().deleted().size() + " removed, " + report.acls().unchanged()
                + " unchanged; credentials in " + credentials());

        step("Starting PostgreSQL for the audit trail, then audit-service, census-ingest, sharing-router and recipient-adapters"
                + " (separate JVMs, each as its own principal, logs in " + logs + ")");
        // audit-service starts no database of its own: a durable local PostgreSQL (LocalPostgres), its URL and roles passed in.
        postgres = LocalPostgres.start(options.dataDir().resolve("audit-postgres"), options.postgresPort());
        start("audit-service", options.basePort() + 3, logs, "512m", postgres.auditServiceArguments(List.of("--pupilflow.audit.create-topics=false")));
        // census-ingest has no policy file: it previews and checks returns with the policy the router publishes at its start.
        start("census-ingest", options.basePort(), logs, "512m", List.of());
        start("sharing-router", options.basePort() + 1, logs, "512m", List.of("--pupilflow.router.policy-file=" + options.policy(),
                "--pupilflow.router.create-topics=false", "--pupilflow.router.lag-watch.interval=5s",
                // The router's state (what recipients hold) belongs to this run's broker: never a shared /tmp directory,
                // whose stale stores would make a fresh broker's records look already sent.
                "--spring.kafka.streams.state-dir=" + options.dataDir().resolve("router-state")));
        SharingPolicy policy = policy();
        List<RecipientRule> delivered = policy.recipients().stream().filter(rule -> !rule.readFromKafka()).toList();
        if (!delivered.isEmpty()) {
            receiver = WebhookReceiver.start(options.webhookDelay());
            start("recipient-adapters", options.basePort() + 2, logs, "384m", List.of(), List.of(adapterDeliveries(delivered)));
        }
        for (ServiceProcess service : services.values()) {
            service.awaitReady(Duration.ofMinutes(3));
            done(service.name() + " ready (pid " + service.pid() + ") on " + service.url(""));
        }
        awaitPolicyInForceAtIngest(policy().contentHash(), Duration.ofMinutes(2));
        writePrometheusConfig();
    }

    /** Until census-ingest uses the policy the router published (its /actuator/info names the hash): uploads need it. */
    public void awaitPolicyInForceAtIngest(String contentHash, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create(ingest().url("/actuator/info"))).build(), HttpResponse.BodyHandlers.ofString());
            seen = json.readTree(info.body()).path("policy").path("contentHash").asString(null);
            if (contentHash.equals(seen)) {
                done("census-ingest uses the policy the router published (SHA-256 " + contentHash.substring(0, 12) + "...)");
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("census-ingest did not receive the router's policy " + contentHash + " within " + timeout.toSeconds()
                + "s (it has " + (seen == null ? "none" : seen) + "); see " + ingest().name() + "'s log");
    }

    /** Where Prometheus scrapes each running service: {@code service -> host:port} (path {@code /actuator/prometheus}). */
    public Map<String, String> scrapeTargets() {
        Map<String, String> targets = new LinkedHashMap<>();
        services.forEach((name, service) -> targets.put(name, URI.create(service.url("")).getAuthority()));
        return targets;
    }

    /** {@code <data>/prometheus.yml}: a Prometheus configuration scraping this run, with the alert rules of deploy/prometheus. */
    public Path prometheusConfig() {
        return options.dataDir().resolve("prometheus.yml");
    }

    private void writePrometheusConfig() throws IOException {
        StringBuilder yaml = new StringBuilder("""
                # Written by the local run (LocalPipeline) for this run's ports: prometheus --config.file=<this file>
                global:
                  scrape_interval: 15s
                  evaluation_interval: 15s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: pupilflow
                    metrics_path: /actuator/prometheus
                    static_configs:
                """.formatted(options.repository().toAbsolutePath().normalize().resolve("deploy/prometheus/rules/pupilflow.rules.yml")));
        scrapeTargets().forEach((service, target) -> yaml.append("      - targets: [\"").append(target).append("\"]\n")
                .append("        labels: {service: ").append(service).append("}\n"));
        Files.writeString(prometheusConfig(), yaml);
    }

    /** A census return that has been uploaded, and what the policy says the router must decide for it. */
    public record Shared(String returnId, Map<String, Map<String, Long>> expected, long expectedEvents, String token) {
    }

    /** Generates, uploads and waits until every decision is audited; then verifies the audit chain. */
    public Summary shareCensus(int pupilCount, long seed) throws Exception {
        Shared shared = upload(pupilCount, seed);
        step("Waiting until the router's " + shared.expectedEvents() + " decisions are in the audit trail");
        Map<String, Map<String, Long>> audited = awaitAudited(shared.returnId(), shared.expectedEvents(), shared.token(), Duration.ofMinutes(10));
        Map<String, Delivery> deliveries = Map.of();
        if (!adapterRecipients().isEmpty()) {
            step("Waiting until recipient-adapters have delivered to " + String.join(", ", adapterRecipients().stream().map(RecipientRule::id).toList()));
            deliveries = awaitDelivered(shared, Duration.ofMinutes(5));
        }
        String chain = verifyChain(shared.token());
        done("audit chain " + chain);
        return new Summary(shared.returnId(), audited, shared.expected(), audited.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum(),
                chain, deliveries);
    }

    /** The policy's recipients that recipient-adapters deliver (webhook, file drop). */
    public List<RecipientRule> adapterRecipients() {
        return policy().recipients().stream().filter(rule -> !rule.readFromKafka()).toList();
    }

    /** The run's policy, read once: the same file the services are started with. */
    private SharingPolicy policy() {
        if (policy == null) {
            policy = new PolicyLoader().load(options.policy());
        }
        return policy;
    }

    /** Waits until every record the router sent a webhook or file-drop recipient has a DELIVERED receipt in the audit trail. */
    public Map<String, Delivery> awaitDelivered(Shared shared, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Delivery> last = Map.of();
        while (true) {
            JsonNode summary = json.readTree(get(audit().url("/audit/summary?returnId=" + shared.returnId()), shared.token()));
            Map<String, Delivery> deliveries = new TreeMap<>();
            for (RecipientRule rule : adapterRecipients()) {
                Map<String, Long> expected = shared.expected().getOrDefault(rule.id(), Map.of());
                long sent = expected.getOrDefault("DISCLOSED", 0L) + expected.getOrDefault("RESTRICTED", 0L);
                long delivered = 0;
                long receipts = 0;
                for (JsonNode recipient : summary.get("recipients")) {
                    if (recipient.get("recipientId").asString().equals(rule.id())) {
                        delivered = recipient.get("deliveries").path("DELIVERED").asLong(0);
                        for (JsonNode count : recipient.get("receipts")) {
                            receipts += count.asLong();
                        }
                    }
                }
                deliveries.put(rule.id(), new Delivery(rule.channel(), sent, delivered, receipts));
            }
            if (!deliveries.equals(last)) {
                deliveries.forEach((id, d) -> out.printf("    %s: delivered %,d of %,d by %s%n", id, d.delivered(), d.sent(), d.channel()));
                last = deliveries;
            }
            if (deliveries.values().stream().allMatch(d -> d.delivered() >= d.sent())) {
                return deliveries;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("recipient-adapters did not deliver everything within " + timeout + ": " + deliveries
                        + "; see the logs in " + options.dataDir().resolve("logs"));
            }
            Thread.sleep(1_000);
        }
    }

    public String verifyChain(String token) throws IOException, InterruptedException {
        return json.readTree(get(audit().url("/audit/verify"), token)).get("status").asString();
    }

    /** Generates a census return with objections and uploads it through the APIs; does not wait for the router. */
    public Shared upload(int pupilCount, long seed) throws Exception {
        return upload(pupilCount, seed, false, true);
    }

    /**
     * Generates a return and uploads it.
     *
     * @param shuffled          the pupils in another order than the generator's (a re-upload of the same census)
     * @param recordObjections  record objections for one pupil in 50 first (not for a re-upload of pupils already objected for)
     */
    public Shared upload(int pupilCount, long seed, boolean shuffled, boolean recordObjections) throws Exception {
        SharingPolicy policy = policy();
        CensusSpec spec = new CensusSpec(seed, pupilCount, CensusSpec.DEFAULT_LA, CensusSpec.DEFAULT_ACADEMIC_YEAR,
                CensusSpec.DEFAULT_TERM, "SYN-local-" + Instant.now().toEpochMilli());
        Path census = options.dataDir().resolve("census-" + pupilCount + "-" + seed + (shuffled ? "-shuffled" : "") + ".xml");
        step("Generating a " + pupilCount + "-pupil census return (" + spec.laNumber() + ", census day " + spec.censusDay() + ")"
                + (shuffled ? ", the pupils in another order" : ""));
        List<CensusPupil> pupils = new ArrayList<>(pupilCount);
        new SyntheticCensus(spec).forEach(pupils::add);
        List<CensusPupil> written = new ArrayList<>(pupils);
        if (shuffled) {
            Collections.shuffle(written, new java.util.Random(seed + 1));
        }
        try (OutputStream file = Files.newOutputStream(census); CtfXmlWriter writer = new CtfXmlWriter(file, spec, spec.censusDay().atTime(9, 0))) {
            for (CensusPupil pupil : written) {
                writer.write(pupil);
            }
        }
        done(census + " (" + Files.size(census) / 1024 + " KiB)");

        String token = token();
        if (recordObjections) {
            List<Objection> objections = objections(pupils, policy);
            step("Recording " + objections.size() + " objections through POST /objections");
            List<Objection> recorded = new ArrayList<>();
            for (Objection objection : objections) {
                recorded.add(recordObjection(objection, token));
            }
            done(recorded.size() + " accepted");
            recordedObjections.addAll(recorded);
        }

        // Every return here is for the same schools and census day: each later one replaces the one before (README: Replacements).
        String replaces = lastPublished == null ? "" : "?replaces=" + lastPublished;
        step("Uploading the return through POST /returns" + (lastPublished == null ? "" : ", replacing " + lastPublished));
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create(ingest().url("/returns" + replaces)))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/xml")
                .timeout(Duration.ofMinutes(10)).POST(HttpRequest.BodyPublishers.ofFile(census)).build(), HttpResponse.BodyHandlers.ofString());
        if (upload.statusCode() != 201) {
            throw new IllegalStateException("Upload answered " + upload.statusCode() + ": " + upload.body());
        }
        JsonNode report = json.readTree(upload.body());
        String returnId = report.get("returnId").asString();
        lastPublished = returnId;
        done("return " + returnId + ": " + report.get("published").asLong() + " pupils published in one transaction");

        List<CensusPupil> asIngested = pupils.stream().map(pupil -> CensusPupil.newBuilder(pupil)
                .setCensus(org.pupilflow.census.CensusContext.newBuilder(pupil.getCensus()).setReturnId(returnId).build()).build()).toList();
        uploaded.put(returnId, asIngested);
        oracle().routed(asIngested, objectionsByUpn(), Instant.now());
        return new Shared(returnId, oracle().expected(returnId), oracle().events(returnId), token);
    }

    /**
     * Records objections (scope "all", by a parent) for pupils of an earlier return that recipients who withhold or
     * restrict on objection already hold: the router must ask them to delete what they hold. Returns what the audit
     * trail of that return must then hold in all.
     */
    public Shared objectAfterSharing(Shared earlier, int pupils) throws Exception {
        List<String> upns = oracle().heldByObjectableRecipients(uploaded.get(earlier.returnId()));
        List<Objection> recorded = new ArrayList<>();
        step("Recording objections for " + Math.min(pupils, upns.size()) + " pupils already shared (scope all)");
        for (String upn : upns.subList(0, Math.min(pupils, upns.size()))) {
            recorded.add(recordObjection(Objection.newBuilder().setObjectionId("pending").setUpn(upn).setScope("all")
                    .setRaisedBy(ObjectionRaisedBy.PARENT).setReceivedDate(LocalDate.now(SharingEngine.DECISION_ZONE))
                    .setEvidenceReference("signed letter received after the census was shared").setWithdrawn(false).setWithdrawnDate(null).build(),
                    earlier.token()));
        }
        recordedObjections.addAll(recorded);
        done(recorded.size() + " accepted; the router asks the recipients holding these pupils' records to delete them");
        oracle().objected(recorded, objectionsByUpn(), Instant.now());
        return new Shared(earlier.returnId(), oracle().expected(earlier.returnId()), oracle().events(earlier.returnId()), earlier.token());
    }

    /**
     * A dry run of a three-pupil return in which one pupil's sex is not a DfE code: nothing is published; the report
     * names the issue (and the metrics count it by rule).
     */
    public JsonNode previewWithAnInvalidPupil() throws Exception {
        CensusSpec spec = new CensusSpec(99, 3, CensusSpec.DEFAULT_LA, CensusSpec.DEFAULT_ACADEMIC_YEAR, CensusSpec.DEFAULT_TERM, "SYN-preview");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (CtfXmlWriter writer = new CtfXmlWriter(bytes, spec, spec.censusDay().atTime(9, 0))) {
            for (CensusPupil pupil : new SyntheticCensus(spec)) {
                writer.write(pupil);
            }
        }
        String xml = bytes.toString(StandardCharsets.UTF_8).replaceFirst("<Sex>[A-Z]</Sex>", "<Sex>Q</Sex>");
        HttpResponse<String> preview = http.send(HttpRequest.newBuilder(URI.create(ingest().url("/returns?dryRun=true&mode=lenient")))
                .header("Authorization", "Bearer " + token()).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(xml)).build(), HttpResponse.BodyHandlers.ofString());
        if (preview.statusCode() / 100 != 2) {
            throw new IllegalStateException("The preview answered " + preview.statusCode() + ": " + preview.body());
        }
        return json.readTree(preview.body());
    }

    private Map<String, List<Objection>> objectionsByUpn() {
        Map<String, List<Objection>> byUpn = new TreeMap<>();
        recordedObjections.forEach(o -> byUpn.computeIfAbsent(o.getUpn(), upn -> new ArrayList<>()).add(o));
        return byUpn;
    }

    private HoldingsOracle oracle() {
        if (oracle == null) {
            oracle = new HoldingsOracle(new SharingEngine(policy(), new Pseudonymiser(LOCAL_DEV_PSEUDONYMISATION_KEY.getBytes(StandardCharsets.UTF_8))));
        }
        return oracle;
    }

    /** A local-dev token with every role the run uses. */
    public String token() {
        return LocalDevTokens.mint(LOCAL_DEV_JWT_SECRET, "local-run", Duration.ofHours(12), null,
                "census:upload", "objections:write", "objections:read", "audit:read", "audit:verify");
    }

    private long lastAudited;

    /** How many decisions of the return the audit trail holds now. */
    public long audited(String returnId, String token) throws IOException, InterruptedException {
        lastAudited = json.readTree(get(audit().url("/audit/summary?returnId=" + returnId), token)).get("total").asLong();
        return lastAudited;
    }

    /** The count the last {@link #audited} call saw. */
    public long auditedBeforeKill() {
        return lastAudited;
    }

    /** Census records the running router has routed since it started, from its Prometheus metrics. */
    public long routedRecords() throws IOException, InterruptedException {
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(router().url("/actuator/prometheus"))).build(),
                HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().filter(line -> line.startsWith("pupilflow_router_records_total"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** Starts a stopped or killed service again, with the same arguments, and waits until it is ready. */
    public void restart(String name) throws Exception {
        ServiceProcess restarted = services.get(name).restarted().start();
        services.put(name, restarted);
        restarted.awaitReady(Duration.ofMinutes(3));
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** About 2% of pupils object to something: every recipient of the policy, and "all". */
    static List<Objection> objections(List<CensusPupil> pupils, SharingPolicy policy) {
        List<String> scopes = new ArrayList<>(policy.recipients().stream().map(RecipientRule::id).toList());
        scopes.add("all");
        List<Objection> objections = new ArrayList<>();
        for (int i = 0; i < pupils.size(); i += 50) {
            CensusPupil pupil = pupils.get(i);
            objections.add(Objection.newBuilder().setObjectionId("pending").setUpn(pupil.getIdentity().getUpn())
                    .setScope(scopes.get((i / 50) % scopes.size())).setRaisedBy(ObjectionRaisedBy.PARENT)
                    .setReceivedDate(LocalDate.of(2025, 10, 1)).setEvidenceReference("signed letter 2025-10-01")
                    .setWithdrawn(false).setWithdrawnDate(null).build());
        }
        return objections;
    }

    private Objection recordObjection(Objection objection, String token) throws IOException, InterruptedException {
        String body = "{\"upn\":\"" + objection.getUpn() + "\",\"scope\":\"" + objection.getScope() + "\",\"raisedBy\":\"" + objection.getRaisedBy()
                + "\",\"receivedDate\":\"" + objection.getReceivedDate() + "\",\"evidenceReference\":\"" + objection.getEvidenceReference() + "\"}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ingest().url("/objections")))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Objection refused (" + response.statusCode() + "): " + response.body());
        }
        return Objection.newBuilder(objection).setObjectionId(json.readTree(response.body()).get("objectionId").asString()).build();
    }


    public Map<String, Map<String, Long>> awaitAudited(String returnId, long expected, String token, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        while (true) {
            JsonNode summary = json.readTree(get(audit().url("/audit/summary?returnId=" + returnId), token));
            long total = summary.get("total").asLong();
            if (total != last) {
                out.printf("    audited %,d of %,d decisions%n", total, expected);
                last = total;
            }
            if (total >= expected) {
                Map<String, Map<String, Long>> audited = new TreeMap<>();
                for (JsonNode recipient : summary.get("recipients")) {
                    Map<String, Long> outcomes = new TreeMap<>();
                    recipient.get("outcomes").properties().forEach(e -> outcomes.put(e.getKey(), e.getValue().asLong()));
                    audited.put(recipient.get("recipientId").asString(), outcomes);
                }
                return audited;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Only " + total + " of " + expected + " decisions were audited within " + timeout
                        + "; see the logs in " + options.dataDir().resolve("logs"));
            }
            Thread.sleep(1_000);
        }
    }

    void print(Summary summary, Duration elapsed) {
        out.println();
        out.printf("Census return %s: what was shared (from the audit trail; expected from the policy in brackets)%n%n", summary.returnId());
        table(summary);
        if (reupload != null) {
            out.printf("%nThe same pupils uploaded again, in another order: return %s (nothing is sent twice)%n%n", reupload.returnId());
            table(reupload);
        }
        out.printf("%n  audit events persisted: %,d    audit chain verified: %s    elapsed: %d s%n", summary.auditEvents(), summary.chainStatus(), elapsed.toSeconds());
        out.println();
        out.println("  Metrics:        " + String.join("   ", services.values().stream().map(service -> service.url("/actuator/prometheus")).toList()));
        out.println("  Prometheus:     scrape targets " + String.join(", ", scrapeTargets().entrySet().stream().map(e -> e.getValue() + " (" + e.getKey() + ")").toList())
                + ", path /actuator/prometheus; with the alert rules: prometheus --config.file=" + shown(prometheusConfig()));
        out.println("                  dashboards for Grafana: deploy/grafana/dashboards (README: Operations)");
        out.println("  Privacy notice: " + router().url("/policy/notice") + "   (HTML in a browser)");
        out.println("  Policy:         " + router().url("/policy"));
        out.println("  Subject access: curl -H \"Authorization: Bearer $TOKEN\" " + audit().url("/audit/subjects/<UPN>") + "   (token: local-dev, role audit:read)");
        out.println("  Logs:           " + options.dataDir().resolve("logs"));
        if (receiver != null) {
            for (Map.Entry<String, Delivery> delivery : summary.deliveries().entrySet()) {
                if (delivery.getValue().channel().equals("webhook")) {
                    out.printf("  Webhook:        %s received %,d distinct signed records: disclosures and deletion requests (%,d requests, %,d refused)%n", receiver.url(delivery.getKey()),
                            receiver.ids(delivery.getKey()).size(), receiver.requests(), receiver.refused());
                } else {
                    out.println("  File drop:      " + shown(dropFolder(delivery.getKey())) + "   (CSV + manifest per census return)");
                }
            }
        }
        out.println();
        out.println("  Recipients read only their own topic. Credentials (fresh each run, never commit): " + shown(credentials()));
        List<RecipientRule> readers = policy().recipients().stream().filter(RecipientRule::readFromKafka)
                .sorted(java.util.Comparator.comparing(recipient -> !recipient.id().equals("youth-support"))).toList();
        if (readers.size() >= 2) {
            RecipientRule reader = readers.get(0);
            RecipientRule other = readers.get(1);
            String user = BrokerIdentity.recipientUser(reader.id());
            out.println("  Read " + reader.topic() + " as " + reader.name() + " (keys = UPNs):");
            out.println("    " + consoleConsumer(user, reader.topic()));
            out.println("  The same principal reading " + other.topic() + " is refused (\"Not authorized to access topics: [" + other.topic() + "]\"):");
            out.println("    " + consoleConsumer(user, other.topic()));
        }
    }

    /** Kafka's console consumer (from the broker's jars) reading {@code topic} as {@code user}. */
    String consoleConsumer(String user, String topic) {
        return "java -cp '" + shown(options.repository().resolve("kafka-broker/target/lib")) + "/*' org.apache.kafka.tools.consumer.ConsoleConsumer"
                + " --bootstrap-server " + kafka.bootstrapServers() + " --command-config " + shown(credentials().resolve(user + ".properties"))
                + " --group " + user + ".cli --topic " + topic + " --from-beginning --isolation-level read_committed"
                + " --formatter-property print.key=true --formatter-property print.value=false --max-messages 5";
    }

    /** A path as the user typed it: relative to the checkout when inside it. */
    private String shown(Path path) {
        Path repository = options.repository().toAbsolutePath().normalize();
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(repository) ? repository.relativize(absolute).toString() : absolute.toString();
    }

    private void table(Summary summary) {
        out.printf("  %-20s %13s %13s %11s %13s %13s   %s%n", "recipient", "disclosed", "restricted", "withheld", "unchanged", "deletion req.", "delivered");
        for (Map.Entry<String, Map<String, Long>> recipient : summary.expected().entrySet()) {
            Map<String, Long> audited = summary.audited().getOrDefault(recipient.getKey(), Map.of());
            Delivery delivery = summary.deliveries().get(recipient.getKey());
            String delivered = delivery == null ? (summary.deliveries().isEmpty() ? "" : "reads its Kafka topic")
                    : String.format("%,d by %s (receipts: %,d)", delivery.delivered(), delivery.channel(), delivery.receipts());
            Map<String, Long> expected = recipient.getValue();
            out.printf("  %-20s %13s %13s %11s %13s %13s   %s%n", recipient.getKey(), cell(audited, expected, "DISCLOSED"),
                    cell(audited, expected, "RESTRICTED"), cell(audited, expected, "WITHHELD"), cell(audited, expected, "UNCHANGED"),
                    cell(audited, expected, "DELETION_REQUESTED"), delivered);
        }
    }

    private static String cell(Map<String, Long> audited, Map<String, Long> expected, String outcome) {
        return String.format("%,d (%,d)", audited.getOrDefault(outcome, 0L), expected.getOrDefault(outcome, 0L));
    }

    public ServiceProcess ingest() {
        return services.get("census-ingest");
    }

    public ServiceProcess router() {
        return services.get("sharing-router");
    }

    public ServiceProcess adapters() {
        return services.get("recipient-adapters");
    }

    public ServiceProcess audit() {
        return services.get("audit-service");
    }

    /**
     * Where the adapters deliver the policy's webhook and file-drop recipients in the local run: the signature-verifying
     * receiver of this run, and a folder per file-drop recipient under {@code <data>/drop}. Written to an owner-readable
     * file, since it holds the webhook secret.
     */
    private Path adapterDeliveries(List<RecipientRule> delivered) throws IOException {
        Properties settings = new Properties();
        settings.setProperty("pupilflow.adapters.policy-file", options.policy().toString());
        settings.setProperty("pupilflow.adapters.create-topics", "false");
        for (RecipientRule rule : delivered) {
            String at = "pupilflow.adapters.recipients." + rule.id();
            if (rule.channel().equals("webhook")) {
                settings.setProperty(at + ".webhook.url", receiver.url(rule.id()));
                settings.setProperty(at + ".webhook.secret", receiver.secret());
                settings.setProperty(at + ".retry.initial-interval", "200ms");
            } else {
                Path folder = dropFolder(rule.id());
                Files.createDirectories(folder);
                settings.setProperty(at + ".file-drop.directory", folder.toString());
                settings.setProperty(at + ".file-drop.max-wait", "3s");
            }
        }
        Path file = credentials().resolve("recipient-adapters.deliveries.properties");
        Files.deleteIfExists(file);
        Files.createFile(file);
        StandaloneKafka.restrictToOwner(file);
        try (var out = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1)) {
            settings.store(out, "Where recipient-adapters deliver in the local run (generated; holds the webhook secret)");
        }
        return file;
    }

    /** Where the local run drops a file-drop recipient's CSV files and manifests. */
    public Path dropFolder(String recipientId) {
        return options.dataDir().resolve("drop").resolve(recipientId);
    }

    /** The local recipients' webhook endpoint (null when the policy has no webhook recipient). */
    public WebhookReceiver receiver() {
        return receiver;
    }

    private void start(String name, int port, Path logs, String heap, List<String> extra) throws IOException {
        start(name, port, logs, heap, extra, List.of());
    }

    private void start(String name, int port, Path logs, String heap, List<String> extra, List<Path> moreSettings) throws IOException {
        List<String> imports = new ArrayList<>();
        // The service's SASL login, from a file (owner-readable) rather than the command line, where `ps` would show it.
        imports.add("file:" + springKafkaSettings(name, credentials().resolve(name + ".properties")));
        moreSettings.forEach(file -> imports.add("file:" + file));
        List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=local-dev", "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.config.import=" + String.join(",", imports)));
        arguments.addAll(extra);
        Path jar = options.repository().resolve(name + "/target/" + name + "-0.1.0-SNAPSHOT.jar");
        services.put(name, new ServiceProcess(name, jar, port, logs, heap, arguments).start());
    }

    /** The UPN of every pupil this run uploaded. */
    public java.util.Set<String> uploadedUpns() {
        java.util.Set<String> upns = new java.util.TreeSet<>();
        uploaded.values().forEach(pupils -> pupils.forEach(pupil -> upns.add(pupil.getIdentity().getUpn())));
        return upns;
    }

    /** Where the services write their logs ({@code <data>/logs/<service>.log}). */
    public Path logs() {
        return options.dataDir().resolve("logs");
    }

    /** Where the run's generated SCRAM credentials are (one Kafka client properties file per principal). */
    public Path credentials() {
        return options.dataDir().resolve("credentials");
    }

    /** The Kafka client settings of a principal of this run ({@code sharing-router}, {@code recipient-youth-support}, ...). */
    public Map<String, Object> clientConfigOf(String user) throws IOException {
        return ScramUsers.readClientConfig(credentials().resolve(user + ".properties"));
    }

    /**
     * The Kafka client file of a principal as Spring Boot settings ({@code spring.kafka.properties.*}, which every
     * client of the service applies: producers, consumers, admin and Kafka Streams).
     */
    static Path springKafkaSettings(String service, Path clientProperties) throws IOException {
        Properties client = new Properties();
        try (var in = Files.newInputStream(clientProperties)) {
            client.load(in);
        }
        Properties spring = new Properties();
        for (String key : client.stringPropertyNames()) {
            if (key.equals("bootstrap.servers")) {
                spring.setProperty("spring.kafka.bootstrap-servers", client.getProperty(key));
            } else {
                spring.setProperty("spring.kafka.properties." + key, client.getProperty(key));
            }
        }
        Path file = clientProperties.resolveSibling(service + ".spring.properties");
        Files.deleteIfExists(file);
        Files.createFile(file);
        StandaloneKafka.restrictToOwner(file);
        try (var out = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1)) {
            spring.store(out, "Kafka login of " + service + " for Spring Boot (generated by the local run; secret)");
        }
        return file;
    }

    private String get(String url, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private void step(String text) {
        out.println("==> " + text);
    }

    private void done(String text) {
        out.println("    " + text);
    }

    /** Stops every process this run started, services first, by process id. */
    @Override
    public void close() {
        List<ServiceProcess> started = new ArrayList<>(services.values());
        java.util.Collections.reverse(started);
        started.forEach(ServiceProcess::close);
        if (receiver != null) {
            receiver.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
