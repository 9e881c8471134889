package org.pupilflow.schemas.kafka;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
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

    /** Marker (2 bytes) and writer fingerprint (8 bytes). */
    private static final int HEADER_BYTES = 10;

    private Class<T> type;
    /** A reader per known writer fingerprint: the current schema's, and each released version's resolving into it. */
    private Map<Long, DatumReader<T>> readers;
    /** Each thread's decoder, reused from record to record (it only points at the array it reads). */
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

    public AvroSingleObjectDeserializer() {
    }

    public AvroSingleObjectDeserializer(Class<T> type) {
        init(type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (readers == null) {
            init(AvroTypeConfig.recordType(configs, isKey));
        }
    }

    @SuppressWarnings("unchecked")
    private void init(Class<T> recordType) {
        this.type = recordType;
        Schema readerSchema = SpecificData.get().getSchema(recordType);
        long currentFingerprint = SchemaNormalization.parsingFingerprint64(readerSchema);
        ListDecodingData model = new ListDecodingData(recordType);
        Map<Long, DatumReader<T>> byWriter = new HashMap<>();
        byWriter.put(currentFingerprint, (DatumReader<T>) model.createDatumReader(readerSchema, readerSchema));
        for (ReleasedVersion release : SchemaCatalog.released()) {
            Schema released = release.schemas().get(readerSchema.getFullName());
            if (released != null) {
                long fingerprint = SchemaNormalization.parsingFingerprint64(released);
                if (fingerprint != currentFingerprint) {
                    // Data written with a released version is resolved into the current class.
                    byWriter.put(fingerprint, (DatumReader<T>) model.createDatumReader(released, readerSchema));
                }
            }
        }
        this.readers = Map.copyOf(byWriter);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (readers == null) {
            throw new IllegalStateException("AvroSingleObjectDeserializer has no record type: construct it with one or configure "
                    + AvroTypeConfig.VALUE_TYPE + " / " + AvroTypeConfig.KEY_TYPE);
        }
        if (data.length < HEADER_BYTES || data[0] != (byte) 0xC3 || data[1] != (byte) 0x01) {
            throw new SerializationException("Record on topic " + topic + " is not Avro single-object encoded (expected marker C3 01 and an 8-byte fingerprint; "
                    + data.length + " bytes, first bytes " + hexPrefix(data) + ") so it cannot be read as " + type.getName());
        }
        DatumReader<T> reader = readers.get(fingerprint(data));
        if (reader == null) {
            throw new UnknownSchemaException(type.getName(), fingerprintOf(data), topic);
        }
        try {
            // The body straight from the array (Avro's message decoder reads it through an InputStream, field by field).
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, HEADER_BYTES, data.length - HEADER_BYTES, decoders.get());
            decoders.set(decoder);
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Record on topic " + topic + " with schema fingerprint " + fingerprintOf(data)
                    + " cannot be decoded as " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    /** The writer fingerprint: the 8 little-endian bytes after the marker. */
    private static long fingerprint(byte[] data) {
        long fingerprint = 0;
        for (int i = 9; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (data[i] & 0xFF);
        }
        return fingerprint;
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
