package org.pupilflow.schemas.kafka;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericArray;
import org.apache.avro.generic.IndexedRecord;
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
    /** Turns the decoded record's arrays into lists; null when the record type has no array. */
    private ListPlan lists;
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
        SpecificData model = model(recordType);
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
        this.lists = ListPlan.of(readerSchema);
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
            T record = reader.read(null, decoder);
            if (lists != null) {
                lists.apply(record);
            }
            return record;
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
     * The model records are decoded with: a plain {@link SpecificData} (Avro's fast reader serves only exactly
     * {@code SpecificData} or {@code GenericData}, not a subclass: with a subclass every field went through a resolving
     * decoder and decoding took more than twice as long) with the record type's logical-type conversions.
     */
    private static SpecificData model(Class<?> recordType) {
        SpecificData model = new SpecificData(recordType.getClassLoader());
        SpecificData.getForClass(recordType).getConversions().forEach(model::addLogicalTypeConversion);
        model.setFastReaderEnabled(true);
        return model;
    }

    /**
     * Replaces, in place, every array of a decoded record (at any depth) with a {@link java.util.ArrayList}: Avro's
     * {@code GenericData.Array} compares elements with a model that lacks the logical-type conversions, so a decoded
     * record holding a date inside a list would not compare equal to (or would throw against) the record it was
     * encoded from. Planned once per schema: only the fields that can hold an array are visited (visiting every field
     * cost more than decoding the record).
     */
    @FunctionalInterface
    interface ListPlan {
        Object apply(Object value);

        /** The plan for values of {@code schema}, or null when they can hold no array. */
        static ListPlan of(Schema schema) {
            return of(schema, new java.util.IdentityHashMap<>());
        }

        private static ListPlan of(Schema schema, Map<Schema, ListPlan[]> visiting) {
            switch (schema.getType()) {
                case ARRAY -> {
                    ListPlan elements = of(schema.getElementType(), visiting);
                    return value -> {
                        List<?> array = (List<?>) value;
                        ArrayList<Object> list = new ArrayList<>(array.size());
                        for (Object element : array) {
                            list.add(elements == null || element == null ? element : elements.apply(element));
                        }
                        return list;
                    };
                }
                case MAP -> {
                    ListPlan values = of(schema.getValueType(), visiting);
                    if (values == null) {
                        return null;
                    }
                    return value -> {
                        @SuppressWarnings("unchecked")
                        Map<Object, Object> map = (Map<Object, Object>) value;
                        map.replaceAll((key, entry) -> entry == null ? null : values.apply(entry));
                        return map;
                    };
                }
                case UNION -> {
                    List<Schema> types = schema.getTypes();
                    List<ListPlan> plans = new ArrayList<>();
                    for (Schema type : types) {
                        plans.add(type.getType() == Schema.Type.NULL ? null : of(type, visiting));
                    }
                    if (plans.stream().allMatch(java.util.Objects::isNull)) {
                        return null;
                    }
                    long nonNull = types.stream().filter(type -> type.getType() != Schema.Type.NULL).count();
                    if (nonNull == 1) {
                        return plans.stream().filter(java.util.Objects::nonNull).findFirst().orElseThrow();
                    }
                    return AvroSingleObjectDeserializer::withLists;
                }
                case RECORD -> {
                    ListPlan[] cell = visiting.get(schema);
                    if (cell != null) {
                        // A recursive record: planned on first use through the cell filled below.
                        return value -> cell[0] == null ? value : cell[0].apply(value);
                    }
                    ListPlan[] planned = new ListPlan[1];
                    visiting.put(schema, planned);
                    List<Schema.Field> fields = schema.getFields();
                    List<int[]> positions = new ArrayList<>();
                    List<ListPlan> plans = new ArrayList<>();
                    for (Schema.Field field : fields) {
                        ListPlan plan = of(field.schema(), visiting);
                        if (plan != null) {
                            positions.add(new int[] {field.pos()});
                            plans.add(plan);
                        }
                    }
                    if (plans.isEmpty()) {
                        return null;
                    }
                    int[] at = positions.stream().mapToInt(position -> position[0]).toArray();
                    ListPlan[] of = plans.toArray(ListPlan[]::new);
                    planned[0] = value -> {
                        IndexedRecord record = (IndexedRecord) value;
                        for (int i = 0; i < at.length; i++) {
                            Object field = record.get(at[i]);
                            if (field != null) {
                                Object replaced = of[i].apply(field);
                                if (replaced != field) {
                                    record.put(at[i], replaced);
                                }
                            }
                        }
                        return record;
                    };
                    return planned[0];
                }
                default -> {
                    return null;
                }
            }
        }
    }

    /** The same, found by looking at each value (for a union of several types that can hold arrays; none so far). */
    private static Object withLists(Object value) {
        if (value instanceof IndexedRecord record) {
            List<Schema.Field> fields = record.getSchema().getFields();
            for (int i = 0; i < fields.size(); i++) {
                Object field = record.get(i);
                Object replaced = withLists(field);
                if (replaced != field) {
                    record.put(i, replaced);
                }
            }
            return record;
        }
        if (value instanceof GenericArray<?> array) {
            ArrayList<Object> list = new ArrayList<>(array.size());
            for (Object element : array) {
                list.add(withLists(element));
            }
            return list;
        }
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> entries = (Map<Object, Object>) map;
            entries.replaceAll((key, entry) -> withLists(entry));
            return map;
        }
        return value;
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
