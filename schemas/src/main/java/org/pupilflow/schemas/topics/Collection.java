package org.pupilflow.schemas.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A topic someone is expected to collect, and the consumer groups that collect it: what the lag watcher measures
 * (how many records are waiting and since when) and what it needs DESCRIBE permission on. Derived from the
 * identities in {@link BrokerIdentity}, so a renamed group cannot leave a recipient unwatched.
 *
 * @param kind        {@link Kind#RECIPIENT} (a recipient's topic) or {@link Kind#AUDIT} (audit-service's inputs)
 * @param owner       the recipient id, or {@code audit-service}
 * @param topic       the topic
 * @param group       the one group collecting it, or the recipient's default group
 * @param groupPrefix further groups that collect it (a recipient may read with several), if any
 */
public record Collection(Kind kind, String owner, String topic, String group, Optional<String> groupPrefix) {

    public enum Kind { RECIPIENT, AUDIT }

    /** The service that watches every collection (it writes the recipient topics and the audit's disclosures). */
    public static final Service WATCHER = Service.SHARING_ROUTER;

    /** True if the group is one that collects this topic. */
    public boolean collectedBy(String candidate) {
        return candidate.equals(group) || groupPrefix.map(candidate::startsWith).orElse(false);
    }

    /**
     * Every recipient topic (read by the recipient's own groups, or by recipient-adapters' group for a recipient
     * delivered by webhook or file drop), and audit-service's two input topics.
     */
    public static List<Collection> all(List<TopicCatalog.RecipientTopic> recipients) {
        List<Collection> collections = new ArrayList<>();
        for (TopicCatalog.RecipientTopic recipient : recipients) {
            if (recipient.readFromKafka()) {
                BrokerIdentity reader = BrokerIdentity.ofRecipient(recipient.recipientId());
                collections.add(new Collection(Kind.RECIPIENT, recipient.recipientId(), recipient.topic(), reader.consumerGroup().orElseThrow(),
                        reader.consumerGroupPrefix()));
            } else {
                collections.add(new Collection(Kind.RECIPIENT, recipient.recipientId(), recipient.topic(),
                        BrokerIdentity.adaptersGroup(recipient.recipientId()), Optional.empty()));
            }
        }
        String audit = BrokerIdentity.of(Service.AUDIT_SERVICE).consumerGroup().orElseThrow();
        collections.add(new Collection(Kind.AUDIT, Service.AUDIT_SERVICE.id(), TopicCatalog.AUDIT_DISCLOSURES.name(), audit, Optional.empty()));
        collections.add(new Collection(Kind.AUDIT, Service.AUDIT_SERVICE.id(), TopicCatalog.AUDIT_DELIVERIES.name(), audit, Optional.empty()));
        return List.copyOf(collections);
    }
}
