package org.pupilflow.audit.ingest;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.pupilflow.schemas.topics.TopicCatalog;
import org.pupilflow.schemas.topics.TopicSpec;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.pupilflow.audit.AuditProperties;
import org.pupilflow.audit.store.LedgerWriter;
import org.pupilflow.audit.store.Ledgers;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.pupilflow.sharing.DeliveryReceipt;
import org.pupilflow.sharing.DisclosureEvent;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The two consumers (disclosures, deliveries) and what they rely on. Settings the guarantees
 * depend on are set here in code, whatever the YAML says: {@code read_committed} (never audit an
 * aborted transaction), no auto-commit (offsets are committed by the container after the listener
 * returns, i.e. after the database commit), and an error handler that retries a refused batch
 * forever, with the consumer paused, and never skips one.
 */
@Configuration(proxyBeanMethods = false)
public class IngestConfiguration {

    @Bean
    DefaultKafkaConsumerFactoryCustomizer auditConsumerSettings(AuditProperties properties) {
        return factory -> factory.updateConfigs(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.batchSize(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    @Bean
    DefaultKafkaProducerFactoryCustomizer auditProducerSettings() {
        return factory -> factory.updateConfigs(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> disclosuresContainer(ConsumerFactory<String, byte[]> consumerFactory, AuditProperties properties,
                                                                             LedgerWriter writer, KafkaTemplate<String, byte[]> template, IngestMetrics metrics) {
        AvroSingleObjectDeserializer<DisclosureEvent> avro = new AvroSingleObjectDeserializer<>(DisclosureEvent.class);
        String topic = properties.topics().disclosures();
        return container(consumerFactory, properties, topic, "audit-disclosures", new AuditBatchListener<>(Ledgers.DISCLOSURES,
                bytes -> avro.deserialize(topic, bytes), EventMapping::disclosure, writer, template, properties.topics().disclosuresDeadLetters(), metrics));
    }

    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> deliveriesContainer(ConsumerFactory<String, byte[]> consumerFactory, AuditProperties properties,
                                                                            LedgerWriter writer, KafkaTemplate<String, byte[]> template, IngestMetrics metrics) {
        AvroSingleObjectDeserializer<DeliveryReceipt> avro = new AvroSingleObjectDeserializer<>(DeliveryReceipt.class);
        String topic = properties.topics().deliveries();
        return container(consumerFactory, properties, topic, "audit-deliveries", new AuditBatchListener<>(Ledgers.DELIVERIES,
                bytes -> avro.deserialize(topic, bytes), EventMapping::delivery, writer, template, properties.topics().deliveriesDeadLetters(), metrics));
    }

    private static <R> ConcurrentMessageListenerContainer<String, byte[]> container(ConsumerFactory<String, byte[]> consumerFactory, AuditProperties properties,
                                                                                   String topic, String clientIdPrefix, AuditBatchListener<?, R> listener) {
        ContainerProperties containerProperties = new ContainerProperties(topic);
        containerProperties.setAckMode(ContainerProperties.AckMode.BATCH);
        containerProperties.setSyncCommits(true);
        containerProperties.setClientId(clientIdPrefix);
        containerProperties.setMessageListener(listener);
        ConcurrentMessageListenerContainer<String, byte[]> container = new ConcurrentMessageListenerContainer<>(consumerFactory, containerProperties);
        container.setConcurrency(properties.concurrency());
        container.setCommonErrorHandler(retryForever(properties.retry()));
        container.setBeanName(clientIdPrefix);
        return container;
    }

    /** Retries a refused batch with exponential back-off, without limit; even the "recoverer" refuses to skip it. */
    public static DefaultErrorHandler retryForever(AuditProperties.Retry retry) {
        ExponentialBackOff backOff = new ExponentialBackOff(retry.initialInterval().toMillis(), 2.0);
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        backOff.setMaxAttempts(Long.MAX_VALUE);
        DefaultErrorHandler handler = new DefaultErrorHandler((record, exception) -> {
            throw new IllegalStateException("audit events are never skipped: " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + " will be delivered again", exception);
        }, backOff);
        // Every exception is worth retrying: the listener decodes records itself, so what fails is the database or the broker.
        handler.setClassifications(Map.of(), true);
        return handler;
    }

    @Bean
    @ConditionalOnProperty(name = "pupilflow.audit.create-topics", havingValue = "true", matchIfMissing = true)
    KafkaAdmin.NewTopics auditTopics(AuditProperties properties) {
        AuditProperties.Topics topics = properties.topics();
        List<NewTopic> all = List.of(
                topic(topics.disclosures(), TopicCatalog.AUDIT_DISCLOSURES, properties),
                topic(topics.deliveries(), TopicCatalog.AUDIT_DELIVERIES, properties),
                topic(topics.disclosuresDeadLetters(), TopicCatalog.AUDIT_DISCLOSURES_DEAD_LETTERS, properties),
                topic(topics.deliveriesDeadLetters(), TopicCatalog.AUDIT_DELIVERIES_DEAD_LETTERS, properties),
                // Compacted: the latest published head of every chain is kept forever.
                topic(topics.chainHeads(), TopicCatalog.AUDIT_CHAIN_HEADS, properties),
                // Read only: the router publishes the policy it applies; created here too so the consumer can subscribe first.
                topic(topics.policy(), TopicCatalog.POLICY_IN_FORCE, properties));
        return new KafkaAdmin.NewTopics(all.toArray(NewTopic[]::new));
    }

    private static NewTopic topic(String name, TopicSpec spec, AuditProperties properties) {
        return new NewTopic(name, spec.partitionsOr(properties.partitions()), properties.replicationFactor())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, spec.cleanup().config()));
    }
}
