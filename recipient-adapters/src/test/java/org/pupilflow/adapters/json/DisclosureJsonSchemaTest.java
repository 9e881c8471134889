package org.pupilflow.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.policy.decide.Decision;
import org.pupilflow.policy.decide.Pseudonymiser;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.sharing.PupilDisclosure;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class DisclosureJsonSchemaTest {

    /** The committed file, from the module directory (where Surefire runs the tests). */
    private static final Path PUBLISHED = Path.of("src/main/resources", DisclosureJsonSchema.RESOURCE);
    private static final String REGENERATE_PROPERTY = "pupilflow.regenerateSchema";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /**
     * Three primary schools and all of the first secondary (about 2,500 pupils), so the recipients of
     * secondary pupils (youth-support from age 13, post16 for year 11) are exercised too.
     */
    private static final int PUPILS = 2600;

    private static Schema published;
    private static List<PupilDisclosure> disclosures;

    @BeforeAll
    static void loadPublishedSchemaAndDecideTheCensus() {
        published = REGISTRY.getSchema(DisclosureJsonSchema.published(), InputFormat.JSON);
        disclosures = norfolkDisclosures();
    }

    @Test
    void committedSchemaFileIsWhatTheGeneratorProduces() throws IOException {
        String generated = DisclosureJsonSchema.render();
        if (Boolean.getBoolean(REGENERATE_PROPERTY)) {
            Files.writeString(PUBLISHED, generated, StandardCharsets.UTF_8);
        }
        // Line ends normalised: a Windows checkout with autocrlf is not a different schema.
        String committed = Files.readString(PUBLISHED, StandardCharsets.UTF_8).replace("\r\n", "\n");

        assertThat(committed)
                .as("%s differs from the schema generated from PupilDisclosure.avsc. A changed published schema is a changed contract"
                        + " with every webhook recipient: review the difference, then regenerate it with%n"
                        + "  ./mvnw -pl recipient-adapters test -Dtest=DisclosureJsonSchemaTest -D%s=true%n"
                        + "and commit the file (bump DisclosureJsonSchema.ID if the change is not backwards compatible).",
                        PUBLISHED, REGENERATE_PROPERTY)
                .isEqualTo(generated);
    }

    @Test
    void publishedSchemaIsAValidDraft202012Schema() {
        Schema metaSchema = REGISTRY.getSchema(SchemaLocation.of(DisclosureJsonSchema.DIALECT));

        List<Error> errors = metaSchema.validate(DisclosureJsonSchema.published(), InputFormat.JSON);

        assertThat(errors).isEmpty();
        assertThat(DisclosureJsonSchema.generate().get("$id").asString()).isEqualTo(DisclosureJsonSchema.ID);
    }

    @Test
    void everyDisclosureOfASyntheticCensusUnderTheNorfolkPolicyValidatesAgainstThePublishedSchema() {
        Set<String> recipients = new TreeSet<>();
        List<String> failures = new ArrayList<>();

        for (PupilDisclosure disclosure : disclosures) {
            recipients.add(disclosure.getRecipientId());
            List<Error> errors = validate(new String(DisclosureJson.toJson(disclosure), StandardCharsets.UTF_8));
            if (!errors.isEmpty()) {
                failures.add(disclosure.getRecipientId() + " " + disclosure.getDisclosureId() + ": " + errors);
            }
        }

        assertThat(failures).isEmpty();
        // Every kind of disclosure was exercised: full census record (dfe), pseudonymised with a reduced address
        // (nhs-ncmp-research), a delete-by date (nhs-ncmp), parents and telephones (youth-support), exclusions (post16).
        assertThat(recipients).containsExactlyInAnyOrder("dfe", "nhs-ncmp", "nhs-ncmp-research", "youth-support", "post16", "childrens-centres");
        assertThat(disclosures).anyMatch(PupilDisclosure::getPseudonymised).anyMatch(d -> d.getDeleteBy() != null);
    }

    @Test
    void documentWithAPropertyTheSchemaDoesNotDescribeIsRejected() {
        ObjectNode document = validDocument();
        document.put("nationalInsuranceNumber", "QQ123456C");

        assertThat(validate(document.toString())).extracting(Error::getKeyword).containsExactly("additionalProperties");
    }

    @Test
    void documentWithAPropertyTheSchemaDoesNotDescribeInsideACensusUnitIsRejected() {
        ObjectNode document = validDocument();
        ((ObjectNode) document.get("school")).put("headTeacher", "Ms Smith");

        assertThat(validate(document.toString())).extracting(Error::getKeyword).containsExactly("additionalProperties");
    }

    @Test
    void documentWithAValueOfTheWrongTypeIsRejected() {
        ObjectNode document = validDocument();
        document.put("pseudonymised", "no");

        assertThat(validate(document.toString())).extracting(Error::getKeyword).containsExactly("type");
    }

    @Test
    void documentWithoutARequiredEnvelopeFieldIsRejected() {
        ObjectNode document = validDocument();
        document.remove("policyContentHash");

        assertThat(validate(document.toString())).extracting(Error::getKeyword).containsExactly("required");
    }

    @Test
    void documentWithAnImpossibleDateOrAnUnknownEnumSymbolIsRejected() {
        ObjectNode document = validDocument();
        document.put("dateOfBirth", "2014-02-30");
        ((ObjectNode) document.get("school")).put("phase", "UNIVERSITY");

        assertThat(validate(document.toString())).extracting(Error::getKeyword).containsExactlyInAnyOrder("format", "enum");
    }

    private static ObjectNode validDocument() {
        PupilDisclosure disclosure = disclosures.stream().filter(d -> d.getRecipientId().equals("dfe")).findFirst().orElseThrow();
        String json = new String(DisclosureJson.toJson(disclosure), StandardCharsets.UTF_8);
        assertThat(validate(json)).as("the unmodified document").isEmpty();
        return (ObjectNode) MAPPER.readTree(json);
    }

    /** Formats are asserted, not just annotated, so an impossible date is an error too. */
    private static List<Error> validate(String json) {
        return published.validate(json, InputFormat.JSON, context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
    }

    private static List<PupilDisclosure> norfolkDisclosures() {
        SharingEngine engine = new SharingEngine(new PolicyLoader().load(Path.of("../policies/norfolk.yaml")), new Pseudonymiser(new byte[32]));
        Instant decidedAt = Instant.parse("2026-01-20T09:00:00Z");
        List<PupilDisclosure> disclosures = new ArrayList<>();
        for (CensusPupil pupil : new SyntheticCensus(CensusSpec.of(PUPILS))) {
            for (Decision decision : engine.evaluate(pupil, List.of(), decidedAt).decisions()) {
                if (decision.sendsRecord()) {
                    disclosures.add(decision.disclosure());
                }
            }
        }
        return disclosures;
    }
}
