package org.pupilflow.adapters.json;

import org.apache.avro.LogicalType;
import org.apache.avro.Schema;

/**
 * The parts of the Avro-to-JSON mapping that {@link DisclosureJson} (values) and
 * {@link DisclosureJsonSchema} (the schema) must agree on, so the document and its published
 * schema cannot drift apart.
 */
final class AvroJsonMapping {

    /** How a primitive Avro type is shown in JSON when it carries a logical type. */
    enum Logical {
        /** No logical type (or one such as {@code uuid} that does not change the JSON). */
        NONE,
        /** {@code date} on an int: days since the epoch, shown as an ISO-8601 date. */
        DATE,
        /** {@code timestamp-millis} on a long, shown as an ISO-8601 instant. */
        TIMESTAMP_MILLIS,
        /** {@code timestamp-micros} on a long, shown as an ISO-8601 instant. */
        TIMESTAMP_MICROS
    }

    /**
     * The property that names a webhook payload's kind, written first. A record with a field of this name
     * could not carry it, so {@link DisclosureJsonSchema} refuses to generate a typed schema for one.
     */
    static final String TYPE_PROPERTY = "type";

    private AvroJsonMapping() {
    }

    /**
     * The non-null branch of a {@code ["null", X]} (or {@code [X, "null"]}) union; any other union
     * has no natural JSON form and is refused rather than guessed at.
     */
    static Schema nonNullBranch(Schema union) {
        if (union.getTypes().size() == 2) {
            Schema first = union.getTypes().get(0);
            Schema second = union.getTypes().get(1);
            if (first.getType() == Schema.Type.NULL && second.getType() != Schema.Type.NULL) {
                return second;
            }
            if (second.getType() == Schema.Type.NULL && first.getType() != Schema.Type.NULL) {
                return first;
            }
        }
        throw new IllegalArgumentException("Only unions of null and one other type have a JSON mapping, not " + union);
    }

    static boolean isNullable(Schema schema) {
        return schema.getType() == Schema.Type.UNION;
    }

    /**
     * Refuses logical types whose JSON form is not defined here (decimal, time-of-day, local
     * timestamps): silently writing their raw numbers would publish a meaning nobody agreed on.
     */
    static Logical logical(Schema schema) {
        LogicalType logicalType = schema.getLogicalType();
        if (logicalType == null || logicalType.getName().equals("uuid")) {
            return Logical.NONE;
        }
        return switch (logicalType.getName()) {
            case "date" -> Logical.DATE;
            case "timestamp-millis" -> Logical.TIMESTAMP_MILLIS;
            case "timestamp-micros" -> Logical.TIMESTAMP_MICROS;
            default -> throw new IllegalArgumentException("The Avro logical type " + logicalType.getName() + " has no JSON mapping");
        };
    }
}
