package org.pupilflow.schemas.kafka;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.pupilflow.schemas.SchemaCatalog;
import org.pupilflow.sharing.DeletionDue;
import org.pupilflow.sharing.DeletionRequest;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * The three kinds of record on a recipient's topic: a disclosure, a request to delete disclosures already sent (an
 * objection came after them), and a notice that their delete-by date has passed. The router marks each with the
 * {@value #KIND_HEADER} header; a record without it (written before the header existed) is told apart by its Avro
 * single-object fingerprint, so readers never have to guess.
 */
public final class RecipientRecords {

    public static final String KIND_HEADER = "pupilflow.record-kind";

    public enum Kind {
        DISCLOSURE("disclosure", PupilDisclosure.class),
        DELETION_REQUEST("deletion-request", DeletionRequest.class),
        DELETION_DUE("deletion-due", DeletionDue.class);

        private final String header;
        private final Class<? extends SpecificRecord> type;

        Kind(String header, Class<? extends SpecificRecord> type) {
            this.header = header;
            this.type = type;
        }

        /** The header value, e.g. {@code deletion-request}. */
        public String header() {
            return header;
        }

        public Class<? extends SpecificRecord> type() {
            return type;
        }
    }

    private static final Map<Long, Kind> FINGERPRINTS = fingerprints();
    private static final Map<Kind, AvroSingleObjectDeserializer<? extends SpecificRecord>> READERS = readers();

    private RecipientRecords() {
    }

    /** Adds the kind header. */
    public static Headers mark(Headers headers, Kind kind) {
        headers.remove(KIND_HEADER);
        headers.add(KIND_HEADER, kind.header().getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** The record's kind: from its header, else from the value's fingerprint; empty when neither says. */
    public static Optional<Kind> kindOf(Headers headers, byte[] value) {
        Header header = headers == null ? null : headers.lastHeader(KIND_HEADER);
        if (header != null) {
            String name = new String(header.value(), StandardCharsets.UTF_8);
            for (Kind kind : Kind.values()) {
                if (kind.header().equals(name)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
        if (value == null || value.length < 10 || value[0] != (byte) 0xC3 || value[1] != 0x01) {
            return Optional.empty();
        }
        long fingerprint = ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return Optional.ofNullable(FINGERPRINTS.get(fingerprint));
    }

    /** Decodes a recipient-topic value as its kind's message type. */
    public static SpecificRecord decode(String topic, Headers headers, byte[] value) {
        Kind kind = kindOf(headers, value).orElseThrow(() -> new SerializationException(
                "Record on topic " + topic + " is neither a PupilDisclosure, a DeletionRequest nor a DeletionDue (no " + KIND_HEADER
                        + " header, and no known schema fingerprint)"));
        return READERS.get(kind).deserialize(topic, value);
    }

    private static Map<Long, Kind> fingerprints() {
        Map<Long, Kind> fingerprints = new HashMap<>();
        for (Kind kind : Kind.values()) {
            Schema current = SpecificData.get().getSchema(kind.type());
            fingerprints.put(SchemaNormalization.parsingFingerprint64(current), kind);
            for (SchemaCatalog.ReleasedVersion release : SchemaCatalog.released()) {
                Schema released = release.schemas().get(current.getFullName());
                if (released != null) {
                    fingerprints.put(SchemaNormalization.parsingFingerprint64(released), kind);
                }
            }
        }
        return Map.copyOf(fingerprints);
    }

    private static Map<Kind, AvroSingleObjectDeserializer<? extends SpecificRecord>> readers() {
        Map<Kind, AvroSingleObjectDeserializer<? extends SpecificRecord>> readers = new java.util.EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            readers.put(kind, new AvroSingleObjectDeserializer<>(kind.type()));
        }
        return readers;
    }
}
