package org.pupilflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The pieces the environment check rests on: what the source reader finds in the real property classes, Spring Boot's
 * relaxed binding of variable names, and the Boot properties allowed, each found in Boot's own configuration metadata.
 */
class ServiceConfigurationTest {

    @Test
    void theSourceReaderFindsTheRouterProperties() {
        ServiceConfiguration router = ServiceConfiguration.of("sharing-router");

        assertThat(router.properties()).contains("pupilflow.router.policy-file", "pupilflow.router.pseudonymisation-key",
                "pupilflow.router.create-topics", "pupilflow.router.replication-factor", "pupilflow.router.topics.dead-letters",
                "pupilflow.router.objection-freshness.poll-interval", "pupilflow.router.objection-freshness.timeout",
                // @Value of service-kafka, a dependency
                "pupilflow.kafka.login-check-interval");
        assertThat(router.properties()).doesNotContain("pupilflow.ingest.policy-file", "pupilflow.security.issuer");
    }

    @Test
    void theSourceReaderFollowsNestedRecordsListsAndMaps() {
        ServiceConfiguration audit = ServiceConfiguration.of("audit-service");
        ServiceConfiguration adapters = ServiceConfiguration.of("recipient-adapters");
        ServiceConfiguration ingest = ServiceConfiguration.of("census-ingest");

        assertThat(audit.properties()).contains("pupilflow.audit.checkpoint-key", "pupilflow.audit.retention.rules[*].keep",
                "pupilflow.audit.database.app-role", "pupilflow.security.issuer", "pupilflow.security.local-dev-secret");
        assertThat(adapters.objectMaps()).contains("pupilflow.adapters.recipients");
        assertThat(adapters.properties()).contains("pupilflow.adapters.recipients.*.webhook.url", "pupilflow.adapters.recipients.*.file-drop.sftp.host-key",
                "pupilflow.adapters.recipients.*.retry.max-age");
        assertThat(adapters.properties()).contains("pupilflow.adapters.policy-file", "pupilflow.adapters.instance-id", "pupilflow.adapters.create-topics");
        assertThat(ingest.properties()).contains("pupilflow.ingest.transaction-id-prefix", "pupilflow.security.jwk-set-uri");
        // census-ingest has no policy of its own: it uses the one sharing-router publishes.
        assertThat(ingest.properties()).doesNotContain("pupilflow.ingest.policy-file");
    }

    @Test
    void variablesAreMappedAsSpringBootBindsThem() {
        ServiceConfiguration router = ServiceConfiguration.of("sharing-router");
        ServiceConfiguration ingest = ServiceConfiguration.of("census-ingest");
        ServiceConfiguration adapters = ServiceConfiguration.of("recipient-adapters");
        ServiceConfiguration audit = ServiceConfiguration.of("audit-service");

        assertThat(router.propertyOf("PUPILFLOW_ROUTER_POLICY_FILE")).contains("pupilflow.router.policy-file");
        assertThat(router.propertyOf("PUPILFLOW_ROUTER_POLICYFILE")).contains("pupilflow.router.policy-file");
        assertThat(router.propertyOf("PUPILFLOW_ROUTER_OBJECTION_FRESHNESS_TIMEOUT")).contains("pupilflow.router.objection-freshness.timeout");
        assertThat(router.propertyOf("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")).contains("spring.kafka.properties[sasl.jaas.config]");
        assertThat(router.propertyOf("SPRING_KAFKA_SSL_TRUST_STORE_LOCATION")).contains("spring.kafka.ssl.trust-store-location");
        assertThat(audit.propertyOf("PUPILFLOW_AUDIT_RETENTION_RULES_0_KEEP")).contains("pupilflow.audit.retention.rules[0].keep");
        assertThat(audit.propertyOf("SPRING_FLYWAY_USER")).contains("spring.flyway.user");
        // placeholders of application.yml
        assertThat(router.propertyOf("KAFKA_BOOTSTRAP_SERVERS")).isPresent();

        // a typo, another service's property, a key Kafka does not have, a Boot property not allowed for this service
        assertThat(router.propertyOf("PUPILFLOW_ROUTER_POLICY_FILES")).isEmpty();
        assertThat(ingest.propertyOf("PUPILFLOW_ROUTER_POLICY_FILE")).isEmpty();
        assertThat(router.propertyOf("SPRING_KAFKA_PROPERTIES_SASL_JASS_CONFIG")).isEmpty();
        assertThat(router.propertyOf("SPRING_DATASOURCE_URL")).isEmpty();
        // a recipient id with '-' cannot be written in a variable name: refused rather than bound to the wrong recipient
        assertThat(adapters.propertyOf("PUPILFLOW_ADAPTERS_RECIPIENTS_CHILDRENS_CENTRES_WEBHOOK_URL")).isEmpty();
    }

    /** The Boot properties the manifests may set exist in Spring Boot's configuration metadata (of the version the services use). */
    @Test
    void theAllowedBootPropertiesAreRealBootProperties() throws IOException {
        Set<String> boot = bootMetadata();
        Set<String> allowed = new TreeSet<>();
        ServiceConfiguration.BOOT.values().forEach(allowed::addAll);
        allowed.addAll(ServiceConfiguration.BOOT_MAPS);

        assertThat(boot).as("Spring Boot configuration metadata on the test classpath").hasSizeGreaterThan(500);
        assertThat(allowed).allSatisfy(property -> assertThat(boot).as("Spring Boot property " + property).contains(property));
    }

    @Test
    void theKafkaSettingsAreRealKafkaClientSettings() {
        assertThat(ServiceConfiguration.kafkaClientConfigs()).contains("security.protocol", "sasl.mechanism", "sasl.jaas.config");
    }

    static Set<String> bootMetadata() throws IOException {
        Set<String> names = new TreeSet<>();
        ObjectMapper json = new ObjectMapper();
        for (String resource : new String[] {"META-INF/spring-configuration-metadata.json", "META-INF/additional-spring-configuration-metadata.json"}) {
            Enumeration<URL> urls = ServiceConfigurationTest.class.getClassLoader().getResources(resource);
            while (urls.hasMoreElements()) {
                try (InputStream in = urls.nextElement().openStream()) {
                    JsonNode metadata = json.readTree(in);
                    metadata.path("properties").forEach(property -> names.add(property.path("name").asText()));
                }
            }
        }
        return names;
    }
}
