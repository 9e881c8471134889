package org.pupilflow.schemas.topics;

import static org.pupilflow.schemas.topics.Service.AUDIT_SERVICE;
import static org.pupilflow.schemas.topics.Service.CENSUS_INGEST;
import static org.pupilflow.schemas.topics.Service.RECIPIENT_ADAPTERS;
import static org.pupilflow.schemas.topics.Service.SHARING_ROUTER;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every topic PupilFlow uses, in one place: the services take their default topic names from here
 * (their properties only override names, e.g. for a benchmark), the broker's access rules and the
 * Strimzi {@code KafkaTopic}/{@code KafkaUser} resources are derived from here, and {@code DESIGN.md}'s
 * topic table is checked against it. Recipient topics come from the sharing policy: one per recipient,
 * written by the router and read by that recipient alone (or by recipient-adapters on its behalf).
 */
public final class TopicCatalog {

    /** Every recipient topic starts with this, and nothing else does. */
    public static final String RECIPIENT_TOPIC_PREFIX = "recipient.";
    /** A dead-letter topic is its source topic's name with this suffix. */
    public static final String DEAD_LETTER_SUFFIX = ".dead-letters";

    public static final TopicSpec CENSUS_RECORDS = new TopicSpec("census.pupil-records", KeyFormat.UPN, ValueFormat.CENSUS_PUPIL, Cleanup.DELETE,
            Set.of(CENSUS_INGEST), Set.of(SHARING_ROUTER), Optional.empty(),
            "Valid census records of accepted returns, one Kafka transaction per return");
    public static final TopicSpec CENSUS_REJECTED = new TopicSpec("census.rejected", KeyFormat.RETURN_ID, ValueFormat.REJECTED_RECORD, Cleanup.DELETE,
            Set.of(CENSUS_INGEST), Set.of(), Optional.empty(),
            "Invalid records of lenient uploads with their reasons, in the same transaction as the valid ones");
    public static final TopicSpec CENSUS_RETURNS = new TopicSpec("census.returns", KeyFormat.RETURN_REGISTRY, ValueFormat.RETURN_REGISTRY, Cleanup.COMPACT,
            Set.of(CENSUS_INGEST), Set.of(CENSUS_INGEST), Optional.empty(),
            "Registry of returns: status, report and content hash (a re-upload is detected after a restart)");
    public static final TopicSpec OBJECTIONS = new TopicSpec("consent.objections", KeyFormat.OBJECTION, ValueFormat.OBJECTION, Cleanup.COMPACT,
            Set.of(CENSUS_INGEST), Set.of(CENSUS_INGEST, SHARING_ROUTER), Optional.empty(),
            "Every objection, latest state per objection, forever");
    /**
     * Case-by-case disclosure requests (recipients whose rule says {@code delivery: on-request}), latest state per request:
     * pending a second approval, approved, refused or expired. census-ingest keeps its pending requests here, so an
     * approval given after a restart still finds its request.
     */
    public static final TopicSpec DISCLOSURE_REQUESTS = new TopicSpec("disclosure.requests", KeyFormat.REQUEST_ID, ValueFormat.DISCLOSURE_REQUEST_STATE,
            Cleanup.COMPACT, Set.of(CENSUS_INGEST), Set.of(CENSUS_INGEST), Optional.empty(),
            "Case-by-case disclosure requests, latest state per request (pending approval, approved, refused, expired)");
    /**
     * The named pupils of approved requests, one record per pupil keyed by UPN, published in the transaction that records
     * the approval. Routed by the router's census task that owns the pupil, so it must have as many partitions as
     * {@link #CENSUS_RECORDS} (both take the deployment's default; the router refuses to start otherwise).
     */
    public static final TopicSpec REQUESTED_PUPILS = new TopicSpec("disclosure.requested-pupils", KeyFormat.UPN, ValueFormat.DISCLOSURE_REQUEST,
            Cleanup.DELETE, Set.of(CENSUS_INGEST), Set.of(SHARING_ROUTER), Optional.empty(),
            "The named pupils of approved case-by-case requests, routed like census records (as many partitions as census.pupil-records)");
    public static final TopicSpec CENSUS_DEAD_LETTERS = new TopicSpec(deadLettersOf(CENSUS_RECORDS.name()), KeyFormat.SOURCE_KEY,
            ValueFormat.SOURCE_RECORD, Cleanup.DELETE, Set.of(SHARING_ROUTER), Set.of(), Optional.empty(),
            "Census records the router cannot decide on, with the reason");
    public static final TopicSpec REQUESTED_PUPILS_DEAD_LETTERS = new TopicSpec(deadLettersOf(REQUESTED_PUPILS.name()), KeyFormat.SOURCE_KEY,
            ValueFormat.SOURCE_RECORD, Cleanup.DELETE, Set.of(SHARING_ROUTER), Set.of(), Optional.empty(),
            "Requested pupils the router cannot decide on (undecodable, or naming a recipient that is not on-request), with the reason");
    public static final TopicSpec AUDIT_DISCLOSURES = new TopicSpec("audit.disclosures", KeyFormat.UPN, ValueFormat.DISCLOSURE_EVENT, Cleanup.DELETE,
            Set.of(SHARING_ROUTER), Set.of(AUDIT_SERVICE), Optional.empty(),
            "One DisclosureEvent per decision, in the same transaction as the recipient record");
    public static final TopicSpec AUDIT_DELIVERIES = new TopicSpec("audit.deliveries", KeyFormat.DISCLOSURE_ID, ValueFormat.DELIVERY_RECEIPT,
            Cleanup.DELETE, Set.of(RECIPIENT_ADAPTERS), Set.of(AUDIT_SERVICE), Optional.empty(),
            "One DeliveryReceipt per delivery outcome of a disclosure to a recipient that does not read Kafka");
    public static final TopicSpec AUDIT_CHAIN_HEADS = new TopicSpec("audit.chain-heads", KeyFormat.CHAIN_ID, ValueFormat.CHAIN_HEAD, Cleanup.COMPACT,
            Set.of(AUDIT_SERVICE), Set.of(AUDIT_SERVICE), Optional.empty(),
            "Signed heads of the audit chains, published outside the database", 1);
    public static final TopicSpec AUDIT_DISCLOSURES_DEAD_LETTERS = new TopicSpec(deadLettersOf(AUDIT_DISCLOSURES.name()), KeyFormat.SOURCE_KEY,
            ValueFormat.SOURCE_RECORD, Cleanup.DELETE, Set.of(AUDIT_SERVICE), Set.of(), Optional.empty(),
            "Disclosure events that cannot be decoded or stored (not in the audit trail: investigate)");
    public static final TopicSpec AUDIT_DELIVERIES_DEAD_LETTERS = new TopicSpec(deadLettersOf(AUDIT_DELIVERIES.name()), KeyFormat.SOURCE_KEY,
            ValueFormat.SOURCE_RECORD, Cleanup.DELETE, Set.of(AUDIT_SERVICE), Set.of(), Optional.empty(),
            "Delivery receipts that cannot be decoded or stored");

