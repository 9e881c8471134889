package org.pupilflow.schemas.kafka;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.pupilflow.schemas.SchemaCatalog;
import org.pupilflow.schemas.SchemaCatalog.ReleasedVersion;

/**
 * Reads Avro single-object encoded records into the current generated class, resolving data
 * written with any released version of the schema (all bundled in the schemas jar).
 *
 * <p>Bytes that are not single-object encoded, or that carry a fingerprint of no known writer
 * schema, fail with a {@link SerializationException} whose message names the fingerprint and the
 * expected type, so a dead-letter record says what was wrong.
 */
public class AvroSingleObjectDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private Class<T> type;
    private BinaryMessageDecoder<T> decoder;

    public AvroSingleObjectDeserializer() {
    }

    public AvroSingleObjectDeserializer(Class<T> type) {
        init(type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (decoder == null) {
            init(AvroTypeConfig.recordType(configs, isKey));
        }
    }

    private void init(Class<T> recordType) {
        this.type = recordType;
        Schema readerSchema = SpecificData.get().getSchema(recordType);
        long currentFingerprint = SchemaNormalization.parsingFingerprint64(readerSchema);
        Map<Long, Schema> writers = new HashMap<>();
        for (ReleasedVersion release : SchemaCatalog.released()) {
            Schema released = release.schemas().get(readerSchema.getFullName());
            if (released != null) {
                long fingerprint = SchemaNormalization.parsingFingerprint64(released);
                if (fingerprint != currentFingerprint) {
                    writers.put(fingerprint, released);
                }
            }
        }
        SchemaStore releasedWriters = writers::get;
        this.decoder = new BinaryMessageDecoder<>(new ListDecodingData(recordType), readerSchema, releasedWriters);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (decoder == null) {
            throw new IllegalStateException("AvroSingleObjectDeserializer has no record type: construct it with one or configure "
                    + AvroTypeConfig.VALUE_TYPE + " / " + AvroTypeConfig.KEY_TYPE);
        }
        try {
            return decoder.decode(data);
        } catch (MissingSchemaException e) {
            throw new UnknownSchemaException(type.getName(), fingerprintOf(data), topic);
        } catch (BadHeaderException e) {
            throw new SerializationException("Record on topic " + topic + " is not Avro single-object encoded (expected marker C3 01 and an 8-byte fingerprint; "
                    + data.length + " bytes, first bytes " + hexPrefix(data) + ") so it cannot be read as " + type.getName(), e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Record on topic " + topic + " with schema fingerprint " + fingerprintOf(data)
                    + " cannot be decoded as " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes arrays as {@link java.util.ArrayList} rather than Avro's {@code GenericData.Array},
     * whose {@code equals} compares with a model that lacks the logical-type conversions, so a
     * decoded record holding a date inside a list would not compare equal to (or would throw
     * against) the record it was encoded from.
     */
    private static final class ListDecodingData extends SpecificData {
        ListDecodingData(Class<?> recordType) {
            super(recordType.getClassLoader());
            SpecificData.getForClass(recordType).getConversions().forEach(this::addLogicalTypeConversion);
        }

        @Override
        public Object newArray(Object old, int size, Schema schema) {
            if (old instanceof java.util.ArrayList<?> reusable) {
                reusable.clear();
                return reusable;
            }
            return new java.util.ArrayList<>(size);
        }
    }

    /** The writer fingerprint as hex (the 8 little-endian bytes after the marker, as a 64-bit value). */
    static String fingerprintOf(byte[] data) {
        if (data.length < 10) {
            return "(none: record too short)";
        }
        long fingerprint = 0;
        for (int i = 9; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (data[i] & 0xFF);
        }
        return String.format("0x%016x", fingerprint);
    }

    private static String hexPrefix(byte[] data) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(4, data.length); i++) {
            hex.append(String.format("%02X", data[i]));
        }
        return hex.toString();
    }
}
