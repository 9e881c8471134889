package org.pupilflow.adapters;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.pupilflow.adapters.delivery.DeliveryChannel;
import org.pupilflow.adapters.delivery.DeliveryMetrics;
import org.pupilflow.adapters.delivery.FileDropChannel;
import org.pupilflow.adapters.delivery.WebhookChannel;
import org.pupilflow.adapters.kafka.DeliveryWorkers;
import org.pupilflow.adapters.kafka.RecipientWorker;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.schemas.topics.BrokerIdentity;
import org.pupilflow.schemas.topics.Service;
import org.pupilflow.schemas.topics.TopicCatalog;
import org.pupilflow.schemas.topics.TopicSpec;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Wiring: the policy says which recipients are delivered here and by which channel; the configuration
 * says where to. A mismatch (a webhook recipient without a URL, an entry for a recipient that reads
 * Kafka itself) stops the service at start with every problem listed.
 */
@Configuration(proxyBeanMethods = false)
public class AdaptersConfiguration {

    /** The recipients of the policy that recipient-adapters deliver: {@code delivery: webhook} or {@code file-drop}. */
    public record Delivered(SharingPolicy policy, List<RecipientRule> recipients) {
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Delivered delivered(AdaptersProperties properties) {
        SharingPolicy policy = new PolicyLoader().load(Path.of(properties.policyFile()));
        List<RecipientRule> delivered = policy.recipients().stream().filter(rule -> !rule.readFromKafka()).toList();
        List<String> problems = configurationProblems(delivered, properties);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("recipient-adapters configuration does not match policy " + policy.id() + ":\n  - "
                    + String.join("\n  - ", problems));
        }
        return new Delivered(policy, delivered);
    }

    static List<String> configurationProblems(List<RecipientRule> delivered, AdaptersProperties properties) {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new TreeSet<>();
        for (RecipientRule rule : delivered) {
            ids.add(rule.id());
            AdaptersProperties.Recipient recipient = properties.recipients().get(rule.id());
            String at = "pupilflow.adapters.recipients." + rule.id();
            if (recipient == null) {
                problems.add(at + ": the policy delivers " + rule.id() + " by " + rule.channel() + ", so it needs a "
                        + (rule.channel().equals("webhook") ? "webhook (url, secret)" : "file-drop (directory or sftp)") + " entry");
                continue;
            }
            if (rule.channel().equals("webhook")) {
                if (recipient.fileDrop() != null) {
                    problems.add(at + ".file-drop: the policy delivers " + rule.id() + " by webhook");
                }
                if (recipient.webhook() == null || recipient.webhook().url() == null) {
                    problems.add(at + ".webhook.url: required (the recipient's endpoint)");
                } else if (!Set.of("https", "http").contains(String.valueOf(recipient.webhook().url().getScheme()))) {
                    problems.add(at + ".webhook.url: must be an http(s) URL, was " + recipient.webhook().url());
                }
                if (recipient.webhook() == null || recipient.webhook().secret() == null || recipient.webhook().secret().isBlank()) {
                    problems.add(at + ".webhook.secret: required (whsec_<base64>, agreed with the recipient; from a secret store)");
                }
            } else {
                if (recipient.webhook() != null) {
                    problems.add(at + ".webhook: the policy delivers " + rule.id() + " by file drop");
                }
                AdaptersProperties.FileDrop drop = recipient.fileDrop();
                if (drop == null || (drop.directory() == null) == (drop.sftp() == null)) {
                    problems.add(at + ".file-drop: give exactly one of directory and sftp");
                } else if (drop.sftp() != null && (drop.sftp().password() == null) == (drop.sftp().privateKey() == null)) {
                    problems.add(at + ".file-drop.sftp: give exactly one of password and private-key");
                }
            }
        }
        for (String configured : properties.recipients().keySet()) {
            if (!ids.contains(configured)) {
                problems.add("pupilflow.adapters.recipients." + configured + ": not a webhook or file-drop recipient of the policy (delivered here: "
                        + (ids.isEmpty() ? "none" : String.join(", ", ids)) + ")");
            }
        }
        return problems;
    }

    @Bean
    DeliveryMetrics deliveryMetrics(MeterRegistry registry, Clock clock) {
        return new DeliveryMetrics(registry, clock);
    }

    @Bean
    DeliveryWorkers deliveryWorkers(Delivered delivered, AdaptersProperties properties, KafkaProperties kafka, DeliveryMetrics metrics, Clock clock) {
        BrokerIdentity identity = BrokerIdentity.of(Service.RECIPIENT_ADAPTERS);
        List<RecipientWorker> workers = new ArrayList<>();
        for (RecipientRule rule : delivered.recipients()) {
            AdaptersProperties.Recipient recipient = properties.recipients().get(rule.id());
            DeliveryChannel channel = rule.channel().equals("webhook")
                    ? new WebhookChannel(rule.id(), recipient.webhook(), recipient.retry(), metrics, clock)
                    : new FileDropChannel(rule.id(), rule.fields(), recipient.fileDrop(), recipient.retry(), metrics, clock);
            RecipientWorker.Route route = new RecipientWorker.Route(rule.id(), rule.topic(), TopicCatalog.deadLettersOf(rule.topic()), properties.receiptsTopic(),
                    BrokerIdentity.adaptersGroup(rule.id()),
                    identity.transactionalIdPrefix().orElseThrow() + rule.id() + "-" + properties.instanceId());
            workers.add(new RecipientWorker(route, channel, kafka.buildConsumerProperties(), kafka.buildProducerProperties(), metrics, clock,
                    properties.maxQueued()));
        }
        return new DeliveryWorkers(workers);
    }

    /** On an open broker: the delivered recipients' dead-letter topics (their own topics are the router's to create). */
    @Bean
    @ConditionalOnProperty(name = "pupilflow.adapters.create-topics", havingValue = "true", matchIfMissing = true)
    KafkaAdmin.NewTopics adapterTopics(Delivered delivered, AdaptersProperties properties) {
        Map<String, NewTopic> topics = new LinkedHashMap<>();
        for (RecipientRule rule : delivered.recipients()) {
            TopicSpec deadLetters = TopicCatalog.recipientDeadLetters(new TopicCatalog.RecipientTopic(rule.id(), rule.topic(), false));
            topics.put(deadLetters.name(), new NewTopic(deadLetters.name(), deadLetters.partitionsOr(properties.partitions()), properties.replicationFactor())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, deadLetters.cleanup().config())));
        }
        return new KafkaAdmin.NewTopics(topics.values().toArray(NewTopic[]::new));
    }
}
