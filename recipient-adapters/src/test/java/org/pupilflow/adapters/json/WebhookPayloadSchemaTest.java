package org.pupilflow.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pupilflow.sharing.DeletionDue;
import org.pupilflow.sharing.DeletionRequest;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The published schemas of the deletion payloads and of any webhook payload, checked against hand-written
 * examples — what a receiver's developer would write from the README — as well as against generated ones.
 */
class WebhookPayloadSchemaTest {

    private static final String REGENERATE_PROPERTY = "pupilflow.regenerateSchema";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /**
     * The published files loaded under their $ids, as a receiver's validator would: the combined schema refers to the
     * others by $id. Built on first use, not in the class initialiser, so a missing file fails the generator check
     * (which can regenerate it) rather than every test.
     */
    private static SchemaRegistry registry() {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder.schemas(WebhookPayloads.published()));
    }

    static final String DELETION_REQUESTED_EXAMPLE = """
            {
              "type": "pupil.deletion-requested",
              "requestId": "0b1f6a52-3c1e-4d8a-9f0e-6a7b8c9d0e1f",
              "recipientId": "childrens-centres",
              "disclosureIds": ["7d0c6a1e-2b7f-8c55-9a3e-0f4d1c2b3a49"],
              "reason": "objection O-12 by parent (signed letter 2026-03-02): restricted",
              "legalBasis": "Childcare Act 2006 s5A-5D",
              "objectionIds": ["O-12"],
              "policyId": "norfolk-census-sharing",
              "policyVersion": "2026.1",
              "replacedBy": "5e2d9c1b-7a6f-4e3d-8c2b-1a0f9e8d7c6b",
              "requestedAt": "2026-03-03T09:14:07.512Z"
            }
            """;

    static final String DELETION_DUE_EXAMPLE = """
            {
              "type": "pupil.deletion-due",
              "noticeId": "c3a4b5d6-e7f8-4a9b-8c0d-1e2f3a4b5c6d",
              "recipientId": "nhs-ncmp",
              "disclosureIds": ["2f4e6d8c-0a1b-4c3d-9e5f-7a6b5c4d3e2f", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"],
              "deleteBy": "2027-01-20",
              "legalBasis": "NHS Act 2006 s251",
              "policyId": "norfolk-census-sharing",
              "policyVersion": "2026.1",
              "issuedAt": "2027-01-21T00:00:03Z"
            }
            """;

    /** A disclosure as receivers have always had it: no type. */
    static final String DISCLOSURE_EXAMPLE = """
            {
              "disclosureId": "7d0c6a1e-2b7f-8c55-9a3e-0f4d1c2b3a49",
              "recipientId": "childrens-centres",
              "policyId": "norfolk-census-sharing",
              "policyVersion": "2026.1",
              "policyContentHash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
              "legalBasis": "Childcare Act 2006 s5A-5D",
              "returnId": "926-2026-SPRING",
              "disclosedFields": ["names", "dateOfBirth"],
              "deleteBy": "2027-01-20",
              "pseudonymised": false,
              "names": {"legalSurname": "O'Brien", "legalForename": "Zoë"},
              "dateOfBirth": "2014-05-01"
            }
            """;

    @Test
    void committedSchemaFilesAreWhatTheGeneratorProduces() throws IOException {
        for (Map.Entry<String, String> schema : WebhookPayloads.render().entrySet()) {
            Path file = Path.of("src/main/resources", schema.getKey());
            if (Boolean.getBoolean(REGENERATE_PROPERTY)) {
                Files.writeString(file, schema.getValue(), StandardCharsets.UTF_8);
            }
            assertThat(Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n"))
                    .as("%s differs from the schema generated from the Avro contract: review the difference (a changed published schema is a"
                            + " changed contract with every webhook recipient), then regenerate it with%n"
                            + "  ./mvnw -pl recipient-adapters test -Dtest=WebhookPayloadSchemaTest -D%s=true", file, REGENERATE_PROPERTY)
                    .isEqualTo(schema.getValue());
        }
    }

    @Test
    void theDisclosureSchemaExistingReceiversUseIsUnchanged() {
        assertThat(WebhookPayloads.render().get(DisclosureJsonSchema.RESOURCE)).isEqualTo(DisclosureJsonSchema.render());
        assertThat(WebhookPayloads.Kind.DISCLOSURE_PAYLOAD.schemaId()).isEqualTo("https://pupilflow.org/schemas/pupil-disclosure/1");
        assertThat(WebhookPayloads.Kind.DISCLOSURE_PAYLOAD.typed()).isFalse();
    }

    @Test
    void everyPublishedSchemaIsAValidDraft202012Schema() {
        Schema metaSchema = registry().getSchema(SchemaLocation.of(DisclosureJsonSchema.DIALECT));

        assertThat(WebhookPayloads.published()).hasSize(4).allSatisfy((id, schema) -> {
            assertThat(metaSchema.validate(schema, InputFormat.JSON)).as(id).isEmpty();
            assertThat(MAPPER.readTree(schema).get("$id").asString()).isEqualTo(id);
        });
    }

    @Test
    void theHandWrittenDeletionRequestValidatesAgainstItsSchemaAndTheWebhookSchema() {
        assertThat(validate(WebhookPayloads.Kind.DELETION_REQUESTED_PAYLOAD.schemaId(), DELETION_REQUESTED_EXAMPLE)).isEmpty();
        assertThat(validate(WebhookPayloads.WEBHOOK_SCHEMA_ID, DELETION_REQUESTED_EXAMPLE)).isEmpty();
    }

    @Test
    void theHandWrittenDeletionDueNoticeValidatesAgainstItsSchemaAndTheWebhookSchema() {
        assertThat(validate(WebhookPayloads.Kind.DELETION_DUE_PAYLOAD.schemaId(), DELETION_DUE_EXAMPLE)).isEmpty();
        assertThat(validate(WebhookPayloads.WEBHOOK_SCHEMA_ID, DELETION_DUE_EXAMPLE)).isEmpty();
    }

    @Test
    void theHandWrittenDisclosureWithoutATypeValidatesAgainstItsSchemaAndTheWebhookSchema() {
        assertThat(validate(DisclosureJsonSchema.ID, DISCLOSURE_EXAMPLE)).isEmpty();
        assertThat(validate(WebhookPayloads.WEBHOOK_SCHEMA_ID, DISCLOSURE_EXAMPLE)).isEmpty();
    }

    @Test
    void payloadsWrittenFromRecordsValidateAgainstTheWebhookSchema() {
        DeletionRequest withdrawn = DeletionRequest.newBuilder().setRequestId("r-1").setRecipientId("childrens-centres")
                .setDisclosureIds(List.of("d-1", "d-2")).setReason("objection O-1 by parent: withheld").setLegalBasis("Childcare Act 2006 s5A-5D")
                .setPolicyId("norfolk-census-sharing").setPolicyVersion("2026.1").setRequestedAt(Instant.parse("2026-03-03T09:14:07.512Z")).build();
        DeletionDue due = DeletionDue.newBuilder().setNoticeId("n-1").setRecipientId("nhs-ncmp").setDisclosureIds(List.of("d-3"))
                .setDeleteBy(LocalDate.of(2027, 1, 20)).setLegalBasis("NHS Act 2006 s251").setPolicyId("norfolk-census-sharing").setPolicyVersion("2026.1")
                .setIssuedAt(Instant.parse("2027-01-21T00:00:03Z")).build();

        assertThat(validate(WebhookPayloads.WEBHOOK_SCHEMA_ID, json(WebhookPayloads.toJson(withdrawn)))).isEmpty();
        assertThat(validate(WebhookPayloads.Kind.DELETION_REQUESTED_PAYLOAD.schemaId(), json(WebhookPayloads.toJson(withdrawn)))).isEmpty();
        assertThat(validate(WebhookPayloads.WEBHOOK_SCHEMA_ID, json(WebhookPayloads.toJson(due)))).isEmpty();
        assertThat(validate(WebhookPayloads.Kind.DELETION_DUE_PAYLOAD.schemaId(), json(WebhookPayloads.toJson(due)))).isEmpty();
    }

    @Test
    void aDeletionRequestWithTheWrongTypeOrWithoutOneIsRejected() {
        ObjectNode wrongType = (ObjectNode) MAPPER.readTree(DELETION_REQUESTED_EXAMPLE);
        wrongType.put("type", WebhookPayloads.DELETION_DUE);
        ObjectNode untyped = (ObjectNode) MAPPER.readTree(DELETION_REQUESTED_EXAMPLE);
        untyped.remove("type");

        assertThat(validate(WebhookPayloads.Kind.DELETION_REQUESTED_PAYLOAD.schemaId(), wrongType.toString())).extracting(Error::getKeyword)
                .containsExactly("const");
        assertThat(validate(WebhookPayloads.Kind.DELETION_REQUESTED_PAYLOAD.schemaId(), untyped.toString())).extracting(Error::getKeyword)
                .containsExactly("required");
        assertThat(validate(WebhookPayloads.WEBHOOK_SCHEMA_ID, wrongType.toString())).isNotEmpty();
        assertThat(validate(WebhookPayloads.WEBHOOK_SCHEMA_ID, untyped.toString())).isNotEmpty();
    }

    @Test
    void aDisclosureThatClaimsATypeMatchesNoKind() {
        ObjectNode typed = (ObjectNode) MAPPER.readTree(DISCLOSURE_EXAMPLE);
        typed.put("type", WebhookPayloads.DISCLOSURE);

        // Schema 1 forbids undescribed properties: that is why the disclosure body never gained a type.
        assertThat(validate(DisclosureJsonSchema.ID, typed.toString())).extracting(Error::getKeyword).containsExactly("additionalProperties");
        assertThat(validate(WebhookPayloads.WEBHOOK_SCHEMA_ID, typed.toString())).isNotEmpty();
    }

    @Test
    void aDeletionNoticeWithAPropertyTheSchemaDoesNotDescribeOrAnImpossibleDateIsRejected() {
        ObjectNode extra = (ObjectNode) MAPPER.readTree(DELETION_DUE_EXAMPLE);
        extra.put("upn", "A123456789012");
        ObjectNode badDate = (ObjectNode) MAPPER.readTree(DELETION_DUE_EXAMPLE);
        badDate.put("deleteBy", "2027-02-30");

        assertThat(validate(WebhookPayloads.Kind.DELETION_DUE_PAYLOAD.schemaId(), extra.toString())).extracting(Error::getKeyword)
                .containsExactly("additionalProperties");
        assertThat(validate(WebhookPayloads.Kind.DELETION_DUE_PAYLOAD.schemaId(), badDate.toString())).extracting(Error::getKeyword)
                .containsExactly("format");
    }

    /** Formats are asserted, not just annotated, so an impossible date is an error too. */
    private static List<Error> validate(String schemaId, String json) {
        return registry().getSchema(SchemaLocation.of(schemaId))
                .validate(json, InputFormat.JSON, context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
    }

    private static String json(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
