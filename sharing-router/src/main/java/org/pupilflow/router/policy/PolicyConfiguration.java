package org.pupilflow.router.policy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.decide.Pseudonymiser;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.router.RouterProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the LA's policy once at start; an invalid policy stops the router with the loader's located errors. */
@Configuration(proxyBeanMethods = false)
public class PolicyConfiguration {

    @Bean
    SharingPolicy sharingPolicy(RouterProperties properties) {
        return new PolicyLoader().load(Path.of(properties.policyFile()));
    }

    @Bean
    SharingEngine sharingEngine(SharingPolicy policy, RouterProperties properties) {
        String key = properties.pseudonymisationKey();
        Pseudonymiser pseudonymiser = key == null || key.isBlank() ? null : new Pseudonymiser(key.getBytes(StandardCharsets.UTF_8));
        return new SharingEngine(policy, pseudonymiser, properties.pseudonymisationKeyVersion());
    }
}
