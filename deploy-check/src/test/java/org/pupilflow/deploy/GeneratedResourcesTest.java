package org.pupilflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pupilflow.access.AccessPlan;
import org.pupilflow.access.AccessRule;
import org.pupilflow.access.BrokerAccess;
import org.pupilflow.deploy.Manifests.Manifest;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.schemas.topics.TopicSpec;

import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;

/**
 * The committed KafkaTopics and KafkaUsers of each overlay are exactly what broker-access derives from the overlay's
 * policy today (KafkaTopicResources, KafkaUserResources): the generated files are current. Replicas and
 * min.insync.replicas are those the overlay's Kafka resource sets as the broker defaults.
 */
class GeneratedResourcesTest {

    /** Partitions of a topic the catalog gives no count of: pupilflow-admin's default, and the services'. */
    static final int PARTITIONS = 6;

    static List<String> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theKafkaTopicsAreThoseOfThePolicy(String overlay) {
        assertThat(topicProblems(Build.ofOverlay(overlay), overlay)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theKafkaUsersAreThoseOfThePolicy(String overlay) {
        assertThat(userProblems(Build.ofOverlay(overlay), overlay)).isEmpty();
    }

    /** How the KafkaTopics of a build differ from those of the overlay's policy, with how to regenerate them. */
    static List<String> topicProblems(Build build, String overlay) {
        AccessPlan plan = plan(overlay);
        int replicas = brokerDefault(build, "default.replication.factor");
        int minIsr = brokerDefault(build, "min.insync.replicas");
        Map<String, String> actual = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Manifest manifest : build.ofKind("KafkaTopic")) {
            KafkaTopic topic = (KafkaTopic) manifest.model();
            if (!cluster(build).equals(topic.getMetadata().getLabels().get("strimzi.io/cluster"))) {
                problems.add(manifest + ": label strimzi.io/cluster is not " + cluster(build));
            }
            if (!manifest.name().equals(topic.getSpec().getTopicName())) {
                problems.add(manifest + ": resource name and spec.topicName differ");
            }
            actual.put(topic.getSpec().getTopicName(), describe(topic.getSpec().getPartitions(), topic.getSpec().getReplicas(), topic.getSpec().getConfig()));
        }
        Map<String, String> expected = new TreeMap<>();
        for (TopicSpec topic : plan.topics()) {
            Map<String, Object> config = new TreeMap<>();
            config.put("cleanup.policy", topic.cleanup().config());
            config.put("min.insync.replicas", minIsr);
            expected.put(topic.name(), describe(topic.partitionsOr(PARTITIONS), replicas, config));
        }
        problems.addAll(differences("KafkaTopic", actual, expected));
        return withHowToRegenerate(problems, build, overlay, replicas, minIsr);
    }

    /** How the KafkaUsers (authentication, ACLs) of a build differ from those of the overlay's policy. */
    static List<String> userProblems(Build build, String overlay) {
        AccessPlan plan = plan(overlay);
        Map<String, String> actual = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Manifest manifest : build.ofKind("KafkaUser")) {
            KafkaUser user = (KafkaUser) manifest.model();
            if (!cluster(build).equals(user.getMetadata().getLabels().get("strimzi.io/cluster"))) {
                problems.add(manifest + ": label strimzi.io/cluster is not " + cluster(build));
            }
            if (!(user.getSpec().getAuthentication() instanceof KafkaUserScramSha512ClientAuthentication)) {
                problems.add(manifest + ": authentication is not scram-sha-512");
            }
            if (!(user.getSpec().getAuthorization() instanceof KafkaUserAuthorizationSimple simple)) {
                problems.add(manifest + ": authorization is not simple");
                continue;
            }
            List<String> granted = new ArrayList<>();
            for (AclRule acl : simple.getAcls()) {
                if (!"*".equals(acl.getHost())) {
                    problems.add(manifest + ": an ACL for host " + acl.getHost() + " rather than *");
                }
                acl.getOperations().forEach(operation -> granted.add(describe(acl, operation.toValue())));
            }
            actual.put("User:" + manifest.name(), granted.stream().sorted().toList().toString());
        }
        Map<String, String> expected = new TreeMap<>();
        for (String principal : plan.principalNames()) {
            expected.put(principal, plan.rulesOf(principal).stream()
                    .map(rule -> rule.resource() + "|" + rule.name() + "|" + rule.pattern() + "|" + rule.operation()).sorted().toList().toString());
        }
        problems.addAll(differences("KafkaUser", actual, expected));
        return withHowToRegenerate(problems, build, overlay, brokerDefault(build, "default.replication.factor"), brokerDefault(build, "min.insync.replicas"));
    }

