package org.pupilflow.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.MeterRegistry;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pupilflow.adapters.filedrop.DropManifest;
import org.pupilflow.adapters.filedrop.FileDrop;
import org.pupilflow.adapters.json.WebhookPayloads;
import org.pupilflow.adapters.webhook.StandardWebhooks;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.policy.decide.Decision;
import org.pupilflow.policy.decide.Pseudonymiser;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.pupilflow.schemas.kafka.AvroSingleObjectSerializer;
import org.pupilflow.schemas.kafka.DeadLetters;
import org.pupilflow.schemas.kafka.RecipientRecords;
import org.pupilflow.sharing.DeletionDue;
import org.pupilflow.sharing.DeletionRequest;
import org.pupilflow.sharing.DeliveryOutcome;
import org.pupilflow.sharing.DeliveryReceipt;
import org.pupilflow.sharing.PupilDisclosure;
import org.pupilflow.testing.kafka.TopicReader;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.json.JsonMapper;

/**
 * recipient-adapters against a real broker, real HTTP receivers (JDK HttpServer, verifying every
 * Standard Webhooks signature with their own code path) and a real SFTP server (MINA SSHD): one
 * recipient per behaviour, all delivered at once, so one recipient's trouble visibly delays no other.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
    "pupilflow.adapters.policy-file=src/test/resources/adapters-test-policy.yaml",
    "pupilflow.adapters.instance-id=test",
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}"})
@EmbeddedKafka(count = 1, partitions = 1, topics = {"recipient.hooks-ok", "recipient.hooks-flaky", "recipient.hooks-down", "recipient.hooks-slow",
    "recipient.hooks-refuses", "recipient.hooks-broken", "recipient.drop-sftp", "recipient.drop-folder", "recipient.hooks-rights", "recipient.drop-rights",
    "audit.deliveries"})
class DeliveryIntegrationTest {

    private static final int PUPILS = 10;
    private static final Duration DOWN_FOR = Duration.ofSeconds(30);
    private static final String SECRET = StandardWebhooks.newSecret(new SecureRandom());
    private static final String SFTP_USER = "college";
    private static final String SFTP_PASSWORD = "local test only";

    private static final Receiver RECEIVER = Receiver.start(0);
    private static final int DOWN_PORT = freePort();
    private static final Path FOLDER = temporaryDirectory("drop-folder");
    private static final Path RIGHTS_FOLDER = temporaryDirectory("drop-rights");
    /** The recipients of the rights test (disclosures, then deletion requests and notices); the delivery-behaviour test leaves them alone. */
    private static final Set<String> RIGHTS = Set.of("hooks-rights", "drop-rights");
    private static final int RIGHTS_PUPILS = 4;
    private static final Path SFTP_ROOT = temporaryDirectory("sftp-root");
    private static final AtomicBoolean DROP_FIRST_UPLOAD = new AtomicBoolean(true);
    private static final SshServer SFTP = sftpServer();

    @Value("${spring.embedded.kafka.brokers}")
    private String brokers;

    @Autowired
    private MeterRegistry registry;

    @DynamicPropertySource
    static void deliveries(DynamicPropertyRegistry registry) {
        String recipients = "pupilflow.adapters.recipients.";
        for (String hook : List.of("ok", "flaky", "slow", "refuses", "broken", "rights")) {
            registry.add(recipients + "hooks-" + hook + ".webhook.url", () -> RECEIVER.url(hook));
        }
        registry.add(recipients + "hooks-down.webhook.url", () -> "http://127.0.0.1:" + DOWN_PORT + "/webhook/down");
        for (String hook : List.of("ok", "flaky", "down", "slow", "refuses", "broken", "rights")) {
            registry.add(recipients + "hooks-" + hook + ".webhook.secret", () -> SECRET);
            registry.add(recipients + "hooks-" + hook + ".retry.initial-interval", () -> "50ms");
            registry.add(recipients + "hooks-" + hook + ".retry.max-interval", () -> "1s");
        }
        registry.add(recipients + "hooks-slow.webhook.request-timeout", () -> "1s");
        registry.add(recipients + "hooks-broken.retry.max-attempts", () -> "3");
        registry.add(recipients + "drop-sftp.file-drop.sftp.host", () -> "127.0.0.1");
        registry.add(recipients + "drop-sftp.file-drop.sftp.port", () -> SFTP.getPort());
        registry.add(recipients + "drop-sftp.file-drop.sftp.username", () -> SFTP_USER);
        registry.add(recipients + "drop-sftp.file-drop.sftp.password", () -> SFTP_PASSWORD);
        registry.add(recipients + "drop-sftp.file-drop.sftp.host-key", DeliveryIntegrationTest::hostKey);
        registry.add(recipients + "drop-sftp.file-drop.sftp.remote-directory", () -> "incoming");
        registry.add(recipients + "drop-sftp.file-drop.max-wait", () -> "1s");
        registry.add(recipients + "drop-sftp.retry.initial-interval", () -> "100ms");
        registry.add(recipients + "drop-folder.file-drop.directory", FOLDER::toString);
        registry.add(recipients + "drop-folder.file-drop.max-wait", () -> "1s");
        registry.add(recipients + "drop-rights.file-drop.directory", RIGHTS_FOLDER::toString);
        registry.add(recipients + "drop-rights.file-drop.max-wait", () -> "1s");
    }

    @AfterAll
    static void stopServers() throws IOException {
        RECEIVER.close();
        SFTP.stop(true);
    }

    @Test
    void everyDisclosureEndsWithExactlyOneReceiptAndEachReceiverGetsWhatItShould() throws Exception {
        Map<String, List<PupilDisclosure>> sent = publishDisclosures();
        Instant published = Instant.now();

        // A recipient that is down delays nobody else: the healthy ones are done while it is still down.
        await().atMost(Duration.ofSeconds(25)).untilAsserted(() -> assertThat(receipts("hooks-ok")).hasSize(PUPILS));
        assertThat(Duration.between(published, Instant.now())).isLessThan(DOWN_FOR);
        Thread.sleep(Math.max(0, DOWN_FOR.minus(Duration.between(published, Instant.now())).toMillis()));
        Receiver down = Receiver.start(DOWN_PORT);
        try {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (String recipient : sent.keySet()) {
                    assertThat(receipts(recipient)).as(recipient).hasSize(PUPILS);
                }
            });
            Thread.sleep(2_000); // nothing more may follow: exactly one receipt per disclosure
            Map<String, List<DeliveryReceipt>> receipts = new HashMap<>();
            for (String recipient : sent.keySet()) {
                receipts.put(recipient, receipts(recipient));
                assertThat(receipts.get(recipient)).as("one receipt per disclosure of " + recipient).extracting(DeliveryReceipt::getDisclosureId)
                        .containsExactlyInAnyOrderElementsOf(ids(sent.get(recipient)));
            }

            assertThat(outcomes(receipts.get("hooks-ok"))).containsOnly(DeliveryOutcome.DELIVERED);
            assertThat(RECEIVER.ids("ok")).as("in order, each once, every signature verified").containsExactlyElementsOf(ids(sent.get("hooks-ok")));
            assertThat(receipts.get("hooks-ok")).allSatisfy(r -> assertThat(r.getDetail()).isEqualTo("HTTP 204"));

            assertThat(outcomes(receipts.get("hooks-flaky"))).containsOnly(DeliveryOutcome.DELIVERED);
            assertThat(receipts.get("hooks-flaky")).allSatisfy(r -> assertThat(r.getAttempts()).isEqualTo(3));
            assertThat(RECEIVER.ids("flaky")).containsExactlyElementsOf(ids(sent.get("hooks-flaky")));

            assertThat(outcomes(receipts.get("hooks-down"))).containsOnly(DeliveryOutcome.DELIVERED);
            assertThat(down.ids("down")).as("delivered in order once it was back").containsExactlyElementsOf(ids(sent.get("hooks-down")));

            // The first answer for each record is lost to the timeout; the retry has the same webhook-id, one receipt is written.
            assertThat(outcomes(receipts.get("hooks-slow"))).containsOnly(DeliveryOutcome.DELIVERED);
            assertThat(RECEIVER.requests("slow")).hasSize(2 * PUPILS);
            assertThat(RECEIVER.ids("slow")).containsExactlyElementsOf(ids(sent.get("hooks-slow")));

            assertThat(outcomes(receipts.get("hooks-refuses"))).containsOnly(DeliveryOutcome.REJECTED_BY_RECIPIENT);
            assertThat(RECEIVER.requests("refuses")).as("a permanent refusal is not retried").hasSize(PUPILS);
            assertThat(receipts.get("hooks-refuses")).allSatisfy(r -> assertThat(r.getDetail()).contains("400").contains("unknown school"));
            assertThat(deadLetters("hooks-refuses")).extracting(DeadLettersOf::reason).containsOnly("REJECTED_BY_RECIPIENT").hasSize(PUPILS);

            assertThat(outcomes(receipts.get("hooks-broken"))).containsOnly(DeliveryOutcome.FAILED);
            assertThat(receipts.get("hooks-broken")).allSatisfy(r -> assertThat(r.getAttempts()).isEqualTo(3));
            assertThat(RECEIVER.requests("broken")).hasSize(3 * PUPILS);
            assertThat(deadLetters("hooks-broken")).extracting(DeadLettersOf::reason).containsOnly("FAILED").hasSize(PUPILS);

            assertThat(RECEIVER.refusedSignatures() + down.refusedSignatures()).as("requests whose signature did not verify").isZero();
            assertFileDropped(SFTP_ROOT.resolve("incoming"), receipts.get("drop-sftp"), sent.get("drop-sftp"));
            assertThat(DROP_FIRST_UPLOAD).as("the first SFTP upload lost its connection").isFalse();
            assertFileDropped(FOLDER, receipts.get("drop-folder"), sent.get("drop-folder"));

            assertThat(counter("pupilflow.adapters.receipts", "recipient", "hooks-ok", "outcome", "DELIVERED")).isEqualTo(PUPILS);
            assertThat(counter("pupilflow.adapters.receipts", "recipient", "hooks-refuses", "outcome", "REJECTED_BY_RECIPIENT")).isEqualTo(PUPILS);
            assertThat(counter("pupilflow.adapters.receipts", "recipient", "hooks-broken", "outcome", "FAILED")).isEqualTo(PUPILS);
            assertThat(counter("pupilflow.adapters.retries", "recipient", "hooks-flaky")).isEqualTo(2 * PUPILS);
            assertThat(counter("pupilflow.adapters.dead.letters", "recipient", "hooks-broken", "reason", "FAILED")).isEqualTo(PUPILS);
            assertThat(registry.get("pupilflow.adapters.oldest.undelivered.age").tag("recipient", "hooks-ok").gauge().value()).isZero();
        } finally {
            down.close();
        }
    }

    @Test
    void aRecordThatIsNotADisclosureGoesToTheDeadLettersWithTheReason() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>("recipient.hooks-ok", "not-a-disclosure", "{\"hello\":1}".getBytes(StandardCharsets.UTF_8))).get();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deadLetters("hooks-ok")).anySatisfy(letter -> {
            assertThat(letter.reason()).isEqualTo("UNDECODABLE");
            assertThat(letter.source()).startsWith("recipient.hooks-ok-0@");
            assertThat(letter.key()).isEqualTo("not-a-disclosure");
        }));
    }

    @Test
    void aRecordWhoseKindHeaderIsUnknownOrWrongGoesToTheDeadLettersWithItsHeaders() throws Exception {
        PupilDisclosure disclosure = PupilDisclosure.newBuilder().setDisclosureId(UUID.randomUUID().toString()).setRecipientId("hooks-ok")
                .setPolicyId("adapters-test").setPolicyVersion("1").setPolicyContentHash("ab".repeat(32)).setLegalBasis("Test basis")
                .setReturnId("R-1").setDisclosedFields(List.of()).build();
        byte[] value = new AvroSingleObjectSerializer<>(PupilDisclosure.class).serialize("recipient.hooks-ok", disclosure);
        RecordHeaders unknownKind = new RecordHeaders();
        unknownKind.add(RecipientRecords.KIND_HEADER, "tombstone".getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>("recipient.hooks-ok", null, "unknown-kind", value, unknownKind)).get();
            // A disclosure's bytes under a deletion-request header: the header is believed, and the value does not decode as one.
            producer.send(new ProducerRecord<>("recipient.hooks-ok", null, "wrong-kind", value,
                    RecipientRecords.mark(new RecordHeaders(), RecipientRecords.Kind.DELETION_REQUEST))).get();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(TopicReader.readAll(brokers, "recipient.hooks-ok.dead-letters", true,
                Duration.ofSeconds(10))).filteredOn(letter -> List.of("unknown-kind", "wrong-kind").contains(letter.key())).hasSize(2).allSatisfy(letter -> {
                    assertThat(DeadLetters.reason(letter.headers())).contains("UNDECODABLE");
                    // The record unchanged, its own headers kept, as the dead-letter convention says.
                    assertThat(letter.value()).isEqualTo(value);
                    assertThat(letter.headers().lastHeader(RecipientRecords.KIND_HEADER)).isNotNull();
                }));
        assertThat(receipts("hooks-ok")).extracting(DeliveryReceipt::getDisclosureId).as("an undecodable record has no receipt")
                .doesNotContain(disclosure.getDisclosureId());
    }

    /**
     * The rights records (issue 14) on a webhook and a file-drop recipient's topic, behind their disclosures as the
     * router writes them: a restricted replacement with the deletion request for the original (kind header), and a
     * deletion-due notice written without the header (told apart by its schema fingerprint). Each is delivered in
     * order with exactly one receipt under its own id.
     */
    @Test
    void deletionRequestsAndDeletionDueNoticesAreDeliveredInOrderWithExactlyOneReceiptEach() throws Exception {
        Map<String, List<String>> sent = publishRightsRecords();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String recipient : RIGHTS) {
                assertThat(receipts(recipient)).as(recipient).hasSize(sent.get(recipient).size());
            }
        });
        Thread.sleep(2_000); // nothing more may follow: exactly one receipt per record

        for (String recipient : RIGHTS) {
            List<DeliveryReceipt> receipts = receipts(recipient);
            assertThat(receipts).as("one receipt per record of " + recipient).extracting(DeliveryReceipt::getDisclosureId)
                    .containsExactlyInAnyOrderElementsOf(sent.get(recipient));
            assertThat(outcomes(receipts)).containsOnly(DeliveryOutcome.DELIVERED);
            assertThat(deadLetters(recipient)).as("none undecodable").isEmpty();
        }

        // Webhook: in order, each once, signed; each kind its own payload, all valid against the published webhook schema.
        List<String> hookIds = sent.get("hooks-rights");
        assertThat(RECEIVER.ids("rights")).containsExactlyElementsOf(hookIds);
        Schema webhookSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder.schemas(WebhookPayloads.published()))
                .getSchema(SchemaLocation.of(WebhookPayloads.WEBHOOK_SCHEMA_ID));
        JsonMapper json = JsonMapper.builder().build();
        for (String id : hookIds) {
            String body = RECEIVER.body("rights", id);
            assertThat(webhookSchema.validate(body, InputFormat.JSON,
                    context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)))).as(body).isEmpty();
        }
        String requestId = hookIds.get(hookIds.size() - 2);
        String noticeId = hookIds.get(hookIds.size() - 1);
        assertThat(json.readTree(RECEIVER.body("rights", requestId)).get("type").asString()).isEqualTo("pupil.deletion-requested");
        assertThat(json.readTree(RECEIVER.body("rights", requestId)).get("replacedBy").asString()).isEqualTo(hookIds.get(hookIds.size() - 3));
        assertThat(json.readTree(RECEIVER.body("rights", noticeId)).get("type").asString()).isEqualTo("pupil.deletion-due");
        assertThat(json.readTree(RECEIVER.body("rights", hookIds.get(0))).has("type")).as("a disclosure's body is unchanged").isFalse();

        // File drop: disclosures in the CSVs, the request and the notice in deletions CSVs, each listed with its hash in a manifest.
        List<String> dropIds = sent.get("drop-rights");
        List<DropManifest> manifests = new ArrayList<>();
        try (Stream<Path> files = Files.list(RIGHTS_FOLDER)) {
            for (Path file : files.filter(file -> file.getFileName().toString().endsWith(".manifest.json")).toList()) {
                manifests.add(DropManifest.fromJson(Files.readAllBytes(file)));
            }
        }
        List<String> droppedDisclosures = manifests.stream().flatMap(manifest -> manifest.disclosureIds().stream()).toList();
        List<String> droppedDeletions = manifests.stream().filter(manifest -> manifest.deletionIds() != null)
                .flatMap(manifest -> manifest.deletionIds().stream()).toList();
        assertThat(droppedDisclosures).containsExactlyInAnyOrderElementsOf(dropIds.subList(0, dropIds.size() - 2));
        assertThat(droppedDeletions).containsExactlyInAnyOrderElementsOf(dropIds.subList(dropIds.size() - 2, dropIds.size()));
        Map<String, DeliveryReceipt> dropReceipts = new HashMap<>();
        receipts("drop-rights").forEach(receipt -> dropReceipts.put(receipt.getDisclosureId(), receipt));
        for (DropManifest manifest : manifests) {
            assertThat(HexFormat.of().formatHex(sha256(Files.readAllBytes(RIGHTS_FOLDER.resolve(manifest.csvFile()))))).isEqualTo(manifest.sha256());
            if (manifest.deletionsFile() != null) {
                assertThat(HexFormat.of().formatHex(sha256(Files.readAllBytes(RIGHTS_FOLDER.resolve(manifest.deletionsFile())))))
                        .isEqualTo(manifest.deletionsSha256());
                assertThat(manifest.deletionsFile()).endsWith(FileDrop.DELETIONS_SUFFIX);
                for (String id : manifest.deletionIds()) {
                    assertThat(dropReceipts.get(id).getDetail()).contains(manifest.deletionsFile()).contains(manifest.deletionsSha256());
                }
            }
        }
        assertThat(counter("pupilflow.adapters.receipts", "recipient", "hooks-rights", "outcome", "DELIVERED")).isEqualTo(hookIds.size());
        assertThat(counter("pupilflow.adapters.receipts", "recipient", "drop-rights", "outcome", "DELIVERED")).isEqualTo(dropIds.size());
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private static void assertFileDropped(Path folder, List<DeliveryReceipt> receipts, List<PupilDisclosure> sent) throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(folder)) {
            names = files.map(file -> file.getFileName().toString()).filter(name -> !name.startsWith(".")).sorted().toList();
        }
        assertThat(names).as("one CSV and its manifest in " + folder).hasSize(2);
        String manifestName = names.stream().filter(name -> name.endsWith(".manifest.json")).findFirst().orElseThrow();
        DropManifest manifest = DropManifest.fromJson(Files.readAllBytes(folder.resolve(manifestName)));
        byte[] csv = Files.readAllBytes(folder.resolve(manifest.csvFile()));
        assertThat(HexFormat.of().formatHex(sha256(csv))).isEqualTo(manifest.sha256());
        assertThat(manifest.recordCount()).isEqualTo(sent.size());
        assertThat(manifest.disclosureIds()).containsExactlyInAnyOrderElementsOf(ids(sent));
        assertThat(receipts).allSatisfy(receipt -> {
            assertThat(receipt.getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
            assertThat(receipt.getChannel()).isEqualTo("file-drop");
            assertThat(receipt.getDetail()).contains(manifest.csvFile()).contains(manifest.sha256());
        });
    }

    /** Ten pupils' disclosures to every recipient of the test policy, as the router writes them. */
    private Map<String, List<PupilDisclosure>> publishDisclosures() throws Exception {
        SharingEngine engine = new SharingEngine(new PolicyLoader().load(Path.of("src/test/resources/adapters-test-policy.yaml")),
                new Pseudonymiser(new byte[32]));
        AvroSingleObjectSerializer<PupilDisclosure> values = new AvroSingleObjectSerializer<>(PupilDisclosure.class);
        Map<String, List<PupilDisclosure>> sent = new LinkedHashMap<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (CensusPupil pupil : new SyntheticCensus(CensusSpec.of(PUPILS).withSeed(11))) {
                for (Decision decision : engine.evaluate(pupil, List.of(), Instant.now()).decisions()) {
                    if (RIGHTS.contains(decision.recipient().id())) {
                        continue;
                    }
                    PupilDisclosure disclosure = decision.disclosure();
                    String topic = decision.recipient().topic();
                    producer.send(new ProducerRecord<>(topic, decision.recordKey(), values.serialize(topic, disclosure))).get();
                    sent.computeIfAbsent(decision.recipient().id(), id -> new ArrayList<>()).add(disclosure);
                }
            }
        }
        assertThat(sent).hasSize(8).allSatisfy((recipient, disclosures) -> assertThat(disclosures).hasSize(PUPILS));
        return sent;
    }

    /**
     * Per rights recipient, in topic order: {@value #RIGHTS_PUPILS} disclosures, a restricted replacement of the first
     * (school withheld), the deletion request for the first naming the replacement (with the kind header), and a
     * deletion-due notice for the second (no header, as a record written before the header existed). Returns the ids
     * (disclosure, request, notice) in that order.
     */
    private Map<String, List<String>> publishRightsRecords() throws Exception {
        SharingEngine engine = new SharingEngine(new PolicyLoader().load(Path.of("src/test/resources/adapters-test-policy.yaml")),
                new Pseudonymiser(new byte[32]));
        AvroSingleObjectSerializer<PupilDisclosure> disclosures = new AvroSingleObjectSerializer<>(PupilDisclosure.class);
        AvroSingleObjectSerializer<DeletionRequest> requests = new AvroSingleObjectSerializer<>(DeletionRequest.class);
        AvroSingleObjectSerializer<DeletionDue> notices = new AvroSingleObjectSerializer<>(DeletionDue.class);
        Map<String, List<String>> sent = new LinkedHashMap<>();
        Map<String, List<Decision>> decisions = new LinkedHashMap<>();
        for (CensusPupil pupil : new SyntheticCensus(CensusSpec.of(RIGHTS_PUPILS).withSeed(14))) {
            for (Decision decision : engine.evaluate(pupil, List.of(), Instant.now()).decisions()) {
                if (RIGHTS.contains(decision.recipient().id())) {
                    decisions.computeIfAbsent(decision.recipient().id(), id -> new ArrayList<>()).add(decision);
                }
            }
        }
        assertThat(decisions).hasSize(2).allSatisfy((recipient, made) -> assertThat(made).hasSize(RIGHTS_PUPILS));
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (Map.Entry<String, List<Decision>> entry : decisions.entrySet()) {
                String recipient = entry.getKey();
                String topic = "recipient." + recipient;
                List<String> ids = sent.computeIfAbsent(recipient, id -> new ArrayList<>());
                for (Decision decision : entry.getValue()) {
                    producer.send(new ProducerRecord<>(topic, null, decision.recordKey(), disclosures.serialize(topic, decision.disclosure()),
                            RecipientRecords.mark(new RecordHeaders(), RecipientRecords.Kind.DISCLOSURE))).get();
                    ids.add(decision.disclosure().getDisclosureId());
                }
                Decision first = entry.getValue().get(0);
                Decision second = entry.getValue().get(1);
                PupilDisclosure replacement = PupilDisclosure.newBuilder(first.disclosure()).setDisclosureId(UUID.randomUUID().toString())
                        .setDisclosedFields(List.of("names")).setSchool(null).build();
                DeletionRequest request = DeletionRequest.newBuilder().setRequestId(UUID.randomUUID().toString()).setRecipientId(recipient)
                        .setDisclosureIds(List.of(first.disclosure().getDisclosureId())).setReason("objection O-1 by parent (letter): restricted")
                        .setLegalBasis("Test basis").setObjectionIds(List.of("O-1")).setPolicyId("adapters-test").setPolicyVersion("1")
                        .setReplacedBy(replacement.getDisclosureId()).setRequestedAt(Instant.now()).build();
                DeletionDue notice = DeletionDue.newBuilder().setNoticeId(UUID.randomUUID().toString()).setRecipientId(recipient)
                        .setDisclosureIds(List.of(second.disclosure().getDisclosureId())).setDeleteBy(LocalDate.now().minusDays(1))
                        .setLegalBasis("Test basis").setPolicyId("adapters-test").setPolicyVersion("1").setIssuedAt(Instant.now()).build();
                producer.send(new ProducerRecord<>(topic, null, first.recordKey(), disclosures.serialize(topic, replacement),
                        RecipientRecords.mark(new RecordHeaders(), RecipientRecords.Kind.DISCLOSURE))).get();
                producer.send(new ProducerRecord<>(topic, null, first.recordKey(), requests.serialize(topic, request),
                        RecipientRecords.mark(new RecordHeaders(), RecipientRecords.Kind.DELETION_REQUEST))).get();
                producer.send(new ProducerRecord<>(topic, second.recordKey(), notices.serialize(topic, notice))).get();
                ids.add(replacement.getDisclosureId());
                ids.add(request.getRequestId());
                ids.add(notice.getNoticeId());
            }
        }
        return sent;
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), new StringSerializer(), new ByteArraySerializer());
    }

    private List<DeliveryReceipt> receipts(String recipient) {
        AvroSingleObjectDeserializer<DeliveryReceipt> values = new AvroSingleObjectDeserializer<>(DeliveryReceipt.class);
        return TopicReader.readAll(brokers, "audit.deliveries", true, Duration.ofSeconds(10)).stream()
                .map(record -> values.deserialize(record.topic(), record.value())).filter(receipt -> receipt.getRecipientId().equals(recipient)).toList();
    }

    record DeadLettersOf(String key, String reason, String source) {
    }

    private List<DeadLettersOf> deadLetters(String recipient) {
        String topic = "recipient." + recipient + ".dead-letters";
        List<DeadLettersOf> letters = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(brokers, topic, true, Duration.ofSeconds(10))) {
            letters.add(new DeadLettersOf(record.key(), DeadLetters.reason(record.headers()).orElse(null), DeadLetters.source(record.headers()).orElse(null)));
        }
        return letters;
    }

    private static List<DeliveryOutcome> outcomes(List<DeliveryReceipt> receipts) {
        return receipts.stream().map(DeliveryReceipt::getOutcome).toList();
    }

    private static List<String> ids(List<PupilDisclosure> disclosures) {
        return disclosures.stream().map(PupilDisclosure::getDisclosureId).toList();
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path temporaryDirectory(String name) {
        try {
            return Files.createTempDirectory("adapters-" + name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hostKey() {
        try {
            return PublicKeyEntry.toString(SFTP.getKeyPairProvider().loadKeys(null).iterator().next().getPublic());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SFTP server for the college, which loses the connection during the first upload it receives. */
    private static SshServer sftpServer() {
        try {
            Files.createDirectories(SFTP_ROOT.resolve("incoming"));
            SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(temporaryDirectory("sftp-keys").resolve("host-key.pem"));
            hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
            hostKeys.setKeySize(256);
            SftpSubsystemFactory sftp = new SftpSubsystemFactory.Builder().build();
            sftp.addSftpEventListener(new SftpEventListener() {
                @Override
                public void written(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data, int dataOffset,
                                    int dataLen, Throwable thrown) throws IOException {
                    if (DROP_FIRST_UPLOAD.compareAndSet(true, false)) {
                        session.close(true);
                    }
                }
            });
            SshServer server = SshServer.setUpDefaultServer();
            server.setHost("127.0.0.1");
            server.setPort(0);
            server.setKeyPairProvider(hostKeys);
            server.setPasswordAuthenticator((username, password, session) -> SFTP_USER.equals(username) && SFTP_PASSWORD.equals(password));
            server.setSubsystemFactories(List.of(sftp));
            server.setFileSystemFactory(new VirtualFileSystemFactory(SFTP_ROOT));
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Webhook endpoints with one behaviour per path, each verifying the Standard Webhooks signature and
     * keeping, per path, every request's webhook id and the distinct ids it accepted, in arrival order.
     */
    static final class Receiver implements AutoCloseable {
        private final HttpServer server;
        private final StandardWebhooks verifier = new StandardWebhooks(SECRET);
        private final Map<String, List<String>> requests = new ConcurrentHashMap<>();
        private final Map<String, List<String>> accepted = new ConcurrentHashMap<>();
        private final Map<String, Map<String, String>> bodies = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> attemptsById = new ConcurrentHashMap<>();
        private final AtomicInteger refusedSignatures = new AtomicInteger();

        private Receiver(HttpServer server) {
            this.server = server;
        }

        static Receiver start(int port) {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                Receiver receiver = new Receiver(server);
                server.createContext("/webhook/", receiver::handle);
                server.setExecutor(Executors.newFixedThreadPool(8));
                server.start();
                return receiver;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        String url(String behaviour) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhook/" + behaviour;
        }

        List<String> requests(String behaviour) {
            return List.copyOf(requests.getOrDefault(behaviour, List.of()));
        }

        List<String> ids(String behaviour) {
            return List.copyOf(accepted.getOrDefault(behaviour, List.of()));
        }

        int refusedSignatures() {
            return refusedSignatures.get();
        }

        /** The verified body last received under a webhook id, or null. */
        String body(String behaviour, String id) {
            return bodies.getOrDefault(behaviour, Map.of()).get(id);
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                String behaviour = exchange.getRequestURI().getPath().substring("/webhook/".length());
                String id = exchange.getRequestHeaders().getFirst(StandardWebhooks.ID_HEADER);
                if (!verifier.verify(id, exchange.getRequestHeaders().getFirst(StandardWebhooks.TIMESTAMP_HEADER),
                        exchange.getRequestHeaders().getFirst(StandardWebhooks.SIGNATURE_HEADER), body, Instant.now()).verified()) {
                    refusedSignatures.incrementAndGet();
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                requests.computeIfAbsent(behaviour, b -> new CopyOnWriteArrayList<>()).add(id);
                bodies.computeIfAbsent(behaviour, b -> new ConcurrentHashMap<>()).put(id, new String(body, StandardCharsets.UTF_8));
                int attempt = attemptsById.computeIfAbsent(behaviour + "/" + id, k -> new AtomicInteger()).incrementAndGet();
                int status = switch (behaviour) {
                    case "flaky" -> attempt <= 2 ? 503 : 204;
                    case "refuses" -> 400;
                    case "broken" -> 500;
                    case "slow" -> {
                        if (attempt == 1) {
                            Thread.sleep(1_500); // past the sender's 1 s timeout: the answer is lost, the record was received
                        }
                        yield 204;
                    }
                    default -> 204;
                };
                if (status == 204 || behaviour.equals("slow")) {
                    List<String> ids = accepted.computeIfAbsent(behaviour, b -> new CopyOnWriteArrayList<>());
                    if (!ids.contains(id)) {
                        ids.add(id);
                    }
                }
                byte[] answer = status == 400 ? "{\"error\":\"unknown school\"}".getBytes(StandardCharsets.UTF_8) : new byte[0];
                exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
                if (answer.length > 0) {
                    exchange.getResponseBody().write(answer);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