    /** The one key of {@link #POLICY_IN_FORCE}: compaction keeps only the latest publication, the policy in force. */
    public static final String POLICY_IN_FORCE_KEY = "in-force";
    public static final TopicSpec POLICY_IN_FORCE = new TopicSpec("policy.in-force", KeyFormat.POLICY_IN_FORCE, ValueFormat.POLICY_PUBLICATION,
            Cleanup.COMPACT, Set.of(SHARING_ROUTER), Set.of(CENSUS_INGEST, AUDIT_SERVICE), Optional.empty(),
            "The policy the router applies, published at each start: census-ingest previews with it, audit-service audits each change", 1);

    private static final List<TopicSpec> FIXED = List.of(CENSUS_RECORDS, CENSUS_REJECTED, CENSUS_RETURNS, OBJECTIONS, DISCLOSURE_REQUESTS,
            REQUESTED_PUPILS, CENSUS_DEAD_LETTERS, REQUESTED_PUPILS_DEAD_LETTERS, AUDIT_DISCLOSURES, AUDIT_DELIVERIES, AUDIT_CHAIN_HEADS,
            AUDIT_DISCLOSURES_DEAD_LETTERS, AUDIT_DELIVERIES_DEAD_LETTERS, POLICY_IN_FORCE);

    /** Kafka's own rule for topic names. */
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private TopicCatalog() {
    }

