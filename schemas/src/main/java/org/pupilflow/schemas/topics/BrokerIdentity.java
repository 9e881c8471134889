package org.pupilflow.schemas.topics;

import java.util.Optional;

/**
 * Who a client is on the broker and which group and transactional ids it uses: the facts the
 * access rules are derived from, in one place. Services and recipients alike.
 *
 * @param user                  the SCRAM user name; the Kafka principal is {@code User:<user>}
 * @param consumerGroup         the consumer group it commits offsets in, if it uses one
 * @param consumerGroupPrefix   further consumer groups it may use (names starting with this), if any
 * @param transactionalIdPrefix transactional ids it may use (names starting with this), if it writes transactionally
 * @param internalTopicPrefix   topics it creates and owns itself (Kafka Streams changelogs), if any
 */
public record BrokerIdentity(String user, Optional<String> consumerGroup, Optional<String> consumerGroupPrefix,
                             Optional<String> transactionalIdPrefix, Optional<String> internalTopicPrefix) {

    /** The broker super-user of the standalone broker and of the ACL command: bootstrap only, never a service. */
    public static final String ADMIN_USER = "admin";
    /** Prefix of every recipient's user name; a recipient id never contains a dot, so {@code recipient-<id>.} prefixes cannot overlap. */
    public static final String RECIPIENT_USER_PREFIX = "recipient-";
    /** Consumer groups of recipient-adapters start with this, followed by the recipient id. */
    public static final String ADAPTERS_GROUP_PREFIX = "pupilflow-recipient-adapters.";
    /** Kafka Streams application id of the router: its consumer group, and the prefix of its transactional ids and internal topics. */
    public static final String ROUTER_APPLICATION_ID = "pupilflow-sharing-router";

    public BrokerIdentity {
        consumerGroup = consumerGroup == null ? Optional.empty() : consumerGroup;
        consumerGroupPrefix = consumerGroupPrefix == null ? Optional.empty() : consumerGroupPrefix;
        transactionalIdPrefix = transactionalIdPrefix == null ? Optional.empty() : transactionalIdPrefix;
        internalTopicPrefix = internalTopicPrefix == null ? Optional.empty() : internalTopicPrefix;
    }

    /** The Kafka principal, e.g. {@code User:sharing-router}. */
    public String principal() {
        return "User:" + user;
    }

    public static BrokerIdentity of(Service service) {
        return switch (service) {
            // Reads its compacted registries by assignment (no group); one transactional producer per instance.
            case CENSUS_INGEST -> new BrokerIdentity(service.id(), Optional.empty(), Optional.empty(), Optional.of("census-ingest-"), Optional.empty());
            // Kafka Streams under exactly_once_v2: group = application id; transactional ids and internal topics are "<application id>-...".
            case SHARING_ROUTER -> new BrokerIdentity(service.id(), Optional.of(ROUTER_APPLICATION_ID), Optional.empty(),
                    Optional.of(ROUTER_APPLICATION_ID + "-"), Optional.of(ROUTER_APPLICATION_ID + "-"));
            // Commits offsets after the database commit; its producers (dead letters, chain heads) are not transactional.
            case AUDIT_SERVICE -> new BrokerIdentity(service.id(), Optional.of("pupilflow-audit-service"), Optional.empty(), Optional.empty(), Optional.empty());
            // One consumer group per delivered recipient ("pupilflow-recipient-adapters.<id>"), so a slow recipient never
            // makes the others rebalance; receipts and offsets commit in one transaction.
            case RECIPIENT_ADAPTERS -> new BrokerIdentity(service.id(), Optional.empty(), Optional.of(ADAPTERS_GROUP_PREFIX),
                    Optional.of("pupilflow-recipient-adapters-"), Optional.empty());
        };
    }

    /**
     * A recipient that consumes its topic from Kafka: user {@code recipient-<id>}, consumer group
     * {@code recipient-<id>} or any group starting {@code recipient-<id>.}.
     */
    public static BrokerIdentity ofRecipient(String recipientId) {
        String user = recipientUser(recipientId);
        return new BrokerIdentity(user, Optional.of(user), Optional.of(user + "."), Optional.empty(), Optional.empty());
    }

    /** The consumer group recipient-adapters collect one recipient's topic in. */
    public static String adaptersGroup(String recipientId) {
        return ADAPTERS_GROUP_PREFIX + recipientId;
    }

    public static String recipientUser(String recipientId) {
        return RECIPIENT_USER_PREFIX + recipientId;
    }
}
