package org.pupilflow.schemas.topics;

import java.util.Optional;
import java.util.Set;

/**
 * One topic of the contract: its name, what its keys and values are, how it is cleaned up, and
 * who may write and read it. The broker's access rules are derived from these, so a service can
 * use a topic only if its spec says so.
 *
 * @param name            the topic's name
 * @param key             what the keys are
 * @param value           what the values are
 * @param cleanup         its cleanup policy
 * @param writers         the services that write it
 * @param readers         the services that read it
 * @param recipientReader for a recipient topic delivered by Kafka, the recipient id whose own principal reads it
 * @param purpose         what the topic is for, in a sentence
 * @param partitions      a partition count the topic needs whatever the deployment's default, or {@link #DEFAULT_PARTITIONS}
 */
public record TopicSpec(String name, KeyFormat key, ValueFormat value, Cleanup cleanup, Set<Service> writers, Set<Service> readers,
                        Optional<String> recipientReader, String purpose, int partitions) {

    /** {@code partitions} of a topic with the deployment's default partition count. */
    public static final int DEFAULT_PARTITIONS = 0;

    public TopicSpec(String name, KeyFormat key, ValueFormat value, Cleanup cleanup, Set<Service> writers, Set<Service> readers,
                     Optional<String> recipientReader, String purpose) {
        this(name, key, value, cleanup, writers, readers, recipientReader, purpose, DEFAULT_PARTITIONS);
    }

    /** The partition count to create the topic with: its own, or the deployment's default. */
    public int partitionsOr(int deploymentDefault) {
        return partitions == DEFAULT_PARTITIONS ? deploymentDefault : partitions;
    }

    public TopicSpec {
        writers = Set.copyOf(writers);
        readers = Set.copyOf(readers);
        recipientReader = recipientReader == null ? Optional.empty() : recipientReader;
    }

    /** A recipient's own topic (not its dead letters). */
    public boolean isRecipientTopic() {
        return name.startsWith(TopicCatalog.RECIPIENT_TOPIC_PREFIX) && !name.endsWith(TopicCatalog.DEAD_LETTER_SUFFIX);
    }
}
