package org.pupilflow.adapters.delivery;

import java.time.Instant;

import org.pupilflow.sharing.PupilDisclosure;

/**
 * One record of a recipient topic between fetching and its delivery outcome, with its attempts so far.
 * Only the worker thread of its recipient touches it.
 */
public final class Pending {

    private final int partition;
    private final long offset;
    private final Instant disclosedAt;
    private final String key;
    private final byte[] value;
    private final PupilDisclosure disclosure;
    private final String undecodable;
    private final Instant fetchedAt;
    private int attempts;
    private Instant nextAttemptAt = Instant.MIN;

    private Pending(int partition, long offset, Instant disclosedAt, String key, byte[] value, PupilDisclosure disclosure, String undecodable,
                    Instant fetchedAt) {
        this.partition = partition;
        this.offset = offset;
        this.disclosedAt = disclosedAt;
        this.key = key;
        this.value = value;
        this.disclosure = disclosure;
        this.undecodable = undecodable;
        this.fetchedAt = fetchedAt;
    }

    public static Pending of(int partition, long offset, Instant disclosedAt, String key, byte[] value, PupilDisclosure disclosure, Instant fetchedAt) {
        return new Pending(partition, offset, disclosedAt, key, value, disclosure, null, fetchedAt);
    }

    /** A record that is not a PupilDisclosure: it goes to the dead letters with {@code why}, never silently skipped. */
    public static Pending undecodable(int partition, long offset, Instant disclosedAt, String key, byte[] value, String why, Instant fetchedAt) {
        return new Pending(partition, offset, disclosedAt, key, value, null, why, fetchedAt);
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    /** When the router wrote the record (its Kafka timestamp): the age limit counts from here. */
    public Instant disclosedAt() {
        return disclosedAt;
    }

    public String key() {
        return key;
    }

    public byte[] value() {
        return value;
    }

    /** The disclosure, or null for an undecodable record. */
    public PupilDisclosure disclosure() {
        return disclosure;
    }

    public boolean decodable() {
        return disclosure != null;
    }

    /** Why the record cannot be decoded, for an undecodable one. */
    public String undecodableReason() {
        return undecodable;
    }

    public Instant fetchedAt() {
        return fetchedAt;
    }

    public int attempts() {
        return attempts;
    }

    /** Counts one more attempt. */
    public int attempted() {
        return ++attempts;
    }

    /** A record delivered in a batch was attempted as often as its batch. */
    public void attemptedWithBatch(int batchAttempts) {
        attempts = Math.max(attempts, batchAttempts);
    }

    public Instant nextAttemptAt() {
        return nextAttemptAt;
    }

    public void retryAt(Instant when) {
        this.nextAttemptAt = when;
    }

    public boolean due(Instant now) {
        return !nextAttemptAt.isAfter(now);
    }
}
