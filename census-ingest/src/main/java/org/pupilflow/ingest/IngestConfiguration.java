package org.pupilflow.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.pupilflow.identifiers.LocalAuthorityRegister;
import org.pupilflow.kafka.login.BrokerLogin;
import org.pupilflow.kafka.logging.PupilDataFreeProducerListener;
import org.pupilflow.identifiers.UpnValidator;
import org.pupilflow.ingest.api.IngestProblems;
import org.pupilflow.ingest.kafka.TopicMirror;
import org.pupilflow.ingest.objections.ObjectionIndex;
import org.pupilflow.ingest.objections.ObjectionService;
import org.pupilflow.ingest.requests.DisclosureRequestRegistry;
import org.pupilflow.ingest.requests.DisclosureRequestService;
import org.pupilflow.ingest.requests.PolicyForRequests;
import org.pupilflow.ingest.returns.AsyncReturns;
import org.pupilflow.ingest.returns.IngestMetrics;
import org.pupilflow.ingest.returns.ReturnIngestion;
import org.pupilflow.ingest.returns.ReturnRegistry;
import org.pupilflow.ingest.policy.PolicyInForce;
import org.pupilflow.schemas.topics.TopicCatalog;
import org.pupilflow.schemas.topics.TopicSpec;
import org.pupilflow.web.ProblemTypes;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/** Wiring of census-ingest: Kafka producers (transactional for returns, plain for objections), the Kafka-backed registries, the services. */
@Configuration(proxyBeanMethods = false)
public class IngestConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The policy the router applies, from the policy topic: census-ingest has no policy file of its own. */
    @Bean
    PolicyInForce policyInForce(MeterRegistry meters) {
        return new PolicyInForce(meters);
    }

    /** {@code /actuator/info}: the policy in force here (id, version, content hash, who published it when), or none. */
    @Bean
    InfoContributor policyInfo(PolicyInForce policy) {
        return builder -> builder.withDetail("policy", policy.info());
    }

    /** One transaction per census return: all of it is published, or none. */
    @Bean
    KafkaTemplate<String, byte[]> returnsKafka(KafkaProperties kafka, @Value("${pupilflow.ingest.transaction-id-prefix:census-ingest-${random.uuid}-}") String prefix,
                                               @Value("${pupilflow.ingest.transaction-timeout:15m}") Duration timeout) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer());
        factory.setTransactionIdPrefix(prefix);
        return quiet(new KafkaTemplate<>(factory));
    }

    /** Objections are single records, acknowledged before the API answers; no transactions (the router's freshness barrier relies on that). */
    @Bean
    KafkaTemplate<String, byte[]> objectionsKafka(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return quiet(new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer())));
    }

    /**
     * Keys are UPNs and values pupil records: the template's default listener would log both for every record that fails,
     * and every record of an aborted transaction (a strict-mode rejection) fails. This one logs neither.
     */
    private static KafkaTemplate<String, byte[]> quiet(KafkaTemplate<String, byte[]> template) {
        template.setProducerListener(new PupilDataFreeProducerListener<>());
        return template;
    }

    @Bean
    KafkaAdmin.NewTopics ingestTopics(IngestProperties properties) {
        IngestProperties.Topics topics = properties.topics();
        return new KafkaAdmin.NewTopics(
                topic(topics.census(), TopicCatalog.CENSUS_RECORDS, properties),
                topic(topics.rejected(), TopicCatalog.CENSUS_REJECTED, properties),
                topic(topics.returns(), TopicCatalog.CENSUS_RETURNS, properties),
                topic(topics.objections(), TopicCatalog.OBJECTIONS, properties),
                topic(topics.disclosureRequests(), TopicCatalog.DISCLOSURE_REQUESTS, properties),
                topic(topics.requestedPupils(), TopicCatalog.REQUESTED_PUPILS, properties),
                topic(topics.policy(), TopicCatalog.POLICY_IN_FORCE, properties));
    }

    private static NewTopic topic(String name, TopicSpec spec, IngestProperties properties) {
        return new NewTopic(name, spec.partitionsOr(properties.partitions()), properties.replicationFactor())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, spec.cleanup().config()));
    }

    /** census-ingest's problem types, for its API reference. */
    @Bean
    ProblemTypes ingestProblemTypes() {
        return IngestProblems.ALL;
    }

    @Bean
    ReturnRegistry returnRegistry(JsonMapper json) {
        return new ReturnRegistry(json);
    }

    @Bean
    ObjectionIndex objectionIndex() {
        return new ObjectionIndex();
    }

    /**
     * The service starts only once it knows every published return (so a re-upload after a
     * restart is still answered 409) and every objection (for scope checks and dry runs).
     */
    @Bean(destroyMethod = "close")
    TopicMirror returnsMirror(KafkaProperties kafka, IngestProperties properties, ReturnRegistry registry, KafkaAdmin admin, KafkaAdmin.NewTopics topics) {
        return caughtUp(new TopicMirror(kafka.buildConsumerProperties(), properties.topics().returns(), registry::apply), admin);
    }

    /** Catches up with the policy topic at start (which may hold none yet) and then follows it: a router restarted with another policy is seen. */
    @Bean(destroyMethod = "close")
    TopicMirror policyMirror(KafkaProperties kafka, IngestProperties properties, PolicyInForce policy, KafkaAdmin admin, KafkaAdmin.NewTopics topics) {
        return caughtUp(new TopicMirror(kafka.buildConsumerProperties(), properties.topics().policy(), policy::apply), admin);
    }

    @Bean(destroyMethod = "close")
    TopicMirror objectionsMirror(KafkaProperties kafka, IngestProperties properties, ObjectionIndex index, KafkaAdmin admin, KafkaAdmin.NewTopics topics) {
        return caughtUp(new TopicMirror(kafka.buildConsumerProperties(), properties.topics().objections(), index::apply), admin);
    }

    @Bean
    DisclosureRequestRegistry disclosureRequestRegistry(JsonMapper json) {
        return new DisclosureRequestRegistry(json);
    }

    /** A pending request must still be there after a restart, so the service starts only once it knows every request. */
    @Bean(destroyMethod = "close")
    TopicMirror disclosureRequestsMirror(KafkaProperties kafka, IngestProperties properties, DisclosureRequestRegistry registry, KafkaAdmin admin,
                                         KafkaAdmin.NewTopics topics) {
        return caughtUp(new TopicMirror(kafka.buildConsumerProperties(), properties.topics().disclosureRequests(), registry::apply), admin);
    }

    /** Requests are checked against the policy the router applies (the one in force), never one of this service's own. */
    @Bean
    PolicyForRequests policyForRequests(PolicyInForce policies, IngestProperties properties) {
        return () -> policies.current().map(PolicyInForce.Current::policy)
                .orElseThrow(() -> new org.pupilflow.ingest.policy.NoPolicyInForceException(properties.topics().policy()));
    }

    @Bean
    DisclosureRequestService disclosureRequestService(PolicyForRequests policy, KafkaTemplate<String, byte[]> returnsKafka, IngestProperties properties,
                                                      DisclosureRequestRegistry registry, JsonMapper json, Clock clock) {
        IngestProperties.DisclosureRequests limits = properties.disclosureRequests();
        return new DisclosureRequestService(policy, new UpnValidator(LocalAuthorityRegister.bundled()), returnsKafka, properties.topics().disclosureRequests(),
                properties.topics().requestedPupils(), registry, json, clock,
                new DisclosureRequestService.Limits(limits.maxPupils(), limits.caseReferenceMaxLength(), limits.purposeMaxLength()));
    }

    private static TopicMirror caughtUp(TopicMirror mirror, KafkaAdmin admin) {
        // The mirror needs its topic now, before KafkaAdmin would create topics at the end of startup.
        admin.initialize();
        mirror.start();
        try {
            if (!mirror.awaitCaughtUp(Duration.ofSeconds(120))) {
                mirror.close();
                RuntimeException failure = mirror.failure();
                if (failure != null && BrokerLogin.isRefusal(failure)) {
                    // Not retried: wrong credentials or a missing ACL need an operator, and say so once.
                    throw new IllegalStateException(BrokerLogin.describeRefusal(failure, admin.getConfigurationProperties())
                            + "; census-ingest cannot start without its registry topics");
                }
                throw new IllegalStateException("Could not read the registry topics from Kafka within 2 minutes"
                        + (failure == null ? "; is the broker up?" : ": " + failure.getMessage()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while loading the registry topics", e);
        }
        return mirror;
    }

    @Bean
    IngestMetrics ingestMetrics(MeterRegistry registry) {
        return new IngestMetrics(registry);
    }

    /**
     * Every return must belong to the policy's LA; a national controller's policy (no {@code localAuthority}) takes any
     * LA's returns.
     */
    @Bean
    ReturnIngestion returnIngestion(IngestProperties properties, KafkaTemplate<String, byte[]> returnsKafka, ReturnRegistry registry,
                                    ObjectionIndex objections, PolicyInForce policy, JsonMapper json, IngestMetrics metrics, Clock clock) {
        return new ReturnIngestion(properties, returnsKafka, registry, objections, policy, json, metrics, clock);
    }

    /** Uploads sent with Prefer: respond-async, read in the background. */
    @Bean(destroyMethod = "close")
    AsyncReturns asyncReturns(ReturnIngestion ingestion, IngestProperties properties) {
        return new AsyncReturns(ingestion, properties);
    }

    @Bean
    ObjectionService objectionService(PolicyInForce policy, KafkaTemplate<String, byte[]> objectionsKafka, IngestProperties properties,
                                      ObjectionIndex index, Clock clock) {
        return new ObjectionService(policy, new UpnValidator(LocalAuthorityRegister.bundled()), objectionsKafka, properties.topics().objections(), index, clock,
                properties.limits().evidenceReferenceMaxLength());
    }
}
