package org.pupilflow.schemas.compatibility;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.pupilflow.schemas.SchemaCatalog;
import org.pupilflow.schemas.SchemaCatalog.ReleasedVersion;

class BackwardCompatibilityTest {

    private static final Path SOURCE_SCHEMAS = Path.of("src/main/avro");

    @Test
    void currentSchemasReadEveryReleasedVersion() {
        List<ReleasedVersion> released = SchemaCatalog.released();

        assertThat(released).isNotEmpty();
        assertThat(BackwardCompatibility.check(SchemaCatalog.current(), released))
                .as("an incompatible schema change: release a new major contract instead, see schemas/README.md")
                .isEmpty();
    }

    @Test
    void everyMessageTypeIsInTheLatestRelease() {
        ReleasedVersion latest = SchemaCatalog.released().get(SchemaCatalog.released().size() - 1);

        assertThat(latest.schemas().keySet()).containsExactlyInAnyOrderElementsOf(SchemaCatalog.current().keySet());
    }

    @Test
    void addingARequiredFieldWithoutDefaultBreaksTheBuild() {
        Map<String, Schema> edited = sourceSchemasWith("DisclosureEvent.avsc", avsc -> avsc.replace(
                "{\"name\": \"disclosureId\", \"type\": \"string\"},",
                "{\"name\": \"disclosureId\", \"type\": \"string\"}, {\"name\": \"caseworker\", \"type\": \"string\"},"));

        List<BackwardCompatibility.Incompatibility> problems = BackwardCompatibility.check(edited, SchemaCatalog.released());

        // One problem per release: data written with any of them could not be read.
        assertThat(problems).hasSize(SchemaCatalog.released().size()).allSatisfy(problem -> {
            assertThat(problem.type()).isEqualTo("org.pupilflow.sharing.DisclosureEvent");
            assertThat(problem.reason()).contains("READER_FIELD_MISSING_DEFAULT").contains("caseworker");
        });
    }

    @Test
    void removingAnEnumSymbolBreaksTheBuild() {
        Map<String, Schema> edited = sourceSchemasWith("DisclosureEvent.avsc",
                avsc -> avsc.replace("\"DISCLOSED\", \"RESTRICTED\", \"WITHHELD\", \"UNCHANGED\"", "\"DISCLOSED\", \"WITHHELD\", \"UNCHANGED\""));

        assertThat(BackwardCompatibility.check(edited, SchemaCatalog.released()))
                .anySatisfy(problem -> assertThat(problem.reason()).contains("MISSING_ENUM_SYMBOLS").contains("RESTRICTED"));
    }

    @Test
    void changingAFieldTypeInANestedCensusRecordBreaksTheBuild() {
        Map<String, Schema> edited = sourceSchemasWith("CensusPupil.avsc",
                avsc -> avsc.replace("{\"name\": \"sessionsPossible\", \"type\": \"int\"}", "{\"name\": \"sessionsPossible\", \"type\": \"string\"}"));

        assertThat(BackwardCompatibility.check(edited, SchemaCatalog.released()))
                .extracting(BackwardCompatibility.Incompatibility::type)
                .contains("org.pupilflow.census.CensusPupil", "org.pupilflow.sharing.PupilDisclosure");
    }

    @Test
    void removingAMessageTypeBreaksTheBuild() {
        Map<String, Schema> edited = new java.util.LinkedHashMap<>(SchemaCatalog.current());
        edited.remove("org.pupilflow.sharing.DeliveryReceipt");

        assertThat(BackwardCompatibility.check(edited, SchemaCatalog.released()))
                .hasSize(SchemaCatalog.released().size()).allSatisfy(problem -> assertThat(problem.reason()).contains("removed"));
    }

    @Test
    void theRightsReleaseAddsOutcomesWithAnEnumDefaultAndReadsEveryEventOfTheFirst() {
        Schema current = SchemaCatalog.current().get("org.pupilflow.sharing.DisclosureEvent");
        Schema outcome = current.getField("outcome").schema();

        assertThat(outcome.getEnumSymbols()).startsWith("DISCLOSED", "RESTRICTED", "WITHHELD")
                .contains("UNCHANGED", "DELETION_REQUESTED", "DELETION_DUE");
        assertThat(outcome.getEnumDefault()).as("a later outcome reads as this, not as a failure").isEqualTo("UNRECOGNISED");
        assertThat(SchemaCatalog.released()).extracting(ReleasedVersion::version).containsExactly("1", "2", "3");
        assertThat(SchemaCatalog.current()).containsKeys("org.pupilflow.sharing.DeletionRequest", "org.pupilflow.sharing.DeletionDue");
    }

    @Test
    void releaseThreeAddsCaseByCaseRequestsWithDefaultsSoEarlierEventsReadAsCensusFlow() {
        Schema event = SchemaCatalog.current().get("org.pupilflow.sharing.DisclosureEvent");

        assertThat(SchemaCatalog.released()).extracting(ReleasedVersion::version).contains("3");
        assertThat(SchemaCatalog.current()).containsKey("org.pupilflow.sharing.DisclosureRequest");
        for (String field : java.util.List.of("requestId", "caseReference", "requestPurpose", "requestedBy")) {
            assertThat(event.getField(field).defaultVal()).as(field).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
        }
        assertThat(event.getField("approvedBy").defaultVal()).asList().isEmpty();
        assertThat(BackwardCompatibility.check(SchemaCatalog.current(), SchemaCatalog.released())).isEmpty();
    }

    @Test
    void addingAnOptionalFieldWithANullDefaultStaysCompatible() {
        Map<String, Schema> edited = sourceSchemasWith("CensusPupil.avsc", avsc -> avsc.replace(
                "{\"name\": \"childInNeed\", \"type\": \"boolean\"",
                "{\"name\": \"serviceChild\", \"type\": [\"null\", \"boolean\"], \"default\": null}, {\"name\": \"childInNeed\", \"type\": \"boolean\""));

        assertThat(edited.get("org.pupilflow.census.CensusPupil").getField("serviceChild")).isNotNull();
        assertThat(BackwardCompatibility.check(edited, SchemaCatalog.released())).isEmpty();
    }

    @Test
    void sourceSchemasAreWhatTheBuildCompiled() {
        assertThat(fingerprints(sourceSchemasWith("CensusPupil.avsc", UnaryOperator.identity())))
                .isEqualTo(fingerprints(SchemaCatalog.current()));
    }

    private static Map<String, Long> fingerprints(Map<String, Schema> schemas) {
        Map<String, Long> fingerprints = new java.util.TreeMap<>();
        schemas.forEach((name, schema) -> fingerprints.put(name, org.apache.avro.SchemaNormalization.parsingFingerprint64(schema)));
        return fingerprints;
    }

    /** The .avsc sources as a fresh "release", with one file edited. */
    private static Map<String, Schema> sourceSchemasWith(String file, UnaryOperator<String> edit) {
        ReleasedVersion candidate = SchemaCatalog.parseRelease("candidate", name -> {
            Path path = SOURCE_SCHEMAS.resolve(name);
            if (!Files.exists(path)) {
                return Optional.empty();
            }
            String text = read(path);
            String edited = name.equals(file) ? edit.apply(text) : text;
            if (name.equals(file) && edit != UnaryOperator.<String>identity()) {
                assertThat(edited).as("the test's edit must change " + file).isNotEqualTo(text);
            }
            InputStream in = new ByteArrayInputStream(edited.getBytes(StandardCharsets.UTF_8));
            return Optional.of(in);
        });
        return candidate.schemas();
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
