package org.pupilflow.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pupilflow.policy.load.PolicyLoader;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclRule;

/**
 * The generated KafkaUser resources are read back with Strimzi's own CRD model (io.strimzi:api),
 * failing on any property the model does not know, and must grant exactly the plan's ACLs.
 */
class KafkaUserResourcesTest {

    static java.util.stream.Stream<Path> shippedPolicies() throws IOException {
        return BrokerAccessTest.shippedPolicies();
    }

    @ParameterizedTest
    @MethodSource("shippedPolicies")
    void everyPrincipalBecomesAScramKafkaUserWithExactlyItsAcls(Path file) throws IOException {
        AccessPlan plan = BrokerAccess.derive(new PolicyLoader().load(file));

        String yaml = KafkaUserResources.render(plan, "pupilflow");

        ObjectMapper strimzi = strictStrimzi();
        List<KafkaUser> users = new ArrayList<>();
        try (MappingIterator<KafkaUser> documents = strimzi.readerFor(KafkaUser.class).readValues(yaml)) {
            documents.forEachRemaining(users::add);
        }
        assertThat(users).extracting(user -> "User:" + user.getMetadata().getName()).containsExactlyElementsOf(plan.principalNames());
        // The model reports its own version whatever the document says, so the text is checked too.
        assertThat(yaml.lines().filter(line -> line.replace("\"", "").equals("apiVersion: kafka.strimzi.io/v1"))).hasSize(users.size());
        for (KafkaUser user : users) {
            assertThat(user.getApiVersion()).isEqualTo(KafkaUserResources.API_VERSION);
            assertThat(user.getKind()).isEqualTo("KafkaUser");
            assertThat(user.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "pupilflow");
            assertThat(user.getSpec().getAuthentication()).isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
            assertThat(user.getSpec().getAuthorization()).isInstanceOf(KafkaUserAuthorizationSimple.class);
            List<AclRule> acls = ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls();
            List<String> granted = new ArrayList<>();
            for (AclRule acl : acls) {
                assertThat(acl.getHost()).isEqualTo("*");
                acl.getOperations().forEach(operation -> granted.add(describe(acl, operation.toValue())));
            }
            List<String> expected = plan.rulesOf("User:" + user.getMetadata().getName()).stream()
                    .map(rule -> rule.resource() + "|" + rule.name() + "|" + rule.pattern() + "|" + rule.operation()).toList();
            assertThat(granted).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("shippedPolicies")
    void everyTopicOfTheCatalogAndThePolicyBecomesAKafkaTopicWithItsCleanupPolicy(Path file) throws IOException {
        AccessPlan plan = BrokerAccess.derive(new PolicyLoader().load(file));

        String yaml = KafkaTopicResources.render(plan, "pupilflow", 6, 3, 2);

        ObjectMapper strimzi = strictStrimzi();
        List<io.strimzi.api.kafka.model.topic.KafkaTopic> topics = new ArrayList<>();
        try (MappingIterator<io.strimzi.api.kafka.model.topic.KafkaTopic> documents = strimzi.readerFor(io.strimzi.api.kafka.model.topic.KafkaTopic.class)
                .readValues(yaml)) {
            documents.forEachRemaining(topics::add);
        }
        assertThat(topics).extracting(topic -> topic.getSpec().getTopicName()).containsExactlyElementsOf(plan.topics().stream().map(t -> t.name()).toList());
        for (var topic : topics) {
            var expected = plan.topics().stream().filter(t -> t.name().equals(topic.getSpec().getTopicName())).findFirst().orElseThrow();
            assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "pupilflow");
            assertThat(topic.getSpec().getPartitions()).isEqualTo(expected.partitionsOr(6));
            assertThat(topic.getSpec().getReplicas()).isEqualTo(3);
            assertThat(topic.getSpec().getConfig()).containsEntry("cleanup.policy", expected.cleanup().config()).containsEntry("min.insync.replicas", 2);
        }
    }

    @org.junit.jupiter.api.Test
    void aMisspeltKeyIsRefusedByTheStrictReader() {
        String misspelt = """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata: {name: x}
                spec:
                  authentication: {type: scram-sha-512}
                  authorisation: {type: simple}
                """;

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> strictStrimzi().readValue(misspelt, KafkaUser.class))
                .hasMessageContaining("authorisation");
    }

    /**
     * Strimzi's model keeps unknown keys in an any-setter ("additional properties"), so FAIL_ON_UNKNOWN_PROPERTIES alone
     * accepts a misspelt key; without the any-setter, an unknown key is an error.
     */
    static ObjectMapper strictStrimzi() {
        com.fasterxml.jackson.databind.module.SimpleModule strict = new com.fasterxml.jackson.databind.module.SimpleModule("strict");
        strict.setDeserializerModifier(new com.fasterxml.jackson.databind.deser.BeanDeserializerModifier() {
            @Override
            public com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder updateBuilder(com.fasterxml.jackson.databind.DeserializationConfig config,
                    com.fasterxml.jackson.databind.BeanDescription description, com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder builder) {
                builder.setAnySetter(null);
                builder.setIgnoreUnknownProperties(false);
                return builder;
            }
        });
        return new ObjectMapper(new YAMLFactory()).registerModule(strict).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private static String describe(AclRule acl, String operation) {
        var resource = acl.getResource();
        String type = switch (resource.getType()) {
            case "topic" -> "TOPIC";
            case "group" -> "GROUP";
            case "transactionalId" -> "TRANSACTIONAL_ID";
            default -> "CLUSTER";
        };
        String name;
        String pattern;
        if (resource instanceof io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource topic) {
            name = topic.getName();
            pattern = topic.getPatternType().toValue();
        } else if (resource instanceof io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource group) {
            name = group.getName();
            pattern = group.getPatternType().toValue();
        } else if (resource instanceof io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource transactional) {
            name = transactional.getName();
            pattern = transactional.getPatternType().toValue();
        } else {
            name = AccessRule.CLUSTER_NAME;
            pattern = "literal";
        }
        return type + "|" + name + "|" + (pattern.equals("prefix") ? "PREFIXED" : "LITERAL") + "|" + operation.toUpperCase(java.util.Locale.ROOT);
    }
}
