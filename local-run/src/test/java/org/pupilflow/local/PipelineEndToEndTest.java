package org.pupilflow.local;

import org.pupilflow.testing.kafka.TopicReader;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.pupilflow.broker.StandaloneKafka;
import org.pupilflow.local.monitoring.ExportedMetrics;
import org.pupilflow.local.monitoring.MonitoringFiles;
import org.pupilflow.local.monitoring.PromQl;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.pupilflow.schemas.topics.BrokerIdentity;
import org.pupilflow.schemas.topics.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.pupilflow.schemas.kafka.RecipientRecords;
import org.pupilflow.sharing.DeletionRequest;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * The whole system as the local run starts it: a standalone KRaft broker and the services as
 * separate JVMs (their built jars), a generated census and objections through the REST APIs.
 * First the launcher's own run, checked against the policy; then crashes: the router and then
 * audit-service are killed with SIGKILL part-way through a return and restarted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path data;

    private LocalPipeline pipeline;
    private SharingPolicy policy;

    @BeforeAll
    void startEverything() throws Exception {
        int base = freeBlock(4);
        // The local webhook recipient takes 5 ms a request, so the adapters can be killed while they deliver.
        LocalPipeline.Options options = new LocalPipeline.Options(REPOSITORY, data, 3_000, 7, freeBlock(2), base, freePort(),
                REPOSITORY.resolve("policies/norfolk.yaml"), Duration.ofMillis(5));
        pipeline = new LocalPipeline(options, new PrintStream(System.out, true));
        policy = new PolicyLoader().load(options.policy());
        pipeline.startAll();
    }

    @AfterAll
    void stopEverything() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** The first test's return: later tests object to and re-upload its pupils. */
    private LocalPipeline.Summary first;

    @Test
    @Order(1)
    void theLaunchersTableIsWhatThePolicyDecidesAndTheChainVerifies() throws Exception {
        LocalPipeline.Summary summary = pipeline.shareCensus(3_000, 7);
        first = summary;

        assertThat(summary.audited()).isEqualTo(summary.expected());
        assertThat(summary.expected().keySet()).containsExactlyInAnyOrderElementsOf(policy.recipients().stream().map(RecipientRule::id).toList());
        assertThat(summary.expected().get("youth-support")).containsKey("RESTRICTED");
        assertThat(summary.expected().get("post16")).containsKey("WITHHELD");
        assertThat(summary.expected().get("dfe").get("DISCLOSED")).isEqualTo(3_000);
        assertThat(summary.auditEvents()).isEqualTo(summary.expected().values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum());
        assertThat(summary.chainStatus()).isEqualTo("INTACT");

        // Guarantee 11: the webhook and file-drop recipients got every record, each with exactly one DELIVERED receipt.
        assertThat(summary.deliveries().keySet()).containsExactlyInAnyOrder("childrens-centres", "post16");
        summary.deliveries().forEach((recipient, delivery) -> {
            assertThat(delivery.sent()).as(recipient).isPositive();
            assertThat(delivery.delivered()).as(recipient + " delivered").isEqualTo(delivery.sent());
            assertThat(delivery.receipts()).as(recipient + " receipts").isEqualTo(delivery.sent());
        });
        assertThat(pipeline.receiver().ids("childrens-centres")).containsExactlyInAnyOrderElementsOf(
                disclosureIds(policy.recipients().stream().filter(r -> r.id().equals("childrens-centres")).findFirst().orElseThrow(), summary.returnId()));
        assertThat(pipeline.receiver().refused()).as("requests whose signature did not verify").isZero();
        List<Path> manifests;
        try (var files = java.nio.file.Files.list(pipeline.dropFolder("post16"))) {
            manifests = files.filter(file -> file.getFileName().toString().endsWith(".manifest.json")).toList();
        }
        long dropped = 0;
        for (Path manifest : manifests) {
            JsonNode content = JSON.readTree(java.nio.file.Files.readAllBytes(manifest));
            byte[] csv = java.nio.file.Files.readAllBytes(manifest.resolveSibling(content.get("csvFile").asString()));
            assertThat(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(csv)))
                    .isEqualTo(content.get("sha256").asString());
            dropped += content.get("recordCount").asLong();
        }
        assertThat(dropped).as("records in the post-16 files").isEqualTo(summary.deliveries().get("post16").sent());
    }

    /**
     * The metric contract: every metric a dashboard panel, a dashboard variable or an alert uses is exported by a running
     * service, with every label the expression matches or groups on. A renamed metric fails here, not on a dashboard.
     */
    @Test
    @Order(2)
    void everyMetricTheDashboardsAndAlertsUseIsExportedWithItsLabels() throws Exception {
        // Validation issues are counted by rule as they occur: a dry run with one invalid pupil makes one.
        assertThat(pipeline.previewWithAnInvalidPupil().get("invalid").asLong()).isEqualTo(1);
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> targets = pipeline.scrapeTargets();
        assertThat(targets.keySet()).containsExactlyInAnyOrder("census-ingest", "sharing-router", "recipient-adapters", "audit-service");
        assertThat(java.nio.file.Files.readString(pipeline.prometheusConfig())).as("the Prometheus configuration the local run wrote")
                .contains(targets.values()).contains("deploy/prometheus/rules/pupilflow.rules.yml");
        List<MonitoringFiles.Query> queries = MonitoringFiles.queries(REPOSITORY);
        assertThat(queries).as("dashboard and alert expressions").hasSizeGreaterThan(40);

        // Kafka's client metrics appear in Micrometer at its next scan after the client creates them (a minute apart):
        // scrape until everything is there, for at most three minutes.
        ExportedMetrics exported;
        List<String> broken;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            exported = scrape(http, targets);
            broken = unexported(queries, exported);
            if (broken.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(5_000);
        }
        assertThat(broken).as("metrics and labels used by dashboards and alerts but not exported").isEmpty();

        // The lag watcher works under the router's own ACLs: every recipient measured, no check refused.
        assertThat(exported.samples("pupilflow_recipient_lag_check_failures_total", Map.of()))
                .singleElement().satisfies(sample -> assertThat(sample.value()).isZero());
        for (RecipientRule recipient : policy.recipients()) {
            assertThat(exported.samples("pupilflow_recipient_lag_records", Map.of("recipient", recipient.id(), "topic", recipient.topic())))
                    .as("lag of %s", recipient.id()).isNotEmpty();
        }
        // The first test's records are all delivered and audited: recipient-adapters and audit-service have caught up
        // (measured every 5 s in the local run; a marker per partition may remain).
        String router = targets.get("sharing-router");
        long caughtUpBy = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            ExportedMetrics now = new ExportedMetrics().add(http.send(HttpRequest.newBuilder(URI.create("http://" + router + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            List<ExportedMetrics.Sample> webhook = now.samples("pupilflow_recipient_oldest_uncollected_age_seconds",
                    Map.of("recipient", "childrens-centres", "group", BrokerIdentity.adaptersGroup("childrens-centres")));
            List<ExportedMetrics.Sample> audit = now.samples("pupilflow_audit_lag_records", Map.of("topic", "audit.disclosures"));
            boolean caughtUp = webhook.size() == 1 && webhook.get(0).value() == 0 && audit.size() == 1 && audit.get(0).value() <= 6;
            if (caughtUp) {
                break;
            }
            assertThat(System.nanoTime()).as("caught up by the lag metrics: %s %s", webhook, audit).isLessThan(caughtUpBy);
            Thread.sleep(1_000);
        }
    }

    /**
     * Rights that follow the data. Objections for pupils already shared: the router is killed (SIGKILL) straight after they
     * are accepted, before most of their follow-ups can commit; after the restart every recipient holding such a pupil
     * gets exactly one DeletionRequest per disclosure (a restricted replacement where the policy restricts), and the audit
     * trail of the return holds exactly what the policy predicts. Then the same census, re-ordered, is uploaded again:
     * nothing is sent to anyone, every decision is audited UNCHANGED (or WITHHELD for the pupils who objected).
     */
    @Test
    @Order(3)
    void objectionsAfterSharingReachTheRecipientsOnceThroughAKillAndTheSameCensusAgainSendsNothing() throws Exception {
        assertThat(first).as("the first test's return").isNotNull();
        String token = pipeline.token();
        LocalPipeline.Shared objected = pipeline.objectAfterSharing(new LocalPipeline.Shared(first.returnId(), first.expected(), first.auditEvents(), token), 12);
        pipeline.router().kill();
        pipeline.restart("sharing-router");

        Map<String, Map<String, Long>> audited = pipeline.awaitAudited(objected.returnId(), objected.expectedEvents(), token, Duration.ofMinutes(5));
        assertThat(audited).isEqualTo(objected.expected());
        long requested = objected.expected().values().stream().mapToLong(outcomes -> outcomes.getOrDefault("DELETION_REQUESTED", 0L)).sum();
        assertThat(requested).as("deletion requests the policy predicts").isPositive();
        for (RecipientRule recipient : policy.recipients()) {
            List<DeletionRequest> requests = recipientRecords(recipient, DeletionRequest.class);
            long expected = objected.expected().getOrDefault(recipient.id(), Map.of()).getOrDefault("DELETION_REQUESTED", 0L);
            assertThat(requests).as("deletion requests on %s", recipient.topic()).hasSize((int) expected);
            assertThat(requests.stream().flatMap(r -> r.getDisclosureIds().stream()).toList()).as("each disclosure asked for once").doesNotHaveDuplicates();
        }

        LocalPipeline.Shared again = pipeline.upload(3_000, 7, true, false);
        Map<String, Map<String, Long>> auditedAgain = pipeline.awaitAudited(again.returnId(), again.expectedEvents(), token, Duration.ofMinutes(8));
        assertThat(auditedAgain).isEqualTo(again.expected());
        assertThat(again.expected().values()).allSatisfy(outcomes -> assertThat(outcomes.keySet()).isSubsetOf("UNCHANGED", "WITHHELD"));
        for (RecipientRule recipient : policy.recipients()) {
            assertThat(disclosureIds(recipient, again.returnId())).as("records of the re-upload on %s", recipient.topic()).isEmpty();
        }
        assertThat(pipeline.verifyChain(token)).isEqualTo("INTACT");
    }

    @Test
    @Order(4)
    void killingTheRouterTheAdaptersAndAuditServiceMidStreamLosesAndDuplicatesNothing() throws Exception {
        long webhookIdsBefore = pipeline.receiver().ids("childrens-centres").size();
        long requestsBefore = recipientRecords(policy.recipients().stream().filter(r -> r.id().equals("childrens-centres")).findFirst().orElseThrow(),
                DeletionRequest.class).size();
        LocalPipeline.Shared shared = pipeline.upload(6_000, 11);

        long routedAtKill = awaitRouted(600);
        pipeline.router().kill();
        assertThat(routedAtKill).as("the router was killed part-way through the return").isLessThan(6_000);
        pipeline.restart("sharing-router");
        awaitAudited(shared, shared.expectedEvents() / 2);
        pipeline.audit().kill();
        assertThat(pipeline.auditedBeforeKill()).as("audit-service was killed part-way through the return").isLessThan(shared.expectedEvents());
        // While audit-service is down, the adapters go on delivering (their receipts wait in Kafka); kill them too.
        long childrensCentres = sentTo("childrens-centres", shared);
        awaitWebhookIds(webhookIdsBefore + childrensCentres / 4);
        pipeline.adapters().kill();
        long deliveredAtKill = pipeline.receiver().ids("childrens-centres").size() - webhookIdsBefore;
        assertThat(deliveredAtKill).as("recipient-adapters was killed part-way through the children's centres' records").isLessThan(childrensCentres);
        pipeline.restart("audit-service");
        pipeline.restart("recipient-adapters");
        Map<String, Map<String, Long>> audited = pipeline.awaitAudited(shared.returnId(), shared.expectedEvents(), shared.token(), Duration.ofMinutes(8));
        Map<String, LocalPipeline.Delivery> deliveries = pipeline.awaitDelivered(shared, Duration.ofMinutes(5));

        assertThat(pipeline.audited(shared.returnId(), shared.token())).as("audit events = decisions").isEqualTo(shared.expectedEvents());
        assertThat(audited).isEqualTo(shared.expected());
        for (RecipientRule recipient : policy.recipients()) {
            long sent = shared.expected().getOrDefault(recipient.id(), Map.of()).entrySet().stream()
                    .filter(e -> !e.getKey().equals("WITHHELD")).mapToLong(Map.Entry::getValue).sum();
            List<String> ids = disclosureIds(recipient, shared.returnId());
            assertThat(ids).as("records of this return on " + recipient.topic() + " (read_committed)").hasSize((int) sent).doesNotHaveDuplicates();
            if (!recipient.readFromKafka()) {
                assertThat(deliveries.get(recipient.id()).delivered()).as(recipient.id() + " delivered after the kill").isEqualTo(sent);
                assertThat(deliveries.get(recipient.id()).receipts()).as(recipient.id() + ": exactly one receipt per disclosure").isEqualTo(sent);
            }
            if (recipient.delivery().equals("webhook")) {
                assertThat(pipeline.receiver().ids(recipient.id())).as("the receiver saw every disclosure's webhook-id").containsAll(ids);
                // Pupils of this return that were shared before and are now withheld bring deletion requests too (their own ids).
                long requests = recipientRecords(recipient, DeletionRequest.class).size() - requestsBefore;
                assertThat(pipeline.receiver().ids(recipient.id())).as("distinct webhook-ids = disclosures and deletion requests")
                        .hasSize((int) (webhookIdsBefore + sent + requests));
            }
        }
        assertThat(pipeline.verifyChain(shared.token())).isEqualTo("INTACT");
    }

    @Test
    @Order(5)
    void aRouterStartedWithAWrongPasswordIsNotReadyAndNamesItsPrincipalOnce() throws Exception {
        Path wrong = data.resolve("wrong-password.properties");
        Map<String, Object> router = pipeline.clientConfigOf("sharing-router");
        java.util.Properties settings = new java.util.Properties();
        router.forEach((key, value) -> settings.setProperty(key, String.valueOf(value)));
        settings.setProperty("sasl.jaas.config", String.valueOf(router.get("sasl.jaas.config")).replaceAll("password=\"[^\"]*\"", "password=\"wrong\""));
        try (var out = java.nio.file.Files.newBufferedWriter(wrong)) {
            settings.store(out, null);
        }
        int port = freePort();
        ServiceProcess impostor = new ServiceProcess("sharing-router-wrong-password", REPOSITORY.resolve("sharing-router/target/sharing-router-0.1.0-SNAPSHOT.jar"),
                port, data.resolve("logs"), "256m", List.of("--spring.profiles.active=local-dev",
                        "--spring.config.import=file:" + LocalPipeline.springKafkaSettings("sharing-router-wrong-password", wrong),
                        "--pupilflow.router.policy-file=" + REPOSITORY.resolve("policies/norfolk.yaml"), "--pupilflow.router.create-topics=false",
                        "--spring.kafka.streams.state-dir=" + data.resolve("impostor-state")));
        try {
            impostor.start();
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            HttpResponse<String> readiness = null;
            while (System.nanoTime() < deadline) {
                try {
                    readiness = http.send(HttpRequest.newBuilder(URI.create(impostor.url("/actuator/health/readiness"))).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (readiness.statusCode() == 503 && readiness.body().contains("refused the login")) {
                        break;
                    }
                } catch (IOException starting) {
                    // not listening yet
                }
                Thread.sleep(500);
            }
            assertThat(readiness).isNotNull();
            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(readiness.body()).contains("\"principal\":\"User:sharing-router\"").contains("refused the login of User:sharing-router");
            Thread.sleep(5_000);
            String log = java.nio.file.Files.readString(impostor.log());
            assertThat(log.lines().filter(line -> line.contains("refused the login of User:sharing-router")).count())
                    .as("the refusal is reported, not looped:%n%s", log).isBetween(1L, 4L);
        } finally {
            impostor.close();
        }
    }

    /**
     * No pupil data in the logs: after everything above — uploads, objections, replacements, kills and restarts, a refused
     * login — and a return refused in strict mode (its transaction aborted with hundreds of records keyed by UPN still in
     * flight, which Spring Kafka's default producer listener would log one by one), no service's log holds a UPN of any
     * pupil the run uploaded, at the services' default log level.
     */
    @Test
    @Order(6)
    void noServiceLoggedTheUpnOfAnyPupilOfTheRun() throws Exception {
        org.pupilflow.fixtures.census.CensusSpec spec = new org.pupilflow.fixtures.census.CensusSpec(13, 3_000,
                org.pupilflow.fixtures.census.CensusSpec.DEFAULT_LA, org.pupilflow.fixtures.census.CensusSpec.DEFAULT_ACADEMIC_YEAR,
                org.pupilflow.fixtures.census.CensusSpec.DEFAULT_TERM, null);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (org.pupilflow.fixtures.ctf.CtfXmlWriter writer = new org.pupilflow.fixtures.ctf.CtfXmlWriter(bytes, spec, spec.censusDay().atTime(9, 0))) {
            for (org.pupilflow.census.CensusPupil pupil : new org.pupilflow.fixtures.census.SyntheticCensus(spec)) {
                writer.write(pupil);
            }
        }
        String xml = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        int lastSex = xml.lastIndexOf("<Sex>");
        String lastInvalid = xml.substring(0, lastSex) + "<Sex>Q</Sex>" + xml.substring(xml.indexOf("</Sex>", lastSex) + "</Sex>".length());
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pipeline.ingest().url("/returns")))
                .header("Authorization", "Bearer " + pipeline.token()).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(lastInvalid)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as("a strict-mode refusal").isEqualTo(422);
        Thread.sleep(2_000); // the aborted records' callbacks run on the producer's thread

        java.util.Set<String> upns = new java.util.TreeSet<>(pipeline.uploadedUpns());
        new org.pupilflow.fixtures.census.SyntheticCensus(spec).forEach(pupil -> upns.add(pupil.getIdentity().getUpn()));
        assertThat(upns).as("pupils uploaded by the run, and those of the refused return").hasSizeGreaterThanOrEqualTo(3_000);
        List<Path> logs;
        try (var files = java.nio.file.Files.list(pipeline.logs())) {
            logs = files.filter(file -> file.getFileName().toString().endsWith(".log")).sorted().toList();
        }
        assertThat(logs).extracting(log -> log.getFileName().toString())
                .contains("census-ingest.log", "sharing-router.log", "recipient-adapters.log", "audit-service.log");
        java.util.regex.Pattern upnShaped = java.util.regex.Pattern.compile("\\b[A-Z][0-9]{11}[0-9A-Z]\\b");
        List<String> found = new java.util.ArrayList<>();
        for (Path log : logs) {
            try (var lines = java.nio.file.Files.lines(log, java.nio.charset.StandardCharsets.UTF_8)) {
                lines.forEach(line -> {
                    java.util.regex.Matcher match = upnShaped.matcher(line);
                    while (match.find()) {
                        if (upns.contains(match.group())) {
                            found.add(log.getFileName() + ": " + line.substring(0, Math.min(200, line.length())));
                        }
                    }
                });
            }
        }
        assertThat(found).as("log lines holding the UPN of a pupil of the run").isEmpty();
    }

    private static ExportedMetrics scrape(HttpClient http, Map<String, String> targets) throws Exception {
        ExportedMetrics exported = new ExportedMetrics();
        for (String target : targets.values()) {
            HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create("http://" + target + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).as(target).isEqualTo(200);
            exported.add(scrape.body());
        }
        return exported;
    }

    /** Every selector of every dashboard and alert expression that no exported series satisfies, with where it is used. */
    private static List<String> unexported(List<MonitoringFiles.Query> queries, ExportedMetrics exported) {
        List<String> broken = new java.util.ArrayList<>();
        for (MonitoringFiles.Query query : queries) {
            for (PromQl.Selector selector : PromQl.selectors(query.expression())) {
                if (!exported.has(selector.metric())) {
                    broken.add(query.source() + ": no service exports " + selector.metric());
                    continue;
                }
                java.util.Set<String> unknown = new java.util.TreeSet<>(selector.labels());
                unknown.removeAll(ExportedMetrics.TARGET_LABELS);
                unknown.removeAll(exported.labelsOf(selector.metric()));
                if (!unknown.isEmpty()) {
                    broken.add(query.source() + ": " + selector.metric() + " has no label " + unknown);
                }
            }
            // A label value spelled out (application="sharing-router") must match a series, or the panel is empty.
            for (Map.Entry<String, Map<String, String>> exact : PromQl.exactMatchers(query.expression())) {
                if (exported.has(exact.getKey()) && exported.samples(exact.getKey(), exact.getValue()).isEmpty()) {
                    broken.add(query.source() + ": no series " + exact.getKey() + exact.getValue());
                }
            }
        }
        return broken;
    }

    /** Census records the (current) router has routed, from its metrics; kills happen as soon as this passes {@code atLeast}. */
    private long awaitRouted(long atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            long routed = pipeline.routedRecords();
            if (routed >= atLeast) {
                return routed;
            }
            assertThat(System.nanoTime()).as("routed %d records within 5 minutes", atLeast).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private void awaitAudited(LocalPipeline.Shared shared, long atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (pipeline.audited(shared.returnId(), shared.token()) < atLeast) {
            assertThat(System.nanoTime()).as("audited %d decisions within 5 minutes", atLeast).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static long sentTo(String recipient, LocalPipeline.Shared shared) {
        Map<String, Long> outcomes = shared.expected().getOrDefault(recipient, Map.of());
        return outcomes.getOrDefault("DISCLOSED", 0L) + outcomes.getOrDefault("RESTRICTED", 0L);
    }

    private void awaitWebhookIds(long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (pipeline.receiver().ids("childrens-centres").size() < atLeast) {
            assertThat(System.nanoTime()).as("the webhook receiver saw %d ids within 5 minutes", atLeast).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /**
     * The disclosure ids of a return on a recipient's topic, read as that recipient (its own SCRAM user and consumer group),
     * or, for one delivered by webhook or file drop, as recipient-adapters.
     */
    private List<String> disclosureIds(RecipientRule recipient, String returnId) throws IOException {
        return recipientRecords(recipient, PupilDisclosure.class).stream().filter(disclosure -> disclosure.getReturnId().equals(returnId))
                .map(PupilDisclosure::getDisclosureId).toList();
    }

    /** The records of one kind on a recipient's topic (disclosures, deletion requests, deletion-due notices), read as the recipient. */
    private <T> List<T> recipientRecords(RecipientRule recipient, Class<T> kind) throws IOException {
        String user = recipient.readFromKafka() ? BrokerIdentity.recipientUser(recipient.id()) : BrokerIdentity.of(Service.RECIPIENT_ADAPTERS).user();
        Map<String, Object> asRecipient = new HashMap<>(pipeline.clientConfigOf(user));
        asRecipient.put("group.id", (recipient.readFromKafka() ? user + "." : BrokerIdentity.ADAPTERS_GROUP_PREFIX) + "e2e-" + recipient.id());
        String topic = recipient.topic();
        return TopicReader.readAll(asRecipient, topic, true, Duration.ofSeconds(60)).stream()
                .map(record -> RecipientRecords.decode(topic, record.headers(), record.value()))
                .filter(kind::isInstance).map(kind::cast).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The first of {@code size} consecutive free ports. */
    private static int freeBlock(int size) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = 20_000 + (int) (Math.random() * 20_000);
            boolean free = true;
            for (int port = first; port < first + size && free; port++) {
                free = !StandaloneKafka.isListening(port);
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no block of " + size + " free ports");
    }
}
