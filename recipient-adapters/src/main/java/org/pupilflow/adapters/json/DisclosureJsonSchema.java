package org.pupilflow.adapters.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.avro.Schema;
import org.pupilflow.sharing.PupilDisclosure;

import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON Schema (draft 2020-12) of the documents {@link DisclosureJson} writes, generated from
 * the same Avro schema by the same mapping, and published as the classpath resource
 * {@value #RESOURCE} so recipients can validate what they receive.
 *
 * <p>Non-nullable Avro fields are {@code required}; nullable ones are optional (a null is left
 * out, never sent as {@code null}); every record object has {@code additionalProperties: false},
 * so a recipient's validator notices any field its agreement did not describe. Named Avro types
 * are shared under {@code $defs} by full name; Avro {@code doc} becomes {@code description}.
 */
public final class DisclosureJsonSchema {

    /** The published schema's {@code $id}; a breaking change to the document gets a new number. */
    public static final String ID = "https://pupilflow.org/schemas/pupil-disclosure/1";
    /** Classpath location of the published (committed) schema. */
    public static final String RESOURCE = "org/pupilflow/adapters/json/pupil-disclosure.schema.json";
    public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private DisclosureJsonSchema() {
    }

    /** The schema for {@link PupilDisclosure} documents. */
    public static ObjectNode generate() {
        return generate(PupilDisclosure.getClassSchema(), ID);
    }

    /** The schema for JSON documents {@link DisclosureJson#toJson(org.apache.avro.generic.IndexedRecord)} writes for {@code record}. */
    public static ObjectNode generate(Schema record, String id) {
        return generate(record, id, null);
    }

    /**
     * The schema for documents {@link DisclosureJson#toJson(org.apache.avro.generic.IndexedRecord, String)} writes for
     * {@code record} with {@code type}: a required leading {@code type} property whose value is the constant
     * {@code type} (none when {@code type} is null).
     */
    static ObjectNode generate(Schema record, String id, String type) {
        if (record.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("A JSON document is generated for an Avro record, not " + record.getType());
        }
        if (type != null && record.getField(AvroJsonMapping.TYPE_PROPERTY) != null) {
            throw new IllegalArgumentException(record.getFullName() + " has a field named " + AvroJsonMapping.TYPE_PROPERTY
                    + ", which the payload's type would collide with");
        }
        ObjectNode root = NODES.objectNode();
        root.put("$schema", DIALECT);
        root.put("$id", id);
        root.put("$comment", "Generated from the Avro schema " + record.getFullName() + " by " + DisclosureJsonSchema.class.getName()
                + "; do not edit.");
        root.put("title", record.getName());
        Generator generator = new Generator(record);
        ObjectNode body = generator.recordBody(record);
        if (type != null) {
            typed(body, type);
        }
        root.setAll(body);
        if (!generator.defs.isEmpty()) {
            root.set("$defs", generator.defs);
        }
        return root;
    }

    /** Puts the {@code type} property first in {@code properties} and in {@code required}, as the document has it. */
    private static void typed(ObjectNode body, String type) {
        ObjectNode properties = NODES.objectNode();
        properties.putObject(AvroJsonMapping.TYPE_PROPERTY).put("description", "The kind of payload; always \"" + type + "\" in this one.")
                .put("const", type);
        properties.setAll((ObjectNode) body.get("properties"));
        body.set("properties", properties);
        ArrayNode required = NODES.arrayNode().add(AvroJsonMapping.TYPE_PROPERTY);
        if (body.has("required")) {
            required.addAll((ArrayNode) body.get("required"));
        }
        body.set("required", required);
    }

    /** {@link #generate()} pretty-printed as committed: two-space indent, LF line ends, final newline. */
    public static String render() {
        return render(generate());
    }

    static String render(ObjectNode schema) {
        // An explicit LF indenter: the default one uses the platform line separator, which
        // would make the committed file depend on the machine that generated it.
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance().withObjectNameValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return MAPPER.writer().with(printer).writeValueAsString(schema) + "\n";
    }

    /** The published schema as committed (the classpath resource), for serving to recipients. */
    public static String published() {
        try (InputStream in = DisclosureJsonSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The published schema " + RESOURCE + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@link #render()} to the file named by the first argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: DisclosureJsonSchema <output file>");
            System.exit(2);
        }
        Files.writeString(Path.of(args[0]), render(), StandardCharsets.UTF_8);
    }

    /** One generation: collects named types into {@code $defs} in the order they are first met. */
    private static final class Generator {
        private final ObjectNode defs = NODES.objectNode();
        private final Map<String, String> references = new HashMap<>();

        Generator(Schema root) {
            // A record that contains itself refers to the whole document.
            references.put(root.getFullName(), "#");
        }

        ObjectNode recordBody(Schema record) {
            ObjectNode body = NODES.objectNode();
            describe(body, record.getDoc());
            body.put("type", "object");
            ObjectNode properties = body.putObject("properties");
            ArrayNode required = NODES.arrayNode();
            for (Schema.Field field : record.getFields()) {
                ObjectNode property = NODES.objectNode();
                describe(property, field.doc());
                Schema fieldSchema = field.schema();
                try {
                    if (AvroJsonMapping.isNullable(fieldSchema)) {
                        property.setAll(typeSchema(AvroJsonMapping.nonNullBranch(fieldSchema)));
                    } else {
                        property.setAll(typeSchema(fieldSchema));
                        required.add(field.name());
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(record.getFullName() + "." + field.name() + ": " + e.getMessage(), e);
                }
                properties.set(field.name(), property);
            }
            if (!required.isEmpty()) {
                body.set("required", required);
            }
            body.put("additionalProperties", false);
            return body;
        }

        private ObjectNode typeSchema(Schema schema) {
            ObjectNode node = NODES.objectNode();
            switch (schema.getType()) {
                case RECORD, ENUM -> node.put("$ref", reference(schema));
                case ARRAY -> {
                    node.put("type", "array");
                    node.set("items", typeSchema(schema.getElementType()));
                }
                case MAP -> {
                    node.put("type", "object");
                    node.set("additionalProperties", typeSchema(schema.getValueType()));
                }
                case UNION -> {
                    // Only as an array element or map value, where a null is written as null.
                    ArrayNode anyOf = node.putArray("anyOf");
                    anyOf.add(typeSchema(AvroJsonMapping.nonNullBranch(schema)));
                    anyOf.addObject().put("type", "null");
                }
                case STRING -> {
                    node.put("type", "string");
                    if (schema.getLogicalType() != null && schema.getLogicalType().getName().equals("uuid")) {
                        node.put("format", "uuid");
                    }
                }
                case INT -> {
                    if (AvroJsonMapping.logical(schema) == AvroJsonMapping.Logical.DATE) {
                        node.put("type", "string").put("format", "date");
                    } else {
                        node.put("type", "integer").put("minimum", Integer.MIN_VALUE).put("maximum", Integer.MAX_VALUE);
                    }
                }
                case LONG -> {
                    if (AvroJsonMapping.logical(schema) == AvroJsonMapping.Logical.NONE) {
                        node.put("type", "integer").put("minimum", Long.MIN_VALUE).put("maximum", Long.MAX_VALUE);
                    } else {
                        node.put("type", "string").put("format", "date-time");
                    }
                }
                case BOOLEAN -> node.put("type", "boolean");
                case FLOAT, DOUBLE -> node.put("type", "number");
                default -> throw new IllegalArgumentException("the Avro type " + schema.getType() + " has no JSON mapping");
            }
            return node;
        }

        private String reference(Schema named) {
            String existing = references.get(named.getFullName());
            if (existing != null) {
                return existing;
            }
            String reference = "#/$defs/" + named.getFullName();
            references.put(named.getFullName(), reference);
            // Reserve the slot before recursing so $defs lists types in the order they are first met.
            ObjectNode definition = defs.putObject(named.getFullName());
            definition.put("title", named.getName());
            if (named.getType() == Schema.Type.ENUM) {
                describe(definition, named.getDoc());
                definition.put("type", "string");
                ArrayNode symbols = definition.putArray("enum");
                named.getEnumSymbols().forEach(symbols::add);
            } else {
                definition.setAll(recordBody(named));
            }
            return reference;
        }

        private static void describe(ObjectNode node, String doc) {
            if (doc != null && !doc.isBlank()) {
                node.put("description", doc);
            }
        }
    }
}
