package org.pupilflow.router.policy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.decide.Pseudonymiser;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.router.RouterProperties;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads the LA's policy once at start (an invalid policy stops the router with the loader's located errors), publishes it as the
 * policy in force, exposes its hash, and builds the engine with the pseudonymisation master key and its version.
 */
@Configuration(proxyBeanMethods = false)
public class PolicyConfiguration {

    @Bean
    SharingPolicy sharingPolicy(RouterProperties properties) {
        return new PolicyLoader().load(Path.of(properties.policyFile()));
    }

    /** Publishes the policy to the policy topic at start, before the streams route anything. */
    @Bean
    PolicyPublisher policyPublisher(SharingPolicy policy, RouterProperties properties, KafkaProperties kafka) {
        return new PolicyPublisher(policy, properties, kafka.buildProducerProperties(), Clock.systemUTC());
    }

    /** {@code pupilflow_policy_in_force{policy_id, policy_version, policy_hash} 1}: the policy this router applies. */
    @Bean
    MeterBinder policyInForceMetric(SharingPolicy policy) {
        return registry -> Gauge.builder("pupilflow.policy.in.force", () -> 1)
                .description("1 for the policy this service applies (id, version, SHA-256 of the document)")
                .tags("policy_id", policy.id(), "policy_version", policy.version(), "policy_hash", policy.contentHash())
                .register(registry);
    }

    /** {@code /actuator/info}: {@code policy: {id, version, contentHash}}. */
    @Bean
    InfoContributor policyInfo(SharingPolicy policy) {
        return builder -> builder.withDetail("policy", Map.of("id", policy.id(), "version", policy.version(), "contentHash", policy.contentHash()));
    }

    @Bean
    SharingEngine sharingEngine(SharingPolicy policy, RouterProperties properties) {
        String key = properties.pseudonymisationKey();
        Pseudonymiser pseudonymiser = key == null || key.isBlank() ? null : new Pseudonymiser(key.getBytes(StandardCharsets.UTF_8));
        return new SharingEngine(policy, pseudonymiser, properties.pseudonymisationKeyVersion());
    }
}
