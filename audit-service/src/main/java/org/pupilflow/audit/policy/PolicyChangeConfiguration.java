package org.pupilflow.audit.policy;

import java.time.Clock;

import org.pupilflow.audit.AuditProperties;
import org.pupilflow.audit.ingest.IngestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Consumes the policy topic (audit-service's consumer group, offsets committed after each record's database commit)
 * and records each change of the policy in force in {@code policy_change}.
 */
@Configuration(proxyBeanMethods = false)
public class PolicyChangeConfiguration {

    @Bean
    PolicyChanges policyChanges(JdbcTemplate jdbc, TransactionTemplate transactions) {
        return new PolicyChanges(jdbc, transactions, Clock.systemUTC());
    }

    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> policyChangesContainer(ConsumerFactory<String, byte[]> consumerFactory, AuditProperties properties,
                                                                              PolicyChanges changes) {
        ContainerProperties container = new ContainerProperties(properties.topics().policy());
        container.setAckMode(ContainerProperties.AckMode.RECORD);
        container.setSyncCommits(true);
        container.setClientId("audit-policy-changes");
        container.setMessageListener((MessageListener<String, byte[]>) changes::apply);
        ConcurrentMessageListenerContainer<String, byte[]> listener = new ConcurrentMessageListenerContainer<>(consumerFactory, container);
        listener.setCommonErrorHandler(IngestConfiguration.retryForever(properties.retry()));
        listener.setBeanName("audit-policy-changes");
        return listener;
    }
}
