package org.pupilflow.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.pupilflow.access.AccessRule.Operation;
import org.pupilflow.access.AccessRule.Pattern;
import org.pupilflow.access.AccessRule.Resource;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.schemas.topics.BrokerIdentity;
import org.pupilflow.schemas.topics.Collection;
import org.pupilflow.schemas.topics.Service;
import org.pupilflow.schemas.topics.TopicCatalog;

/** Least privilege, as derived for every shipped policy: each principal may do what the catalog and the policy say, and nothing else. */
class BrokerAccessTest {

    static final Path POLICIES = Path.of("..", "policies");

    static Stream<Path> shippedPolicies() throws IOException {
        try (Stream<Path> files = Files.list(POLICIES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    private static AccessPlan plan(Path policy) {
        return BrokerAccess.derive(new PolicyLoader().load(policy));
    }

    private static String user(Service service) {
        return BrokerIdentity.of(service).principal();
    }

    @ParameterizedTest
    @MethodSource("shippedPolicies")
    void aRecipientMayReadItsOwnTopicAndUseItsOwnGroupsAndNothingElse(Path file) {
        SharingPolicy policy = new PolicyLoader().load(file);
        AccessPlan plan = BrokerAccess.derive(policy);

        for (RecipientRule recipient : policy.recipients()) {
            String principal = BrokerIdentity.ofRecipient(recipient.id()).principal();
            if (!recipient.readFromKafka()) {
                assertThat(plan.principalNames()).as("%s is delivered by %s: no principal of its own", recipient.id(), recipient.delivery())
                        .doesNotContain(principal);
                assertThat(plan.rulesOf(principal)).isEmpty();
                continue;
            }
            assertThat(plan.rulesOf(principal)).extracting(AccessRule::grant).containsExactlyInAnyOrder(
                    new AccessRule.Grant(principal, Resource.TOPIC, recipient.topic(), Pattern.LITERAL, Operation.READ),
                    new AccessRule.Grant(principal, Resource.GROUP, "recipient-" + recipient.id(), Pattern.LITERAL, Operation.READ),
                    new AccessRule.Grant(principal, Resource.GROUP, "recipient-" + recipient.id() + ".", Pattern.PREFIXED, Operation.READ));
        }
    }

    @ParameterizedTest
    @MethodSource("shippedPolicies")
    void onlyTheRouterWritesRecipientTopicsAndNoOtherRecipientOrServiceReadsThem(Path file) {
        AccessPlan plan = plan(file);

        SharingPolicy policy = new PolicyLoader().load(file);
        List<AccessRule> onRecipientTopics = plan.rules().stream()
                .filter(rule -> rule.resource() == Resource.TOPIC && rule.name().startsWith(TopicCatalog.RECIPIENT_TOPIC_PREFIX)
                        && !rule.name().endsWith(TopicCatalog.DEAD_LETTER_SUFFIX)).toList();
        assertThat(onRecipientTopics).isNotEmpty().allSatisfy(rule -> assertThat(rule.pattern()).isEqualTo(Pattern.LITERAL));
        assertThat(onRecipientTopics).filteredOn(rule -> rule.operation() != Operation.READ)
                .allSatisfy(rule -> assertThat(rule.principal()).isEqualTo(user(Service.SHARING_ROUTER)));
        for (RecipientRule recipient : policy.recipients()) {
            assertThat(onRecipientTopics).filteredOn(rule -> rule.operation() == Operation.READ && rule.name().equals(recipient.topic()))
                    .extracting(AccessRule::principal).as("who reads %s", recipient.topic())
                    .containsExactlyInAnyOrder(recipient.readFromKafka() ? "User:recipient-" + recipient.id() : user(Service.RECIPIENT_ADAPTERS),
                            // The lag watcher dates the oldest uncollected record of what the router itself wrote.
                            user(Collection.WATCHER));
        }
        assertThat(plan.rules()).filteredOn(rule -> rule.name().endsWith(TopicCatalog.DEAD_LETTER_SUFFIX) && rule.name().startsWith("recipient."))
                .allSatisfy(rule -> assertThat(rule.principal() + " " + rule.operation()).isEqualTo(user(Service.RECIPIENT_ADAPTERS) + " WRITE"));
    }

    @ParameterizedTest
    @MethodSource("shippedPolicies")
    void theLagWatcherMayDescribeTheCollectorsGroupsButNeverJoinOrCommitInThem(Path file) {
        AccessPlan plan = plan(file);
        SharingPolicy policy = new PolicyLoader().load(file);

        List<AccessRule> groups = plan.rulesOf(user(Collection.WATCHER)).stream().filter(rule -> rule.resource() == Resource.GROUP).toList();
        assertThat(groups).filteredOn(rule -> !rule.name().startsWith(BrokerIdentity.ROUTER_APPLICATION_ID))
                .isNotEmpty().allSatisfy(rule -> assertThat(rule.operation()).isEqualTo(Operation.DESCRIBE));
        for (RecipientRule recipient : policy.recipients()) {
            String group = recipient.readFromKafka() ? "recipient-" + recipient.id() : BrokerIdentity.adaptersGroup(recipient.id());
            assertThat(plan.grants()).contains(new AccessRule.Grant(user(Collection.WATCHER), Resource.GROUP, group, Pattern.LITERAL, Operation.DESCRIBE));
        }
        assertThat(plan.grants()).contains(new AccessRule.Grant(user(Collection.WATCHER), Resource.GROUP,
                BrokerIdentity.of(Service.AUDIT_SERVICE).consumerGroup().orElseThrow(), Pattern.LITERAL, Operation.DESCRIBE));
    }

    @ParameterizedTest
    @MethodSource("shippedPolicies")
    void servicesAreConfinedToTheirOwnTopics(Path file) {
        AccessPlan plan = plan(file);

        assertThat(plan.rulesOf(user(Service.CENSUS_INGEST))).filteredOn(rule -> rule.resource() == Resource.TOPIC)
                .allSatisfy(rule -> assertThat(rule.name()).doesNotStartWith("recipient.").doesNotStartWith("audit."));
        assertThat(plan.rulesOf(user(Service.SHARING_ROUTER))).filteredOn(rule -> rule.operation() == Operation.WRITE)
                .allSatisfy(rule -> assertThat(rule.name()).isNotIn(TopicCatalog.CENSUS_RECORDS.name(), TopicCatalog.OBJECTIONS.name(),
                        TopicCatalog.CENSUS_RETURNS.name(), TopicCatalog.CENSUS_REJECTED.name()));
        assertThat(plan.rules()).filteredOn(rule -> rule.name().equals(TopicCatalog.AUDIT_CHAIN_HEADS.name()) && rule.operation() == Operation.WRITE)
                .extracting(AccessRule::principal).containsExactly(user(Service.AUDIT_SERVICE));
        assertThat(plan.rules()).filteredOn(rule -> rule.pattern() == Pattern.PREFIXED && rule.resource() == Resource.TOPIC)
                .extracting(AccessRule::principal).containsOnly(user(Service.SHARING_ROUTER));
        assertThat(plan.rules()).noneMatch(rule -> rule.resource() == Resource.CLUSTER);
    }

    @Test
    void everyReaderAndWriterInTheCatalogGetsItsRule() {
        AccessPlan plan = plan(POLICIES.resolve("norfolk.yaml"));

        for (var topic : TopicCatalog.fixed()) {
            topic.writers().forEach(service -> assertThat(plan.grants()).as(topic.name()).contains(
                    new AccessRule.Grant(user(service), Resource.TOPIC, topic.name(), Pattern.LITERAL, Operation.WRITE)));
            topic.readers().forEach(service -> assertThat(plan.grants()).as(topic.name()).contains(
                    new AccessRule.Grant(user(service), Resource.TOPIC, topic.name(), Pattern.LITERAL, Operation.READ)));
        }
        assertThat(plan.grants()).contains(
                new AccessRule.Grant(user(Service.SHARING_ROUTER), Resource.TRANSACTIONAL_ID, "pupilflow-sharing-router-", Pattern.PREFIXED, Operation.WRITE),
                new AccessRule.Grant(user(Service.SHARING_ROUTER), Resource.GROUP, "pupilflow-sharing-router", Pattern.LITERAL, Operation.READ),
                new AccessRule.Grant(user(Service.CENSUS_INGEST), Resource.TRANSACTIONAL_ID, "census-ingest-", Pattern.PREFIXED, Operation.WRITE),
                new AccessRule.Grant(user(Service.AUDIT_SERVICE), Resource.GROUP, "pupilflow-audit-service", Pattern.LITERAL, Operation.READ));
    }

    @Test
    void addingARecipientGivesItOnePrincipalAndOneReadableTopicAndRemovingItTakesBothAway() throws IOException {
        String lancashire = Files.readString(POLICIES.resolve("lancashire.yaml"));
        String withoutTrust = lancashire.substring(0, lancashire.indexOf("  - id: childrens-trust"));
        Path smaller = Files.createTempFile("lancashire-without-trust", ".yaml");
        Files.writeString(smaller, withoutTrust);

        AccessPlan full = plan(POLICIES.resolve("lancashire.yaml"));
        AccessPlan reduced = plan(smaller);

        var added = new java.util.TreeSet<>(full.grants());
        added.removeAll(reduced.grants());
        assertThat(full.principalNames()).contains("User:recipient-childrens-trust");
        assertThat(reduced.principalNames()).doesNotContain("User:recipient-childrens-trust");
        assertThat(added).extracting(AccessRule.Grant::toString).containsExactlyInAnyOrder(
                "User:recipient-childrens-trust READ TOPIC recipient.childrens-trust",
                "User:recipient-childrens-trust READ GROUP recipient-childrens-trust",
                "User:recipient-childrens-trust READ GROUP prefixed recipient-childrens-trust.",
                "User:sharing-router WRITE TOPIC recipient.childrens-trust",
                "User:sharing-router READ TOPIC recipient.childrens-trust",
                "User:sharing-router DESCRIBE GROUP recipient-childrens-trust",
                "User:sharing-router DESCRIBE GROUP prefixed recipient-childrens-trust.");
    }

    @Test
    void aRecipientDeliveredByWebhookOrFileDropHasNoPrincipalAndTheAdaptersReadItsTopicAndWriteItsDeadLetters() {
        AccessPlan plan = plan(POLICIES.resolve("norfolk.yaml"));

        for (String id : List.of("childrens-centres", "post16")) {
            assertThat(plan.principalNames()).doesNotContain("User:recipient-" + id);
            assertThat(plan.grants()).contains(
                    new AccessRule.Grant(user(Service.RECIPIENT_ADAPTERS), Resource.TOPIC, "recipient." + id, Pattern.LITERAL, Operation.READ),
                    new AccessRule.Grant(user(Service.RECIPIENT_ADAPTERS), Resource.TOPIC, "recipient." + id + ".dead-letters", Pattern.LITERAL,
                            Operation.WRITE));
        }
        assertThat(plan.grants()).contains(new AccessRule.Grant(user(Service.RECIPIENT_ADAPTERS), Resource.GROUP, "pupilflow-recipient-adapters.",
                Pattern.PREFIXED, Operation.READ));
    }

    @Test
    void theTableListsEveryPrincipalAndSaysWhy() {
        AccessPlan plan = plan(POLICIES.resolve("norfolk.yaml"));

        String table = AccessTable.render(plan);

        assertThat(table).contains("Everything not listed is refused");
        for (String principal : plan.principalNames()) {
            assertThat(table).contains(principal);
        }
        assertThat(table).containsPattern("User:recipient-youth-support\\s+read\\s+topic recipient.youth-support\\s+reads its own topic");
        assertThat(table.lines().count()).isGreaterThanOrEqualTo(plan.rules().size());
    }
}
