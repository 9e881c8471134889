package org.pupilflow.router.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.pupilflow.kafka.login.BrokerLogin;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.publish.PolicyPublication;
import org.pupilflow.router.RouterProperties;
import org.pupilflow.schemas.topics.BrokerIdentity;
import org.pupilflow.schemas.topics.Service;
import org.pupilflow.schemas.topics.TopicCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes the policy this router applies to the compacted policy topic when it starts, before the streams route
 * anything, so census-ingest previews with exactly this policy and audit-service records the change. A router that
 * cannot publish does not start (a preview would otherwise promise what this router does not do), except when the
 * broker refuses its login or ACLs: then its streams are refused as well and route nothing, and it stays up only so
 * that readiness can name the refused principal (module service-kafka).
 */
public final class PolicyPublisher implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyPublisher.class);
    /** Before the Kafka Streams factory bean (phase Integer.MAX_VALUE - 1000) starts routing. */
    static final int PHASE = Integer.MAX_VALUE - 2000;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final SharingPolicy policy;
    private final RouterProperties properties;
    private final Map<String, Object> producerConfig;
    private final Clock clock;
    private volatile PolicyPublication published;
    private volatile boolean running;

    public PolicyPublisher(SharingPolicy policy, RouterProperties properties, Map<String, Object> producerConfig, Clock clock) {
        this.policy = policy;
        this.properties = properties;
        this.producerConfig = producerConfig;
        this.clock = clock;
    }

    @Override
    public void start() {
        Path file = Path.of(properties.policyFile());
        byte[] document;
        try {
            document = Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot read the policy file " + file + " again to publish it: " + e.getMessage(), e);
        }
        PolicyPublication publication = PolicyPublication.of(policy, file.getFileName().toString(), document, clock.instant(), instance());
        if (!publication.policy().contentHash().equals(policy.contentHash())) {
            throw new IllegalStateException("The policy file " + file + " changed since the router loaded it; restart the router");
        }
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        String topic = properties.topics().policy();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, TopicCatalog.POLICY_IN_FORCE_KEY, publication.toJson())).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing the policy in force", e);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause != null && BrokerLogin.isRefusal(cause)) {
                // The broker refused this router's credentials or ACLs: its streams are refused too and stop, and readiness
                // (brokerLogin) names the principal once. Nothing is routed, so nothing is shared under an unpublished policy;
                // starting anyway keeps that one clear diagnosis instead of a crash loop.
                LOG.error("Policy {} {} not published to {}: the broker refused this router ({}); it routes nothing until restarted "
                        + "with working credentials", policy.id(), policy.version(), topic, cause.getClass().getSimpleName());
                running = true;
                return;
            }
            String why = String.valueOf(cause);
            throw new IllegalStateException("Could not publish policy " + policy.id() + " " + policy.version() + " to " + topic
                    + " within " + TIMEOUT.toSeconds() + "s (" + why + "); the router does not route under a policy census-ingest cannot see", e);
        }
        published = publication;
        running = true;
        LOG.info("Published policy {} {} (SHA-256 {}) to {} as the policy in force", policy.id(), policy.version(), policy.contentHash(), topic);
    }

    /** The publication of the last start, or null before it. */
    public PolicyPublication published() {
        return published;
    }

    private static String instance() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "unknown-host";
            }
        }
        return BrokerIdentity.of(Service.SHARING_ROUTER).principal() + "@" + host;
    }

    @Override
    public void stop() {
        // Nothing to undo: the publication stays the policy in force until a router publishes another.
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