    private static List<String> differences(String kind, Map<String, String> actual, Map<String, String> expected) {
        List<String> differences = new ArrayList<>();
        expected.forEach((name, value) -> {
            if (!actual.containsKey(name)) {
                differences.add(kind + " " + name + " is missing; the policy needs " + value);
            } else if (!actual.get(name).equals(value)) {
                differences.add(kind + " " + name + " is " + actual.get(name) + "; the policy needs " + value);
            }
        });
        actual.keySet().stream().filter(name -> !expected.containsKey(name))
                .forEach(name -> differences.add(kind + " " + name + " is not in the policy's plan (a removed recipient?)"));
        return differences;
    }

    private static List<String> withHowToRegenerate(List<String> problems, Build build, String overlay, int replicas, int minIsr) {
        if (problems.isEmpty()) {
            return problems;
        }
        List<String> all = new ArrayList<>(problems);
        all.add(build + ": " + regenerate(overlay, replicas, minIsr));
        return all;
    }

    static AccessPlan plan(String overlay) {
        return BrokerAccess.derive(new PolicyLoader().load(ManifestFilesTest.policyOf(overlay)));
    }

    /** The broker default the overlay's Kafka resource sets (after its patches). */
    static int brokerDefault(Build build, String key) {
        Kafka kafka = (Kafka) build.ofKind("Kafka").get(0).model();
        Object value = kafka.getSpec().getKafka().getConfig().get(key);
        assertThat(value).as(build + ": Kafka config " + key).isNotNull();
        return Integer.parseInt(value.toString());
    }

    static String cluster(Build build) {
        return build.ofKind("Kafka").get(0).name();
    }

    private static String regenerate(String overlay, int replicas, int minIsr) {
        Path policy = ManifestFilesTest.policyOf(overlay);
        String dir = "deploy/overlays/" + overlay;
        return "the generated resources are stale (or were edited); regenerate them from the repository root:\n"
                + "    ./mvnw -B -q package -DskipTests -pl pupilflow-admin -am\n"
                + "    CLI=pupilflow-admin/target/pupilflow-admin-0.1.0-SNAPSHOT-cli.jar\n"
                + "    java -jar $CLI topics --policy " + Repository.relative(policy) + " --kafka-topics " + dir + "/generated/kafka-topics.yaml"
                + " --replication-factor " + replicas + " --min-insync-replicas " + minIsr + "\n"
                + "    java -jar $CLI acls --policy " + Repository.relative(policy) + " --kafka-users " + dir + "/generated/kafka-users.yaml\n";
    }

    private static String describe(Integer partitions, Integer replicas, Map<String, Object> config) {
        Map<String, String> normalised = new TreeMap<>();
        if (config != null) {
            config.forEach((key, value) -> normalised.put(key, String.valueOf(value)));
        }
        return "partitions=" + partitions + " replicas=" + replicas + " config=" + normalised;
    }

    private static String describe(AclRule acl, String operation) {
        var resource = acl.getResource();
        String type;
        String name;
        String pattern;
        if (resource instanceof AclRuleTopicResource topic) {
            type = "TOPIC";
            name = topic.getName();
            pattern = topic.getPatternType().toValue();
        } else if (resource instanceof AclRuleGroupResource group) {
            type = "GROUP";
            name = group.getName();
            pattern = group.getPatternType().toValue();
        } else if (resource instanceof AclRuleTransactionalIdResource transactional) {
            type = "TRANSACTIONAL_ID";
            name = transactional.getName();
            pattern = transactional.getPatternType().toValue();
        } else {
            type = "CLUSTER";
            name = AccessRule.CLUSTER_NAME;
            pattern = "literal";
        }
        return type + "|" + name + "|" + (pattern.equals("prefix") ? "PREFIXED" : "LITERAL") + "|" + operation.toUpperCase(java.util.Locale.ROOT);
    }

}
