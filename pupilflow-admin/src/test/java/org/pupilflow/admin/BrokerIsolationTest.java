package org.pupilflow.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pupilflow.access.AccessPlan;
import org.pupilflow.access.BrokerAccess;
import org.pupilflow.admin.kafka.AclSync;
import org.pupilflow.admin.kafka.BrokerProvisioning;
import org.pupilflow.admin.kafka.ScramUsers;
import org.pupilflow.admin.kafka.TopicSync;
import org.pupilflow.broker.StandaloneKafka;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.schemas.topics.BrokerIdentity;
import org.pupilflow.schemas.topics.Service;
import org.pupilflow.schemas.topics.TopicCatalog;

/**
 * Guarantees 7 and 9 on a real broker: the standalone KRaft broker with SASL/SCRAM-SHA-512 and
 * the StandardAuthorizer, provisioned by the same code as {@code pupilflow-admin} and the local
 * run, then probed with real clients under each principal. Nothing is mocked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerIsolationTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Path POLICIES = REPOSITORY.resolve("policies");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path data;

    private StandaloneKafka kafka;
    private Path credentials;

    @BeforeAll
    void startSecuredBroker() throws Exception {
        int port = freePort();
        kafka = new StandaloneKafka(REPOSITORY, data.resolve("kafka"), port, freePort(), true).start(Duration.ofSeconds(90));
        credentials = data.resolve("credentials");
    }

    @AfterAll
    void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    static Stream<Path> shippedPolicies() throws IOException {
        try (Stream<Path> files = Files.list(POLICIES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("shippedPolicies")
    @Order(1)
    void everyRecipientReadsItsOwnTopicAndNoOtherAndCannotWriteItsOwn(Path file) throws Exception {
        SharingPolicy policy = new PolicyLoader().load(file);
        provision(BrokerAccess.derive(policy));
        try (KafkaProducer<String, byte[]> router = producer(as(Service.SHARING_ROUTER), true)) {
            for (RecipientRule recipient : policy.recipients()) {
                router.send(new ProducerRecord<>(recipient.topic(), "J935123420731", ("for " + recipient.id()).getBytes(StandardCharsets.UTF_8))).get();
            }
        }

        for (RecipientRule recipient : policy.recipients()) {
            if (!recipient.readFromKafka()) {
                // Delivered by webhook or file drop: no principal of its own; recipient-adapters read the topic for it.
                assertThat(credentials.resolve(BrokerIdentity.recipientUser(recipient.id()) + ".properties")).doesNotExist();
                assertThat(readAll(as(Service.RECIPIENT_ADAPTERS), recipient.topic(), BrokerIdentity.ADAPTERS_GROUP_PREFIX + recipient.id()))
                        .extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).contains("for " + recipient.id());
                continue;
            }
            Map<String, Object> self = asRecipient(recipient.id());
            assertThat(readAll(self, recipient.topic(), BrokerIdentity.recipientUser(recipient.id())))
                    .as("%s reads its own topic", recipient.id())
                    .extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).contains("for " + recipient.id());

            List<String> others = policy.recipients().stream().filter(other -> other != recipient).map(RecipientRule::topic).toList();
            assertThatThrownBy(() -> readAll(self, others, null))
                    .as("%s reading the other recipients' topics", recipient.id())
                    .isInstanceOfSatisfying(TopicAuthorizationException.class,
                            e -> assertThat(e.unauthorizedTopics()).containsExactlyInAnyOrderElementsOf(others));

            assertThatThrownBy(() -> send(self, recipient.topic(), false))
                    .as("%s writing its own topic", recipient.id()).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    @Order(2)
    void servicesCanWriteOnlyTheirOwnTopicsAndRecipientsCannotReadPipelineTopics() throws Exception {
        provision(BrokerAccess.derive(new PolicyLoader().load(POLICIES.resolve("norfolk.yaml"))));

        send(as(Service.CENSUS_INGEST), TopicCatalog.CENSUS_RECORDS.name(), true);
        assertThatThrownBy(() -> send(as(Service.CENSUS_INGEST), "recipient.dfe", true)).hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> send(as(Service.CENSUS_INGEST), TopicCatalog.AUDIT_DISCLOSURES.name(), true))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        send(as(Service.SHARING_ROUTER), TopicCatalog.AUDIT_DISCLOSURES.name(), true);
        assertThatThrownBy(() -> send(as(Service.SHARING_ROUTER), TopicCatalog.CENSUS_RECORDS.name(), true))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> send(as(Service.SHARING_ROUTER), TopicCatalog.OBJECTIONS.name(), true))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> send(as(Service.SHARING_ROUTER), TopicCatalog.AUDIT_CHAIN_HEADS.name(), true))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        send(as(Service.AUDIT_SERVICE), TopicCatalog.AUDIT_CHAIN_HEADS.name(), true);

        Map<String, Object> youthSupport = asRecipient("youth-support");
        for (String pipelineTopic : List.of(TopicCatalog.AUDIT_DISCLOSURES.name(), TopicCatalog.OBJECTIONS.name(), TopicCatalog.CENSUS_RECORDS.name())) {
            assertThatThrownBy(() -> readAll(youthSupport, List.of(pipelineTopic), null)).as(pipelineTopic)
                    .isInstanceOf(TopicAuthorizationException.class);
        }
        // The audit reads the router's events; the router's own consumer group is not the recipient's to use.
        assertThat(readAll(as(Service.AUDIT_SERVICE), TopicCatalog.AUDIT_DISCLOSURES.name(), null)).isNotEmpty();
        assertThatThrownBy(() -> subscribeAndPoll(youthSupport, "recipient.youth-support", "pupilflow-sharing-router"))
                .hasMessageContaining("Not authorized to access group");
    }

    @Test
    @Order(3)
    void unauthenticatedUnknownAndWrongPasswordClientsAreRefusedAndTheBrokerLogsIt() throws Exception {
        provision(BrokerAccess.derive(new PolicyLoader().load(POLICIES.resolve("norfolk.yaml"))));
        Map<String, Object> valid = asRecipient("dfe");

        Map<String, Object> wrongPassword = new HashMap<>(valid);
        wrongPassword.putAll(StandaloneKafka.scramClientSettings("recipient-dfe", "not-the-password"));
        assertThatThrownBy(() -> readAll(wrongPassword, "recipient.dfe", null)).isInstanceOf(SaslAuthenticationException.class);

        Map<String, Object> unknownUser = new HashMap<>(valid);
        unknownUser.putAll(StandaloneKafka.scramClientSettings("recipient-nobody", "whatever"));
        assertThatThrownBy(() -> readAll(unknownUser, "recipient.dfe", null)).isInstanceOf(SaslAuthenticationException.class);

        Map<String, Object> anonymous = new HashMap<>(Map.of("bootstrap.servers", kafka.bootstrapServers()));
        anonymous.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        // A client without SASL never completes the handshake: it reads nothing and gives up.
        assertThatThrownBy(() -> readAll(anonymous, "recipient.dfe", null)).isInstanceOf(TimeoutException.class);

        String brokerLog = Files.readString(data.resolve("kafka/broker.log"));
        assertThat(brokerLog).contains("Failed authentication with /127.0.0.1").contains("invalid credentials with SASL mechanism SCRAM-SHA-512");
    }

    @Test
    @Order(4)
    void theAclCommandIsIdempotentAndRemovesWhatARemovedRecipientHad() throws Exception {
        Path lancashire = POLICIES.resolve("lancashire.yaml");
        provision(BrokerAccess.derive(new PolicyLoader().load(lancashire)));
        Map<String, Object> trustBefore = asRecipient("childrens-trust");
        assertThat(readAll(trustBefore, "recipient.childrens-trust", "recipient-childrens-trust")).isNotNull();

        String second = cli("acls", "--policy", lancashire.toString(), "--apply", "--bootstrap-server", kafka.bootstrapServers(),
                "--command-config", adminConfigFile().toString());
        assertThat(second).contains("0 created, 0 deleted");

        String text = Files.readString(lancashire);
        Path withoutTrust = data.resolve("lancashire-without-childrens-trust.yaml");
        Files.writeString(withoutTrust, text.substring(0, text.indexOf("  - id: childrens-trust")));
        AccessPlan reduced = BrokerAccess.derive(new PolicyLoader().load(withoutTrust));
        BrokerProvisioning.Report report = provision(reduced);

        assertThat(report.acls().created()).isEmpty();
        assertThat(report.acls().deleted()).containsExactlyInAnyOrder(
                "User:recipient-childrens-trust ALLOW READ TOPIC recipient.childrens-trust",
                "User:recipient-childrens-trust ALLOW READ GROUP recipient-childrens-trust",
                "User:recipient-childrens-trust ALLOW READ GROUP prefixed recipient-childrens-trust.",
                "User:sharing-router ALLOW WRITE TOPIC recipient.childrens-trust",
                // The lag watcher's grants for that recipient go with it.
                "User:sharing-router ALLOW READ TOPIC recipient.childrens-trust",
                "User:sharing-router ALLOW DESCRIBE GROUP recipient-childrens-trust",
                "User:sharing-router ALLOW DESCRIBE GROUP prefixed recipient-childrens-trust.");
        assertThat(report.users().deleted()).containsExactly("recipient-childrens-trust");
        assertThat(credentials.resolve("recipient-childrens-trust.properties")).doesNotExist();
        assertThatThrownBy(() -> readAll(trustBefore, "recipient.childrens-trust", null)).isInstanceOf(SaslAuthenticationException.class);
        try (Admin admin = Admin.create(kafka.adminClientConfig())) {
            assertThat(AclSync.apply(admin, reduced, true).none()).as("a second run changes nothing").isTrue();
        }
    }

    @Test
    @Order(5)
    void aclsOfPrincipalsPupilFlowDoesNotManageAreLeftAlone() throws Exception {
        AccessPlan plan = BrokerAccess.derive(new PolicyLoader().load(POLICIES.resolve("norfolk.yaml")));
        var foreign = new org.apache.kafka.common.acl.AclBinding(
                new org.apache.kafka.common.resource.ResourcePattern(org.apache.kafka.common.resource.ResourceType.TOPIC, "other-app.events",
                        org.apache.kafka.common.resource.PatternType.LITERAL),
                new org.apache.kafka.common.acl.AccessControlEntry("User:other-app", "*", org.apache.kafka.common.acl.AclOperation.READ,
                        org.apache.kafka.common.acl.AclPermissionType.ALLOW));
        try (Admin admin = Admin.create(kafka.adminClientConfig())) {
            admin.createAcls(List.of(foreign)).all().get();

            AclSync.Changes changes = AclSync.apply(admin, plan, false);

            assertThat(changes.deleted()).noneMatch(acl -> acl.contains("other-app"));
            assertThat(admin.describeAcls(foreign.toFilter()).values().get()).containsExactly(foreign);
        }
    }

    @Test
    @Order(6)
    void theCliPrintsTheTableAndWritesKafkaUsers() throws Exception {
        Path users = data.resolve("deploy/kafka-users.yaml");
        Path lancashire = POLICIES.resolve("lancashire.yaml");

        String out = cli("acls", "--policy", lancashire.toString(), "--kafka-users", users.toString());

        int principals = BrokerAccess.derive(new PolicyLoader().load(lancashire)).principals().size();
        assertThat(out).contains("User:recipient-childrens-trust").contains("Wrote " + principals + " KafkaUser resources");
        assertThat(Files.readString(users)).contains("kind: \"KafkaUser\"").contains("name: \"recipient-childrens-trust\"");
        assertThat(cli("acls", "--policy", data.resolve("missing.yaml").toString())).isEmpty();
    }

    private BrokerProvisioning.Report provision(AccessPlan plan) throws Exception {
        return BrokerProvisioning.provision(kafka.adminClientConfig(), plan, TopicSync.Defaults.SINGLE_BROKER, credentials);
    }

    private Map<String, Object> as(Service service) throws IOException {
        return ScramUsers.readClientConfig(credentials.resolve(BrokerIdentity.of(service).user() + ".properties"));
    }

    private Map<String, Object> asRecipient(String recipientId) throws IOException {
        return ScramUsers.readClientConfig(credentials.resolve(BrokerIdentity.recipientUser(recipientId) + ".properties"));
    }

    private Path adminConfigFile() throws IOException {
        Properties admin = new Properties();
        kafka.adminClientConfig().forEach((key, value) -> admin.setProperty(key, String.valueOf(value)));
        Path file = data.resolve("admin.properties");
        try (var out = Files.newBufferedWriter(file)) {
            admin.store(out, null);
        }
        return file;
    }

    private String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PupilflowAdmin.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return out.toString();
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(Map<String, Object> principal, String topic, String group) {
        return readAll(principal, List.of(topic), group);
    }

    /** Assigns every partition of the topics and reads to their end, as {@code principal}. */
    private static List<ConsumerRecord<String, byte[]>> readAll(Map<String, Object> principal, List<String> topics, String group) {
        Map<String, Object> config = new HashMap<>(principal);
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (int p = 0; p < 6; p++) {
                    partitions.add(new TopicPartition(topic, p));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            if (group != null) {
                consumer.commitSync();
            }
            return records;
        }
    }

    /** Joins {@code group} and polls once: needs READ on the group. */
    private static void subscribeAndPoll(Map<String, Object> principal, String topic, String group) {
        Map<String, Object> config = new HashMap<>(principal);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
        }
    }

    /**
     * One record to {@code topic} as {@code principal}. Without idempotence a producer that may
     * write nothing at all is refused on the topic itself; with it (the default, and what the services
     * use) a principal with WRITE on some topic may produce, and the topic decides.
     */
    private static void send(Map<String, Object> principal, String topic, boolean idempotent) throws ExecutionException, InterruptedException {
        try (KafkaProducer<String, byte[]> producer = producer(principal, idempotent)) {
            producer.send(new ProducerRecord<>(topic, "key", new byte[] {1})).get();
        }
    }

    private static KafkaProducer<String, byte[]> producer(Map<String, Object> principal, boolean idempotent) {
        Map<String, Object> config = new HashMap<>(principal);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotent);
        config.put(ProducerConfig.ACKS_CONFIG, idempotent ? "all" : "1");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
