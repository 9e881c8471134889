package org.pupilflow.adapters.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.pupilflow.schemas.kafka.RecipientRecords;
import org.pupilflow.sharing.DeletionDue;
import org.pupilflow.sharing.DeletionRequest;
import org.pupilflow.sharing.PupilDisclosure;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON bodies PupilFlow POSTs to a webhook recipient, one per kind of record on its topic, and their
 * published JSON Schemas (draft 2020-12).
 *
 * <p>A <b>disclosure</b> is the {@link PupilDisclosure} as {@link DisclosureJson} has always written it, with
 * no {@code type} property: its published schema ({@value DisclosureJsonSchema#ID}) forbids properties it
 * does not describe, so adding one would make every existing receiver that validates refuse every
 * disclosure. A <b>deletion request</b> and a <b>deletion-due notice</b> are their Avro records by the same
 * mapping, with a leading {@code "type"} of {@value #DELETION_REQUESTED} or {@value #DELETION_DUE}. A
 * receiver tells them apart by {@code type}; a body without one is a disclosure ({@value #DISCLOSURE}).
 * The combined schema {@value #WEBHOOK_SCHEMA_ID} accepts exactly one of the three.
 */
public final class WebhookPayloads {

    /** The type of a disclosure: implied by the absence of {@code type}, never written into the body. */
    public static final String DISCLOSURE = "pupil.disclosure";
    public static final String DELETION_REQUESTED = "pupil.deletion-requested";
    public static final String DELETION_DUE = "pupil.deletion-due";

    /** The combined schema's {@code $id}: any payload, as {@code oneOf} the three kinds' schemas. */
    public static final String WEBHOOK_SCHEMA_ID = "https://pupilflow.org/schemas/pupil-webhook/1";
    public static final String WEBHOOK_SCHEMA_RESOURCE = "org/pupilflow/adapters/json/pupil-webhook.schema.json";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One kind of payload: its type, its Avro record and its published schema. */
    public enum Kind {
        DISCLOSURE_PAYLOAD(RecipientRecords.Kind.DISCLOSURE, DISCLOSURE, PupilDisclosure.getClassSchema(), DisclosureJsonSchema.ID,
                DisclosureJsonSchema.RESOURCE, false),
        DELETION_REQUESTED_PAYLOAD(RecipientRecords.Kind.DELETION_REQUEST, DELETION_REQUESTED, DeletionRequest.getClassSchema(),
                "https://pupilflow.org/schemas/pupil-deletion-requested/1", "org/pupilflow/adapters/json/pupil-deletion-requested.schema.json", true),
        DELETION_DUE_PAYLOAD(RecipientRecords.Kind.DELETION_DUE, DELETION_DUE, DeletionDue.getClassSchema(),
                "https://pupilflow.org/schemas/pupil-deletion-due/1", "org/pupilflow/adapters/json/pupil-deletion-due.schema.json", true);

        private final RecipientRecords.Kind recordKind;
        private final String type;
        private final Schema avro;
        private final String schemaId;
        private final String schemaResource;
        private final boolean typed;

        Kind(RecipientRecords.Kind recordKind, String type, Schema avro, String schemaId, String schemaResource, boolean typed) {
            this.recordKind = recordKind;
            this.type = type;
            this.avro = avro;
            this.schemaId = schemaId;
            this.schemaResource = schemaResource;
            this.typed = typed;
        }

        /** e.g. {@code pupil.deletion-requested}. */
        public String type() {
            return type;
        }

        public RecipientRecords.Kind recordKind() {
            return recordKind;
        }

        /** The published schema's {@code $id}; a breaking change gets a new number. */
        public String schemaId() {
            return schemaId;
        }

        /** Classpath location of the published (committed) schema. */
        public String schemaResource() {
            return schemaResource;
        }

        /** Whether the body carries {@code type} (every kind but the disclosure, kept as it was published). */
        public boolean typed() {
            return typed;
        }

        /** This kind's schema, generated from its Avro record. */
        public ObjectNode generateSchema() {
            return DisclosureJsonSchema.generate(avro, schemaId, typed ? type : null);
        }

        public static Kind of(RecipientRecords.Kind recordKind) {
            for (Kind kind : values()) {
                if (kind.recordKind == recordKind) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("No webhook payload for " + recordKind);
        }
    }

    private WebhookPayloads() {
    }

    /** The kind of payload {@code record} becomes. */
    public static Kind kindOf(SpecificRecord record) {
        for (Kind kind : Kind.values()) {
            if (kind.recordKind.type().isInstance(record)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Not a record of a recipient topic: " + (record == null ? "null" : record.getClass().getName()));
    }

    /** The body: compact, deterministic UTF-8 JSON (the same record always gives the same bytes, so the signature is repeatable). */
    public static byte[] toJson(SpecificRecord record) {
        Kind kind = kindOf(record);
        return DisclosureJson.toJson(record, kind.typed ? kind.type : null);
    }

    /**
     * The combined schema: {@code oneOf} references to the three kinds' schemas by {@code $id}. A validator
     * resolves them from the three published files (load them under their {@code $id}s). The alternatives
     * exclude each other: the disclosure schema allows no {@code type}, the other two require their own.
     */
    public static ObjectNode generateWebhookSchema() {
        ObjectNode root = NODES.objectNode();
        root.put("$schema", DisclosureJsonSchema.DIALECT);
        root.put("$id", WEBHOOK_SCHEMA_ID);
        root.put("$comment", "Generated by " + WebhookPayloads.class.getName() + "; do not edit.");
        root.put("title", "PupilFlow webhook payload");
        root.put("description", "Any body PupilFlow POSTs to a webhook recipient: a disclosure (no type property), a deletion request (type "
                + DELETION_REQUESTED + ") or a deletion-due notice (type " + DELETION_DUE + ").");
        ArrayNode oneOf = root.putArray("oneOf");
        for (Kind kind : Kind.values()) {
            oneOf.addObject().put("$ref", kind.schemaId);
        }
        return root;
    }

    /** Every schema this class publishes, by classpath resource, rendered as committed. */
    public static Map<String, String> render() {
        Map<String, String> rendered = new LinkedHashMap<>();
        for (Kind kind : Kind.values()) {
            rendered.put(kind.schemaResource, DisclosureJsonSchema.render(kind.generateSchema()));
        }
        rendered.put(WEBHOOK_SCHEMA_RESOURCE, DisclosureJsonSchema.render(generateWebhookSchema()));
        return rendered;
    }

    /** Every published schema as committed, by {@code $id}: what a validator needs to resolve the combined schema's references. */
    public static Map<String, String> published() {
        Map<String, String> byId = new LinkedHashMap<>();
        for (Kind kind : Kind.values()) {
            byId.put(kind.schemaId, resource(kind.schemaResource));
        }
        byId.put(WEBHOOK_SCHEMA_ID, resource(WEBHOOK_SCHEMA_RESOURCE));
        return byId;
    }

    static String resource(String name) {
        try (InputStream in = WebhookPayloads.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("The published schema " + name + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes every published schema under the directory named by the first argument (e.g. {@code src/main/resources}). */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: WebhookPayloads <resources directory>");
            System.exit(2);
        }
        for (Map.Entry<String, String> schema : render().entrySet()) {
            Files.writeString(Path.of(args[0]).resolve(schema.getKey()), schema.getValue(), StandardCharsets.UTF_8);
        }
    }
}
