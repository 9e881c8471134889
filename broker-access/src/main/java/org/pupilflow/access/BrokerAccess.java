package org.pupilflow.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.pupilflow.access.AccessRule.Operation;
import org.pupilflow.access.AccessRule.Pattern;
import org.pupilflow.access.AccessRule.Resource;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.schemas.topics.BrokerIdentity;
import org.pupilflow.schemas.topics.Collection;
import org.pupilflow.schemas.topics.Service;
import org.pupilflow.schemas.topics.TopicCatalog;
import org.pupilflow.schemas.topics.TopicSpec;

/**
 * Derives what every principal may do on the broker from the sharing policy and the topic
 * catalog, the same way the privacy notice is derived from the policy, so the two cannot drift:
 * <ul>
 * <li>a service may WRITE the topics the catalog says it writes and READ those it reads, use its
 *     own consumer group, its own transactional-id prefix and (Kafka Streams) its own internal
 *     topics — nothing else;</li>
 * <li>a recipient that reads Kafka may READ its own topic and use consumer groups named after its
 *     principal — nothing else, not even DESCRIBE on another topic;</li>
 * <li>a recipient delivered by webhook or file drop has no principal: recipient-adapters read its
 *     topic for it.</li>
 * <li>the lag watcher (the router) may DESCRIBE the consumer groups that collect the recipient topics and the
 *     audit's inputs, and READ those topics to date the oldest record a group has not collected (it fetches one record
 *     and drops it undecoded; the router wrote every record of them but audit.deliveries).</li>
 * </ul>
 * Idempotent producers need no cluster-wide grant: since Kafka 3.0 WRITE on a topic implies it (KIP-679).
 */
public final class BrokerAccess {

    private BrokerAccess() {
    }

    public static AccessPlan derive(SharingPolicy policy) {
        List<TopicCatalog.RecipientTopic> recipients = policy.recipients().stream()
                .map(rule -> new TopicCatalog.RecipientTopic(rule.id(), rule.topic(), rule.readFromKafka())).toList();
        List<TopicSpec> topics = TopicCatalog.all(recipients);
        List<BrokerIdentity> principals = new ArrayList<>();
        for (Service service : Service.values()) {
            principals.add(BrokerIdentity.of(service));
        }
        for (RecipientRule rule : policy.recipients()) {
            if (rule.readFromKafka()) {
                principals.add(BrokerIdentity.ofRecipient(rule.id()));
            }
        }

        Set<AccessRule> rules = new TreeSet<>();
        for (TopicSpec topic : topics) {
            for (Service writer : topic.writers()) {
                rules.add(topicRule(BrokerIdentity.of(writer), topic, Operation.WRITE, "writes " + topic.name() + ": " + topic.purpose()));
            }
            for (Service reader : topic.readers()) {
                rules.add(topicRule(BrokerIdentity.of(reader), topic, Operation.READ, "reads " + topic.name() + ": " + topic.purpose()));
            }
            topic.recipientReader().ifPresent(recipient -> rules.add(topicRule(BrokerIdentity.ofRecipient(recipient), topic, Operation.READ,
                    "reads its own topic, " + topic.name() + " (policy " + policy.id() + ", recipient " + recipient + ")")));
        }
        for (BrokerIdentity identity : principals) {
            String who = identity.principal();
            identity.consumerGroup().ifPresent(group -> rules.add(new AccessRule(who, Resource.GROUP, group, Pattern.LITERAL, Operation.READ,
                    "commits its read positions in its own consumer group")));
            identity.consumerGroupPrefix().ifPresent(prefix -> rules.add(new AccessRule(who, Resource.GROUP, prefix, Pattern.PREFIXED, Operation.READ,
                    "may use further consumer groups named after it")));
            identity.transactionalIdPrefix().ifPresent(prefix -> {
                String why = "writes atomically (Kafka transactions) under its own transactional ids";
                rules.add(new AccessRule(who, Resource.TRANSACTIONAL_ID, prefix, Pattern.PREFIXED, Operation.WRITE, why));
                rules.add(new AccessRule(who, Resource.TRANSACTIONAL_ID, prefix, Pattern.PREFIXED, Operation.DESCRIBE, why));
            });
            identity.internalTopicPrefix().ifPresent(prefix -> rules.add(new AccessRule(who, Resource.TOPIC, prefix, Pattern.PREFIXED, Operation.ALL,
                    "creates and uses its own Kafka Streams internal topics (changelogs, repartitions)")));
        }
        String watcher = BrokerIdentity.of(Collection.WATCHER).principal();
        for (Collection collection : Collection.all(recipients)) {
            String why = "measures how far " + collection.owner() + " is behind on " + collection.topic() + " (lag metrics)";
            rules.add(new AccessRule(watcher, Resource.GROUP, collection.group(), Pattern.LITERAL, Operation.DESCRIBE, why));
            collection.groupPrefix().ifPresent(prefix -> rules.add(new AccessRule(watcher, Resource.GROUP, prefix, Pattern.PREFIXED, Operation.DESCRIBE, why)));
            rules.add(new AccessRule(watcher, Resource.TOPIC, collection.topic(), Pattern.LITERAL, Operation.READ,
                    "dates the oldest record of " + collection.topic() + " that " + collection.owner() + " has not collected (lag metrics; one record fetched, not decoded)"));
        }
        return new AccessPlan(policy.id(), principals, topics, new TreeSet<>(rules));
    }

    private static AccessRule topicRule(BrokerIdentity who, TopicSpec topic, Operation operation, String reason) {
        return new AccessRule(who.principal(), Resource.TOPIC, topic.name(), Pattern.LITERAL, operation, reason);
    }
}
