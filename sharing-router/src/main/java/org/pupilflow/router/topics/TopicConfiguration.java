package org.pupilflow.router.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.router.RouterProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Creates the topics the router reads and writes when they are missing (Spring's KafkaAdmin
 * does this before the streams start; existing topics are left as they are). Objections are
 * compacted: the latest state of each objection is what counts, forever.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "pupilflow.router.create-topics", havingValue = "true", matchIfMissing = true)
public class TopicConfiguration {

    @Bean
    KafkaAdmin.NewTopics routerTopics(RouterProperties properties, SharingPolicy policy) {
        RouterProperties.Topics topics = properties.topics();
        List<NewTopic> all = new ArrayList<>();
        all.add(topic(topics.census(), properties, Map.of()));
        all.add(topic(topics.objections(), properties, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        all.add(topic(topics.audit(), properties, Map.of()));
        all.add(topic(topics.deadLetters(), properties, Map.of()));
        for (RecipientRule recipient : policy.recipients()) {
            all.add(topic(recipient.topic(), properties, Map.of()));
        }
        return new KafkaAdmin.NewTopics(all.toArray(NewTopic[]::new));
    }

    private static NewTopic topic(String name, RouterProperties properties, Map<String, String> configs) {
        return new NewTopic(name, properties.partitions(), properties.replicationFactor()).configs(configs);
    }
}
