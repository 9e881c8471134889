package org.pupilflow.adapters.delivery;

import java.time.Instant;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.pupilflow.schemas.kafka.RecipientRecords;
import org.pupilflow.sharing.DeletionDue;
import org.pupilflow.sharing.DeletionRequest;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * One record of a recipient topic between fetching and its delivery outcome, with its attempts so far:
 * a disclosure, a deletion request or a deletion-due notice ({@link RecipientRecords.Kind}), each with
 * its own unique {@linkplain #id() id}. Only the worker thread of its recipient touches it.
 */
public final class Pending {

    private final int partition;
    private final long offset;
    private final Instant disclosedAt;
    private final String key;
    private final byte[] value;
    private final RecipientRecords.Kind kind;
    private final SpecificRecord record;
    private final String id;
    private final String undecodable;
    private final Instant fetchedAt;
    private Header[] headers = new Header[0];
    private int attempts;
    private Instant nextAttemptAt = Instant.MIN;

    private Pending(int partition, long offset, Instant disclosedAt, String key, byte[] value, RecipientRecords.Kind kind, SpecificRecord record,
                    String id, String undecodable, Instant fetchedAt) {
        this.partition = partition;
        this.offset = offset;
        this.disclosedAt = disclosedAt;
        this.key = key;
        this.value = value;
        this.kind = kind;
        this.record = record;
        this.id = id;
        this.undecodable = undecodable;
        this.fetchedAt = fetchedAt;
    }

    /**
     * A decoded record of one of the three kinds.
     *
     * @throws IllegalArgumentException if {@code record} is of none of them
     */
    public static Pending of(int partition, long offset, Instant disclosedAt, String key, byte[] value, SpecificRecord record, Instant fetchedAt) {
        if (record instanceof PupilDisclosure disclosure) {
            return new Pending(partition, offset, disclosedAt, key, value, RecipientRecords.Kind.DISCLOSURE, record, disclosure.getDisclosureId(), null,
                    fetchedAt);
        }
        if (record instanceof DeletionRequest request) {
            return new Pending(partition, offset, disclosedAt, key, value, RecipientRecords.Kind.DELETION_REQUEST, record, request.getRequestId(), null,
                    fetchedAt);
        }
        if (record instanceof DeletionDue notice) {
            return new Pending(partition, offset, disclosedAt, key, value, RecipientRecords.Kind.DELETION_DUE, record, notice.getNoticeId(), null,
                    fetchedAt);
        }
        throw new IllegalArgumentException("Not a record of a recipient topic: " + (record == null ? "null" : record.getClass().getName()));
    }

    /** A record of none of the three kinds: it goes to the dead letters with {@code why}, never silently skipped. */
    public static Pending undecodable(int partition, long offset, Instant disclosedAt, String key, byte[] value, String why, Instant fetchedAt) {
        return new Pending(partition, offset, disclosedAt, key, value, null, null, null, why, fetchedAt);
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

    /** The record's own headers (the kind header among them), which its dead letter keeps. */
    public Header[] headers() {
        return headers.clone();
    }

    /** Keeps the source record's headers, so a dead letter carries them unchanged (the dead-letter convention). */
    public Pending withHeaders(Header[] source) {
        this.headers = source == null ? new Header[0] : source.clone();
        return this;
    }

    /** The record's kind, or null for an undecodable record. */
    public RecipientRecords.Kind kind() {
        return kind;
    }

    /** The decoded record, or null for an undecodable record. */
    public SpecificRecord record() {
        return record;
    }

    /**
     * The record's own id — disclosure id, request id or notice id — or null for an undecodable record. It is
     * the receipt's {@code disclosureId} (audit-service links the receipt to the DISCLOSED, DELETION_REQUESTED or
     * DELETION_DUE event with that id) and the webhook id.
     */
    public String id() {
        return id;
    }

    /** The disclosure, or null when the record is not one (a deletion request or notice, or undecodable). */
    public PupilDisclosure disclosure() {
        return record instanceof PupilDisclosure disclosure ? disclosure : null;
    }

    public boolean decodable() {
        return record != null;
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