    /** The topics every deployment has, whatever its policy. */
    public static List<TopicSpec> fixed() {
        return FIXED;
    }

    /** A recipient of the policy and where its records go. */
    public record RecipientTopic(String recipientId, String topic, boolean readFromKafka) {
    }

    /**
     * The topic of one recipient: written by the router only; read by the recipient's own principal
     * when it consumes from Kafka, otherwise by recipient-adapters, which deliver it by webhook or file drop.
     */
    public static TopicSpec recipientTopic(RecipientTopic recipient) {
        return recipient.readFromKafka()
                ? new TopicSpec(recipient.topic(), KeyFormat.RECIPIENT_RECORD, ValueFormat.RECIPIENT_RECORD, Cleanup.DELETE, Set.of(SHARING_ROUTER), Set.of(),
                        Optional.of(recipient.recipientId()), "Minimised records for recipient " + recipient.recipientId() + ", read by its own principal")
                : new TopicSpec(recipient.topic(), KeyFormat.RECIPIENT_RECORD, ValueFormat.RECIPIENT_RECORD, Cleanup.DELETE, Set.of(SHARING_ROUTER),
                        Set.of(RECIPIENT_ADAPTERS), Optional.empty(), "Minimised records for recipient " + recipient.recipientId() + ", delivered by recipient-adapters");
    }

    /**
     * The dead-letter topic of a recipient delivered by recipient-adapters: records the recipient refused
     * or that could not be delivered in time, and records that cannot be decoded; written by the adapters only.
     */
    public static TopicSpec recipientDeadLetters(RecipientTopic recipient) {
        return new TopicSpec(deadLettersOf(recipient.topic()), KeyFormat.SOURCE_KEY, ValueFormat.SOURCE_RECORD, Cleanup.DELETE, Set.of(RECIPIENT_ADAPTERS),
                Set.of(), Optional.empty(), "Disclosures for recipient " + recipient.recipientId() + " that were refused or could not be delivered, with the reason");
    }

    /** Every topic of a deployment of this policy: the fixed ones, then each recipient's (and its dead letters when the adapters deliver it). */
    public static List<TopicSpec> all(List<RecipientTopic> recipients) {
        List<TopicSpec> all = new ArrayList<>(FIXED);
        for (RecipientTopic recipient : recipients) {
            all.add(recipientTopic(recipient));
            if (!recipient.readFromKafka()) {
                all.add(recipientDeadLetters(recipient));
            }
        }
        return List.copyOf(all);
    }

    public static String deadLettersOf(String sourceTopic) {
        return sourceTopic + DEAD_LETTER_SUFFIX;
    }

    /**
     * Why a recipient's topic name cannot be used, or empty when it can: it must be a legal Kafka
     * topic name in the recipient family ({@code recipient.<something>}), which no fixed topic is in.
     */
    public static Optional<String> problemWithRecipientTopic(String topic) {
        if (!LEGAL_TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            return Optional.of("'" + topic + "' is not a legal Kafka topic name (letters, digits, '.', '_' and '-', at most 249)");
        }
        if (!topic.startsWith(RECIPIENT_TOPIC_PREFIX) || topic.length() == RECIPIENT_TOPIC_PREFIX.length()) {
            return Optional.of("a recipient topic must be named " + RECIPIENT_TOPIC_PREFIX + "<name>, was '" + topic + "'");
        }
        if (topic.endsWith(DEAD_LETTER_SUFFIX)) {
            return Optional.of("'" + topic + "' would be taken for a dead-letter topic");
        }
        return Optional.empty();
    }

    /** Two topic names with the same collision form clash in Kafka (its metric names treat '.' and '_' alike). */
    public static String collisionForm(String topic) {
        return topic.replace('.', '_');
    }
}
