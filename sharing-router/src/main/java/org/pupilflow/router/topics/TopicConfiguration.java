package org.pupilflow.router.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.router.RouterProperties;
import org.pupilflow.schemas.topics.TopicCatalog;
import org.pupilflow.schemas.topics.TopicSpec;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Creates the topics the router reads and writes when they are missing (Spring's KafkaAdmin
 * does this before the streams start; existing topics are left as they are), with the cleanup
 * policy of the topic catalog. On a secured broker the topics are created by the ACL command
 * ({@code pupilflow-admin}) and the router has no right to create any.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "pupilflow.router.create-topics", havingValue = "true", matchIfMissing = true)
public class TopicConfiguration {

    @Bean
    KafkaAdmin.NewTopics routerTopics(RouterProperties properties, SharingPolicy policy) {
        RouterProperties.Topics topics = properties.topics();
        List<NewTopic> all = new ArrayList<>();
        all.add(topic(topics.census(), TopicCatalog.CENSUS_RECORDS, properties));
        all.add(topic(topics.objections(), TopicCatalog.OBJECTIONS, properties));
        all.add(topic(topics.audit(), TopicCatalog.AUDIT_DISCLOSURES, properties));
        all.add(topic(topics.deadLetters(), TopicCatalog.CENSUS_DEAD_LETTERS, properties));
        all.add(topic(topics.requestedPupils(), TopicCatalog.REQUESTED_PUPILS, properties));
        all.add(topic(topics.requestDeadLetters(), TopicCatalog.REQUESTED_PUPILS_DEAD_LETTERS, properties));
        all.add(topic(topics.policy(), TopicCatalog.POLICY_IN_FORCE, properties));
        for (RecipientRule recipient : policy.recipients()) {
            TopicSpec spec = TopicCatalog.recipientTopic(new TopicCatalog.RecipientTopic(recipient.id(), recipient.topic(), recipient.readFromKafka()));
            all.add(topic(spec.name(), spec, properties));
        }
        return new KafkaAdmin.NewTopics(all.toArray(NewTopic[]::new));
    }

    private static NewTopic topic(String name, TopicSpec spec, RouterProperties properties) {
        return new NewTopic(name, spec.partitionsOr(properties.partitions()), properties.replicationFactor())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, spec.cleanup().config()));
    }
}
