package org.pupilflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import com.github.dockerjava.api.command.InspectContainerResponse;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.pupilflow.broker.StandaloneKafka;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The broker of docker-compose.yml as Compose runs it: the official {@code apache/kafka:4.2.1} image started by
 * {@code deploy/compose/kafka/start.sh} (formatted with the admin's SCRAM credential, SASL/SCRAM-SHA-512 on the client
 * listeners, StandardAuthorizer, nothing allowed without an ACL). Needs Docker and the image: skipped where there is no
 * Docker (as on the build machines, which have neither a daemon nor a registry).
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeKafkaContainerTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final String ADMIN_PASSWORD = StandaloneKafka.randomSecret();

    @Container
    static final ComposeKafka KAFKA = new ComposeKafka();

    /** apache/kafka with the compose start script; the EXTERNAL listener advertises the port Docker mapped. */
    static final class ComposeKafka extends GenericContainer<ComposeKafka> {
        private static final int EXTERNAL = 9094;

        ComposeKafka() {
            super(DockerImageName.parse("apache/kafka:4.2.1"));
            withExposedPorts(EXTERNAL);
            withCopyFileToContainer(MountableFile.forHostPath(REPOSITORY.resolve("deploy/compose/kafka/start.sh")), "/opt/pupilflow/start.sh");
            withCopyToContainer(Transferable.of(ADMIN_PASSWORD), "/run/pupilflow/kafka/admin.password");
            withCopyToContainer(Transferable.of(StandaloneKafka.randomSecret()), "/run/pupilflow/kafka/controller.password");
            // The mapped port is known once the container runs: the script waits for it, as Compose's fixed port needs no wait.
            withCommand("bash", "-c", "while [ ! -s /tmp/advertised ]; do sleep 0.1; done; "
                    + "KAFKA_EXTERNAL_ADVERTISED=$(cat /tmp/advertised) exec bash /opt/pupilflow/start.sh");
            waitingFor(Wait.forLogMessage(".*Kafka Server started.*", 1).withStartupTimeout(Duration.ofMinutes(3)));
        }

        @Override
        protected void containerIsStarting(InspectContainerResponse containerInfo) {
            copyFileToContainer(Transferable.of(bootstrapServers()), "/tmp/advertised");
        }

        String bootstrapServers() {
            return getHost() + ":" + getMappedPort(EXTERNAL);
        }

        Map<String, Object> clientConfig(String user, String password) {
            Map<String, Object> config = new HashMap<>(StandaloneKafka.scramClientSettings(user, password));
            config.put("bootstrap.servers", bootstrapServers());
            config.put("request.timeout.ms", 15_000);
            config.put("default.api.timeout.ms", 30_000);
            return config;
        }
    }

    @Test
    void theAdminLogsInWithSCRAMAndTheAuthorizerIsOn() throws Exception {
        try (Admin admin = Admin.create(KAFKA.clientConfig("admin", ADMIN_PASSWORD))) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
            assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get()).as("no ACL until provisioning").isEmpty();
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        try (Admin admin = Admin.create(KAFKA.clientConfig("admin", "not-the-password"))) {
            Throwable failure = catchThrowable(() -> admin.describeCluster().clusterId().get());
            assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aUserWithoutAnAclMayReadNothing() throws Exception {
        String password = StandaloneKafka.randomSecret();
        try (Admin admin = Admin.create(KAFKA.clientConfig("admin", ADMIN_PASSWORD))) {
            admin.createTopics(List.of(new NewTopic("recipient.dfe", 1, (short) 1))).all().get();
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("recipient-youth-support",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get();
        }
        Map<String, Object> config = KAFKA.clientConfig("recipient-youth-support", password);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "recipient-youth-support");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Throwable refused = null;
        while (refused == null && System.nanoTime() < deadline) {
            // The new credential reaches the broker a moment after the controller has it.
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
                consumer.subscribe(Set.of("recipient.dfe"));
                refused = catchThrowable(() -> consumer.poll(Duration.ofSeconds(5)));
            }
            if (refused instanceof SaslAuthenticationException) {
                refused = null;
                Thread.sleep(500);
            }
        }
        // TopicAuthorizationException or GroupAuthorizationException, whichever request the broker refuses first.
        assertThat(refused).isInstanceOf(AuthorizationException.class);
    }
}
