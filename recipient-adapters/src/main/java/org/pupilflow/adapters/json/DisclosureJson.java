package org.pupilflow.adapters.json;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.pupilflow.sharing.PupilDisclosure;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/**
 * A {@link PupilDisclosure} as a plain JSON document (UTF-8), for recipients that do not read
 * Avro: the document is exactly the record, described by the published
 * {@linkplain DisclosureJsonSchema JSON Schema}.
 *
 * <p>The mapping walks the Avro schema, so a new census unit appears in the JSON (and its schema)
 * without code changes: records become objects with their fields in schema order; a null-valued
 * optional field is left out (a unit the recipient may not see is absent, not {@code null});
 * enums become their symbol; arrays and maps become arrays and objects (map keys sorted);
 * {@code date} becomes {@code "2014-05-01"} and timestamps ISO-8601 instants. The output is
 * compact and deterministic: the same record always gives the same bytes, so a signature or a
 * hash over them is repeatable.
 */
public final class DisclosureJson {

    private static final JsonFactory JSON = new JsonFactory();

    private DisclosureJson() {
    }

    /** The disclosure as compact JSON in UTF-8. */
    public static byte[] toJson(PupilDisclosure disclosure) {
        return toJson((IndexedRecord) disclosure);
    }

    /**
     * Any Avro record (specific or generic) by the same mapping.
     *
     * @throws IllegalArgumentException naming the field, if a required field is null or the
     *                                  schema uses a type with no JSON mapping (bytes, fixed, other unions)
     */
    public static byte[] toJson(IndexedRecord record) {
        return toJson(record, null);
    }

    /**
     * The record by the same mapping, with a leading {@code "type": type} property when {@code type} is not
     * null: how a webhook receiver tells a deletion request or notice from a disclosure (whose documents,
     * published without {@code type}, stay as they were).
     */
    static byte[] toJson(IndexedRecord record, String type) {
        if (type != null && record.getSchema().getField(AvroJsonMapping.TYPE_PROPERTY) != null) {
            throw new IllegalArgumentException(record.getSchema().getFullName() + " has a field named " + AvroJsonMapping.TYPE_PROPERTY
                    + ", which the payload's type would collide with");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            writeRecord(json, record.getSchema(), record, type);
        }
        return out.toByteArray();
    }

    private static void writeRecord(JsonGenerator json, Schema schema, IndexedRecord record) {
        writeRecord(json, schema, record, null);
    }

    private static void writeRecord(JsonGenerator json, Schema schema, IndexedRecord record, String type) {
        json.writeStartObject();
        if (type != null) {
            json.writeName(AvroJsonMapping.TYPE_PROPERTY);
            json.writeString(type);
        }
        for (Schema.Field field : schema.getFields()) {
            Object value = record.get(field.pos());
            Schema fieldSchema = field.schema();
            if (AvroJsonMapping.isNullable(fieldSchema)) {
                if (value == null) {
                    continue;
                }
                fieldSchema = AvroJsonMapping.nonNullBranch(fieldSchema);
            }
            json.writeName(field.name());
            try {
                writeValue(json, fieldSchema, value);
            } catch (UnmappableValueException e) {
                throw e.within(field.name());
            } catch (IllegalArgumentException | ClassCastException e) {
                throw new UnmappableValueException("cannot be mapped: " + e.getMessage()).within(field.name());
            }
        }
        json.writeEndObject();
    }

    private static void writeValue(JsonGenerator json, Schema schema, Object value) {
        if (value == null && schema.getType() != Schema.Type.UNION) {
            throw new UnmappableValueException("is null, but its schema does not allow null");
        }
        switch (schema.getType()) {
            case RECORD -> writeRecord(json, schema, (IndexedRecord) value);
            case UNION -> {
                // Only inside arrays and maps: an element cannot be left out, so null stays null.
                Schema branch = AvroJsonMapping.nonNullBranch(schema);
                if (value == null) {
                    json.writeNull();
                } else {
                    writeValue(json, branch, value);
                }
            }
            case ENUM -> json.writeString(value instanceof Enum<?> symbol ? symbol.name() : value.toString());
            case ARRAY -> {
                json.writeStartArray();
                int index = 0;
                for (Object item : (Collection<?>) value) {
                    try {
                        writeValue(json, schema.getElementType(), item);
                    } catch (UnmappableValueException e) {
                        throw e.within("[" + index + "]");
                    }
                    index++;
                }
                json.writeEndArray();
            }
            case MAP -> {
                // Avro maps have no order; sorting the keys keeps the bytes repeatable.
                Map<String, Object> sorted = new TreeMap<>();
                ((Map<?, ?>) value).forEach((key, item) -> sorted.put(key.toString(), item));
                json.writeStartObject();
                for (Map.Entry<String, Object> entry : sorted.entrySet()) {
                    json.writeName(entry.getKey());
                    try {
                        writeValue(json, schema.getValueType(), entry.getValue());
                    } catch (UnmappableValueException e) {
                        throw e.within("[" + entry.getKey() + "]");
                    }
                }
                json.writeEndObject();
            }
            case STRING -> json.writeString(value.toString());
            case INT -> {
                if (AvroJsonMapping.logical(schema) == AvroJsonMapping.Logical.DATE) {
                    LocalDate date = value instanceof LocalDate localDate ? localDate : LocalDate.ofEpochDay((Integer) value);
                    json.writeString(date.toString());
                } else {
                    json.writeNumber((Integer) value);
                }
            }
            case LONG -> {
                switch (AvroJsonMapping.logical(schema)) {
                    case TIMESTAMP_MILLIS -> json.writeString(instant(value, ChronoUnit.MILLIS));
                    case TIMESTAMP_MICROS -> json.writeString(instant(value, ChronoUnit.MICROS));
                    default -> json.writeNumber((Long) value);
                }
            }
            case BOOLEAN -> json.writeBoolean((Boolean) value);
            case FLOAT -> json.writeNumber(finite((Float) value));
            case DOUBLE -> json.writeNumber(finite((Double) value));
            default -> throw new UnmappableValueException("has Avro type " + schema.getType() + ", which has no JSON mapping");
        }
    }

    private static String instant(Object value, ChronoUnit unit) {
        Instant instant = value instanceof Instant given ? given : Instant.EPOCH.plus((Long) value, unit);
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    /** JSON has no NaN or infinity; writing them as strings would break the published schema. */
    private static <N extends Number> N finite(N number) {
        if (!Double.isFinite(number.doubleValue())) {
            throw new UnmappableValueException("is " + number + ", which JSON cannot represent");
        }
        return number;
    }

    /** Builds the path to the offending value on the way out, so the hot path carries no path. */
    private static final class UnmappableValueException extends IllegalArgumentException {
        private final String path;
        private final String problem;

        UnmappableValueException(String problem) {
            this(null, problem);
        }

        private UnmappableValueException(String path, String problem) {
            super(path == null ? problem : "Field " + path + " " + problem);
            this.path = path;
            this.problem = problem;
        }

        UnmappableValueException within(String step) {
            String joined = path == null ? step : path.startsWith("[") ? step + path : step + "." + path;
            return new UnmappableValueException(joined, problem);
        }
    }
}
