package org.pupilflow.router.lag;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.router.RouterProperties;
import org.pupilflow.schemas.topics.Collection;
import org.pupilflow.schemas.topics.TopicCatalog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** The lag watcher, watching every collection the policy implies. */
@Configuration(proxyBeanMethods = false)
class LagWatchConfiguration {

    @Bean
    LagWatcher lagWatcher(KafkaAdmin kafkaAdmin, SharingPolicy policy, RouterProperties properties, MeterRegistry registry) {
        var recipients = policy.recipients().stream()
                .map(rule -> new TopicCatalog.RecipientTopic(rule.id(), rule.topic(), rule.readFromKafka())).toList();
        return new LagWatcher(kafkaAdmin.getConfigurationProperties(), Collection.all(recipients), properties.lagWatch().interval(),
                Clock.systemUTC(), registry);
    }
}
