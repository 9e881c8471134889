package org.pupilflow.access;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.pupilflow.schemas.topics.BrokerIdentity;
import org.pupilflow.schemas.topics.Service;
import org.pupilflow.schemas.topics.TopicCatalog;
import org.pupilflow.schemas.topics.TopicSpec;

/**
 * The topic catalog and the principals as Markdown tables: the ones in {@code DESIGN.md} are this
 * text (a test checks it), and {@code pupilflow-admin catalog} prints them.
 */
public final class TopicTable {

    private TopicTable() {
    }

    /** Every fixed topic, then one row standing for the recipient topics of a policy. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| Topic | Key | Value | Cleanup | Written by | Read by | What for |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (TopicSpec topic : TopicCatalog.fixed()) {
            out.append(row(topic.name(), topic));
        }
        TopicSpec recipient = TopicCatalog.recipientTopic(new TopicCatalog.RecipientTopic("<id>", TopicCatalog.RECIPIENT_TOPIC_PREFIX + "<id>", true));
        TopicSpec deadLetters = TopicCatalog.recipientDeadLetters(new TopicCatalog.RecipientTopic("<id>", TopicCatalog.RECIPIENT_TOPIC_PREFIX + "<id>", false));
        String recipientRow = "| `recipient.<id>` (one per recipient of the policy) | ";
        out.append(recipientRow).append(text(recipient.key().description())).append(" | ")
                .append(text(recipient.value().description())).append(" | ").append(recipient.cleanup().config()).append(" | ")
                .append(services(recipient.writers())).append(" | the recipient's own principal `recipient-<id>`, or recipient-adapters for webhook and file-drop delivery | ")
                .append("Minimised records for one recipient").append(" |\n");
        out.append("| `recipient.<id>" + TopicCatalog.DEAD_LETTER_SUFFIX + "` (recipients delivered by webhook or file drop) | ").append(text(deadLetters.key().description()))
                .append(" | ").append(text(deadLetters.value().description())).append(" | ").append(deadLetters.cleanup().config()).append(" | ")
                .append(services(deadLetters.writers())).append(" | (operators) | Disclosures the recipient refused or that could not be delivered in time, with the reason |\n");
        return out.toString();
    }

    private static String row(String name, TopicSpec topic) {
        String partitions = topic.partitions() == TopicSpec.DEFAULT_PARTITIONS ? "" : " (" + topic.partitions() + " partition)";
        return "| `" + name + "`" + partitions + " | " + text(topic.key().description()) + " | " + text(topic.value().description()) + " | " + topic.cleanup().config()
                + " | " + services(topic.writers()) + " | " + (topic.readers().isEmpty() ? "(operators)" : services(topic.readers())) + " | "
                + topic.purpose() + " |\n";
    }

    /** Each principal's identity and topics, as derived for any policy: the table in DESIGN.md's "Broker access". */
    public static String principalsMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append("| Principal | Consumer group | Transactional ids | May read | May write |\n");
        out.append("|---|---|---|---|---|\n");
        for (Service service : Service.values()) {
            BrokerIdentity identity = BrokerIdentity.of(service);
            List<String> reads = new ArrayList<>();
            List<String> writes = new ArrayList<>();
            for (TopicSpec topic : TopicCatalog.fixed()) {
                if (topic.readers().contains(service)) {
                    reads.add("`" + topic.name() + "`");
                }
                if (topic.writers().contains(service)) {
                    writes.add("`" + topic.name() + "`");
                }
            }
            if (service == Service.SHARING_ROUTER) {
                writes.add("every recipient topic");
            }
            if (service == Service.RECIPIENT_ADAPTERS) {
                reads.add("the topics of webhook and file-drop recipients");
                writes.add("their `" + TopicCatalog.DEAD_LETTER_SUFFIX + "` topics");
            }
            identity.internalTopicPrefix().ifPresent(prefix -> writes.add("all on its own `" + prefix + "*` internal topics"));
            out.append("| `").append(identity.principal()).append("` | ")
                    .append(identity.consumerGroup().map(group -> "`" + group + "`")
                            .or(() -> identity.consumerGroupPrefix().map(prefix -> "any starting `" + prefix + "` (one per recipient)"))
                            .orElse("none (reads by assignment)")).append(" | ")
                    .append(identity.transactionalIdPrefix().map(prefix -> "`" + prefix + "*`").orElse("none")).append(" | ")
                    .append(reads.isEmpty() ? "nothing" : String.join(", ", reads)).append(" | ")
                    .append(writes.isEmpty() ? "nothing" : String.join(", ", writes)).append(" |\n");
        }
        BrokerIdentity recipient = BrokerIdentity.ofRecipient("<id>");
        out.append("| `").append(recipient.principal()).append("` (each recipient that reads Kafka) | `").append(recipient.consumerGroup().orElseThrow())
                .append("`, or any starting `").append(recipient.consumerGroupPrefix().orElseThrow()).append("` | none | its own `")
                .append(TopicCatalog.RECIPIENT_TOPIC_PREFIX).append("<id>` | nothing |\n");
        return out.toString();
    }

    /** Plain text in a Markdown cell: angle brackets would be read as HTML. */
    private static String text(String plain) {
        return plain.replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|");
    }

    private static String services(java.util.Set<Service> services) {
        return services.stream().sorted().map(Service::id).collect(Collectors.joining(", "));
    }

    /** The lines between the two markers of a document, or null when it has no such block. */
    public static String between(String document, String start, String end) {
        int from = document.indexOf(start);
        int to = document.indexOf(end);
        if (from < 0 || to < from) {
            return null;
        }
        return document.substring(from + start.length(), to).strip() + "\n";
    }
}
