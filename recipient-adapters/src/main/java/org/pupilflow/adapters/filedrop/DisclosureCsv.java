package org.pupilflow.adapters.filedrop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.pupilflow.census.Identity;
import org.pupilflow.policy.CensusUnits;
import org.pupilflow.sharing.PupilDisclosure;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One recipient's disclosures from one census return as an RFC 4180 CSV file: UTF-8 (no byte order
 * mark), CRLF, a header row, fields quoted only where needed.
 *
 * <p>Columns: {@link #ENVELOPE_COLUMNS}, then every census unit on the recipient's allow-list, in
 * schema order (the order of {@code disclosedFields}), flattened by walking the Avro schema: a
 * record unit becomes one column per field with a dotted name ({@code names.legalSurname},
 * {@code address.postcode}), nested records recursively; arrays and maps (parents, telephones,
 * {@code address.lines}) become one cell of compact JSON; dates are ISO-8601. The header depends only
 * on the allow-list, never on the records, so it is the same in every file of a recipient; a unit
 * a record does not carry (withheld by a restriction) gives empty cells. An empty cell is a null
 * (or empty) value: CSV has no way to tell the two apart.
 *
 * <p>Formula injection (OWASP "CSV Injection"): a <em>text</em> cell (Avro string, enum or bytes,
 * envelope ids included) that starts with {@code = + - @}, tab or carriage return is prefixed with
 * {@code '} so a spreadsheet shows it instead of running it; readers that need the exact value strip
 * that one quote. Numbers, booleans and dates are never prefixed: their type comes from the schema,
 * so {@code -3} can only be a number, and a spreadsheet reads it as one. Text is judged by its type,
 * not its content, so a text value {@code -3} does get the quote. JSON cells start with {@code [} or
 * <code>{</code> and need no prefix.
 *
 * <p>The same allow-list and records always give the same bytes. Instances are immutable and
 * thread-safe.
 */
public final class DisclosureCsv {

    /**
     * The columns every file starts with. {@code pupilKey} is the UPN when the recipient receives the
     * identity unit, else the keyed pseudonym (pseudonymised recipients), else the disclosure id.
     */
    public static final List<String> ENVELOPE_COLUMNS = List.of("disclosureId", "returnId", "pupilKey", "deleteBy");

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String FORMULA_TRIGGERS = "=+-@\t\r";

    private final List<String> units;
    private final List<Column> unitColumns;
    private final List<String> columns;

    /**
     * @param recipientFields the census units the recipient may receive ({@code RecipientRule.fields()});
     *                        order and duplicates do not matter
     * @throws IllegalArgumentException if a name is not a census unit a disclosure can carry
     */
    public DisclosureCsv(Collection<String> recipientFields) {
        for (String unit : recipientFields) {
            if (!CensusUnits.DISCLOSABLE.contains(unit)) {
                throw new IllegalArgumentException("'" + unit + "' is not a census unit PupilDisclosure can carry");
            }
        }
        this.units = CensusUnits.CENSUS.stream().filter(recipientFields::contains).toList();
        List<Column> flattened = new ArrayList<>();
        for (String unit : units) {
            Schema.Field field = PupilDisclosure.getClassSchema().getField(unit);
            flatten(unit, new int[] {field.pos()}, field.schema(), flattened);
        }
        this.unitColumns = List.copyOf(flattened);
        List<String> names = new ArrayList<>(ENVELOPE_COLUMNS);
        unitColumns.forEach(column -> names.add(column.name()));
        this.columns = List.copyOf(names);
    }

    /** The header row: envelope columns, then the flattened allow-list. */
    public List<String> columns() {
        return columns;
    }

    /**
     * The file's bytes and columns.
     *
     * @param batch disclosures of one recipient and one return, in file order
     * @throws IllegalArgumentException if the batch mixes recipients or returns, or a record carries a
     *                                  unit outside the allow-list (a policy/configuration mismatch that
     *                                  must be fixed, not papered over by dropping data or sending more)
     */
    public Rendered render(List<PupilDisclosure> batch) {
        long estimate = 256L + (long) batch.size() * 48 * columns.size();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(estimate, 64L << 20));
        try {
            write(batch, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return new Rendered(bytes.toByteArray(), columns);
    }

    /** Writes the file to {@code out} (which stays open); see {@link #render}. */
    public void write(List<PupilDisclosure> batch, OutputStream out) throws IOException {
        check(batch);
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        CSVPrinter printer = new CSVPrinter(writer, FORMAT);
        printer.printRecord(columns);
        List<String> row = new ArrayList<>(columns.size());
        for (PupilDisclosure disclosure : batch) {
            row.clear();
            row.add(text(disclosure.getDisclosureId()));
            row.add(text(disclosure.getReturnId()));
            row.add(text(pupilKey(disclosure)));
            row.add(disclosure.getDeleteBy() == null ? null : disclosure.getDeleteBy().toString());
            for (Column column : unitColumns) {
                row.add(cell(column.valueIn(disclosure), column.schema()));
            }
            printer.printRecord(row);
        }
        printer.flush();
    }

    /**
     * Who the row is about, as the recipient may know it: the UPN when the recipient receives the
     * identity unit, else the keyed pseudonym (pseudonymised recipients), else the disclosure id.
     * This is the key the same record has on the recipient's Kafka topic, so it never reveals more
     * than the row itself.
     */
    static String pupilKey(PupilDisclosure disclosure) {
        Identity identity = disclosure.getIdentity();
        if (identity != null) {
            return identity.getUpn();
        }
        return disclosure.getPupilPseudonym() != null ? disclosure.getPupilPseudonym() : disclosure.getDisclosureId();
    }

    private void check(List<PupilDisclosure> batch) {
        if (batch.isEmpty()) {
            return;
        }
        String recipientId = batch.get(0).getRecipientId();
        String returnId = batch.get(0).getReturnId();
        for (PupilDisclosure disclosure : batch) {
            if (!recipientId.equals(disclosure.getRecipientId()) || !returnId.equals(disclosure.getReturnId())) {
                throw new IllegalArgumentException("A file holds one recipient's records from one return: disclosure "
                        + disclosure.getDisclosureId() + " is for " + disclosure.getRecipientId() + "/" + disclosure.getReturnId()
                        + ", the batch is for " + recipientId + "/" + returnId);
            }
            for (String unit : CensusUnits.CENSUS) {
                if (!units.contains(unit) && CensusUnits.DISCLOSABLE.contains(unit) && disclosure.get(unit) != null) {
                    throw new IllegalArgumentException("Disclosure " + disclosure.getDisclosureId() + " carries census unit '" + unit
                            + "', which is not on the allow-list " + units + " this file was set up with");
                }
            }
        }
    }

    /** A record becomes its fields (recursively); anything else is one column. */
    private static void flatten(String name, int[] path, Schema schema, List<Column> out) {
        Schema type = nonNull(schema);
        if (type.getType() != Schema.Type.RECORD) {
            out.add(new Column(name, path, type));
            return;
        }
        for (Schema.Field field : type.getFields()) {
            int[] fieldPath = Arrays.copyOf(path, path.length + 1);
            fieldPath[path.length] = field.pos();
            flatten(name + "." + field.name(), fieldPath, field.schema(), out);
        }
    }

    /** {@code ["null", X]} is an optional X; other unions stay unions (and become JSON cells). */
    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> branches = schema.getTypes().stream().filter(branch -> branch.getType() != Schema.Type.NULL).toList();
        return branches.size() == 1 ? branches.get(0) : schema;
    }

    /** One cell; null for a missing value (printed as an empty cell). */
    static String cell(Object value, Schema schema) {
        if (value == null) {
            return null;
        }
        return switch (schema.getType()) {
            case STRING, ENUM -> text(value.toString());
            case BYTES, FIXED -> text(base64(value));
            case INT, LONG -> temporal(value, schema.getLogicalType()) instanceof TemporalAccessor time ? time.toString() : value.toString();
            case FLOAT, DOUBLE, BOOLEAN -> value.toString();
            case RECORD, ARRAY, MAP, UNION -> JSON.writeValueAsString(json(value, schema));
            case NULL -> null;
        };
    }

    /** The OWASP rule: text a spreadsheet would read as a formula gets a leading quote. */
    static String text(String value) {
        if (value != null && !value.isEmpty() && FORMULA_TRIGGERS.indexOf(value.charAt(0)) >= 0) {
            return "'" + value;
        }
        return value;
    }

    private static JsonNode json(Object value, Schema schema) {
        if (value == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case UNION: {
                Schema branch = nonNull(schema);
                return json(value, branch != schema ? branch : schema.getTypes().get(SpecificData.get().resolveUnion(schema, value)));
            }
            case RECORD: {
                ObjectNode object = NODES.objectNode();
                IndexedRecord record = (IndexedRecord) value;
                for (Schema.Field field : schema.getFields()) {
                    object.set(field.name(), json(record.get(field.pos()), field.schema()));
                }
                return object;
            }
            case ARRAY: {
                ArrayNode array = NODES.arrayNode();
                for (Object element : (Collection<?>) value) {
                    array.add(json(element, schema.getElementType()));
                }
                return array;
            }
            case MAP: {
                // Sorted keys: the same map always gives the same bytes.
                ObjectNode object = NODES.objectNode();
                Map<String, Object> sorted = new TreeMap<>();
                ((Map<?, ?>) value).forEach((key, element) -> sorted.put(key.toString(), element));
                sorted.forEach((key, element) -> object.set(key, json(element, schema.getValueType())));
                return object;
            }
            case INT:
            case LONG: {
                Object time = temporal(value, schema.getLogicalType());
                if (time instanceof TemporalAccessor) {
                    return NODES.stringNode(time.toString());
                }
                return value instanceof Integer number ? NODES.numberNode(number) : NODES.numberNode(((Number) value).longValue());
            }
            case FLOAT:
                return NODES.numberNode((Float) value);
            case DOUBLE:
                return NODES.numberNode((Double) value);
            case BOOLEAN:
                return NODES.booleanNode((Boolean) value);
            case BYTES:
            case FIXED:
                return NODES.stringNode(base64(value));
            default:
                return NODES.stringNode(value.toString());
        }
    }

    /**
     * A date or timestamp as a java.time value, whether the record holds it converted (generated
     * classes: LocalDate) or raw (days / milliseconds since the epoch); anything else unchanged.
     */
    private static Object temporal(Object value, LogicalType logicalType) {
        if (value instanceof TemporalAccessor || logicalType == null) {
            return value;
        }
        return switch (logicalType.getName()) {
            case "date" -> LocalDate.ofEpochDay(((Number) value).longValue());
            case "timestamp-millis" -> Instant.ofEpochMilli(((Number) value).longValue());
            default -> value;
        };
    }

    private static String base64(Object value) {
        byte[] bytes;
        if (value instanceof ByteBuffer buffer) {
            bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
        } else {
            bytes = ((GenericFixed) value).bytes();
        }
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * A CSV file in memory.
     *
     * @param content the file's bytes (not copied: treat as read-only)
     * @param columns the header row
     */
    public record Rendered(byte[] content, List<String> columns) {
    }

    /** One flattened column: the field positions from the disclosure down to the value, and the value's schema. */
    private record Column(String name, int[] path, Schema schema) {

        Object valueIn(PupilDisclosure disclosure) {
            Object value = disclosure;
            for (int position : path) {
                if (value == null) {
                    return null;
                }
                value = ((IndexedRecord) value).get(position);
            }
            return value;
        }
    }
}
