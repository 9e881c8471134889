package org.pupilflow.kafka.login;

import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Adds the {@code brokerLogin} health indicator to every service that talks to Kafka; the
 * services include it in their readiness group. Interval: {@code pupilflow.kafka.login-check-interval}
 * (default 15s).
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnClass({KafkaAdmin.class, HealthIndicator.class})
public class BrokerLoginAutoConfiguration {

    @Bean("brokerLogin")
    @ConditionalOnBean(KafkaAdmin.class)
    @ConditionalOnMissingBean(name = "brokerLogin")
    BrokerLoginHealthIndicator brokerLogin(KafkaAdmin admin, @Value("${pupilflow.kafka.login-check-interval:15s}") Duration interval) {
        return new BrokerLoginHealthIndicator(admin.getConfigurationProperties(), interval, Clock.systemUTC());
    }
}
