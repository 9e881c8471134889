package org.pupilflow.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.policy.publish.PolicyPublication;
import org.pupilflow.schemas.topics.TopicCatalog;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Tests only: with {@code pupilflow.test.published-policy=<policy file>}, publishes that policy to the policy topic
 * as the sharing-router does at its start, before census-ingest's beans exist, so the service starts with a policy in
 * force. Registered for every application context of the tests (META-INF/spring.factories); does nothing without the
 * property. {@link #publish} publishes another policy while a test runs.
 */
public final class PublishedPolicy implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String PROPERTY = "pupilflow.test.published-policy";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        Environment environment = context.getEnvironment();
        String file = environment.getProperty(PROPERTY);
        if (file == null) {
            return;
        }
        publish(environment.getRequiredProperty("spring.kafka.bootstrap-servers"),
                environment.getProperty("pupilflow.ingest.topics.policy", TopicCatalog.POLICY_IN_FORCE.name()), Path.of(file), "User:sharing-router@test");
    }

    /** Publishes the policy in {@code file} as the policy in force; returns its content hash. */
    public static String publish(String bootstrap, String topic, Path file, String publishedBy) {
        try {
            byte[] document = Files.readAllBytes(file);
            return publish(bootstrap, topic, file.getFileName().toString(), document, publishedBy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Publishes {@code document} (which must be a valid policy) as the policy in force; returns its content hash. */
    public static String publish(String bootstrap, String topic, String fileName, byte[] document, String publishedBy) {
        SharingPolicy policy = new PolicyLoader().parse(fileName, document);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, TopicCatalog.POLICY_IN_FORCE_KEY,
                    PolicyPublication.of(policy, fileName, document, Instant.now(), publishedBy).toJson())).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return policy.contentHash();
    }
}
