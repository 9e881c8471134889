package org.pupilflow.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.pupilflow.census.AssessmentResult;
import org.pupilflow.census.Names;
import org.pupilflow.census.School;
import org.pupilflow.census.SchoolPhase;
import org.pupilflow.sharing.PupilDisclosure;

class DisclosureJsonTest {

    @Test
    void writesTheEnvelopeAndDisclosedUnitsInSchemaOrderAndLeavesOutEverythingNotDisclosed() {
        String json = json(DisclosureJson.toJson(disclosure()));

        assertThat(json).isEqualTo("{"
                + "\"disclosureId\":\"7d0c6a1e-2b7f-8c55-9a3e-0f4d1c2b3a49\","
                + "\"recipientId\":\"childrens-centres\","
                + "\"policyId\":\"norfolk-census-sharing\","
                + "\"policyVersion\":\"2026.1\","
                + "\"policyContentHash\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\","
                + "\"legalBasis\":\"Childcare Act 2006 s5A-5D\","
                + "\"returnId\":\"926-2026-SPRING\","
                + "\"disclosedFields\":[\"names\",\"dateOfBirth\",\"school\",\"keyStage2\",\"childInNeed\"],"
                + "\"deleteBy\":\"2027-01-20\","
                + "\"pseudonymised\":false,"
                + "\"names\":{\"legalSurname\":\"O\\\"Brien\",\"legalForename\":\"Zoë\",\"preferredForename\":\"Zo\"},"
                + "\"dateOfBirth\":\"2014-05-01\","
                + "\"school\":{\"laNumber\":\"926\",\"establishmentNumber\":\"2001\",\"name\":\"Norwich Hillside Primary School\",\"phase\":\"PRIMARY\"},"
                + "\"keyStage2\":[{\"year\":2025,\"subject\":\"MAT\",\"value\":\"105\"},{\"year\":2025,\"subject\":\"RDG\",\"method\":\"TT\",\"value\":\"A\"}],"
                + "\"childInNeed\":false"
                + "}");
    }

    @Test
    void sameRecordAlwaysGivesTheSameBytes() {
        PupilDisclosure disclosure = disclosure();
        PupilDisclosure copy = PupilDisclosure.newBuilder(disclosure).build();

        assertThat(DisclosureJson.toJson(disclosure)).isEqualTo(DisclosureJson.toJson(disclosure)).isEqualTo(DisclosureJson.toJson(copy));
    }

    @Test
    void requiredFieldLeftNullIsRefusedNamingTheField() {
        PupilDisclosure withoutId = disclosure();
        withoutId.setDisclosureId(null);
        PupilDisclosure withoutSurname = disclosure();
        Names names = new Names();
        names.setLegalForename("Zoë");
        withoutSurname.setNames(names);

        assertThatThrownBy(() -> DisclosureJson.toJson(withoutId))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Field disclosureId is null, but its schema does not allow null");
        assertThatThrownBy(() -> DisclosureJson.toJson(withoutSurname))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Field names.legalSurname is null, but its schema does not allow null");
    }

    @Test
    void genericRecordsMapTimestampsMapsEnumsNumbersAndNullElements() {
        Schema schema = new Schema.Parser().parse("""
                {"type": "record", "name": "Sample", "fields": [
                  {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                  {"name": "atMicros", "type": ["null", {"type": "long", "logicalType": "timestamp-micros"}], "default": null},
                  {"name": "counts", "type": {"type": "map", "values": "int"}},
                  {"name": "ratio", "type": "double"},
                  {"name": "big", "type": "long"},
                  {"name": "term", "type": {"type": "enum", "name": "Term", "symbols": ["AUTUMN", "SPRING"]}},
                  {"name": "notes", "type": {"type": "array", "items": ["null", "string"]}},
                  {"name": "day", "type": {"type": "int", "logicalType": "date"}},
                  {"name": "absent", "type": ["null", "Sample"], "default": null}
                ]}""");
        GenericRecord record = new GenericData.Record(schema);
        record.put("at", Instant.parse("2026-01-20T09:15:30.250Z").toEpochMilli());
        record.put("atMicros", 1_000_001L);
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("zebra", 2);
        counts.put("apple", 1);
        record.put("counts", counts);
        record.put("ratio", 0.25);
        record.put("big", 9_007_199_254_740_993L);
        record.put("term", new GenericData.EnumSymbol(schema.getField("term").schema(), "SPRING"));
        record.put("notes", Arrays.asList("first", null));
        record.put("day", (int) LocalDate.of(2014, 5, 1).toEpochDay());

        assertThat(json(DisclosureJson.toJson(record))).isEqualTo("{"
                + "\"at\":\"2026-01-20T09:15:30.250Z\","
                + "\"atMicros\":\"1970-01-01T00:00:01.000001Z\","
                + "\"counts\":{\"apple\":1,\"zebra\":2},"
                + "\"ratio\":0.25,"
                + "\"big\":9007199254740993,"
                + "\"term\":\"SPRING\","
                + "\"notes\":[\"first\",null],"
                + "\"day\":\"2014-05-01\""
                + "}");
    }

    @Test
    void avroTypesWithoutAJsonMappingAreRefusedNamingTheField() {
        Schema schema = new Schema.Parser().parse("""
                {"type": "record", "name": "WithBytes", "fields": [{"name": "photo", "type": "bytes"}]}""");
        GenericRecord record = new GenericData.Record(schema);
        record.put("photo", ByteBuffer.wrap(new byte[] {1, 2}));

        assertThatThrownBy(() -> DisclosureJson.toJson(record)).hasMessageContaining("photo").hasMessageContaining("BYTES");
        assertThatThrownBy(() -> DisclosureJsonSchema.generate(schema, "urn:test")).hasMessageContaining("WithBytes.photo").hasMessageContaining("BYTES");
    }

    @Test
    void nonFiniteNumbersAreRefusedBecauseJsonCannotCarryThem() {
        Schema schema = new Schema.Parser().parse("""
                {"type": "record", "name": "Ratio", "fields": [{"name": "ratio", "type": "double"}]}""");
        GenericRecord record = new GenericData.Record(schema);
        record.put("ratio", Double.NaN);

        assertThatThrownBy(() -> DisclosureJson.toJson(record)).hasMessage("Field ratio is NaN, which JSON cannot represent");
    }

    private static PupilDisclosure disclosure() {
        return PupilDisclosure.newBuilder()
                .setDisclosureId("7d0c6a1e-2b7f-8c55-9a3e-0f4d1c2b3a49")
                .setRecipientId("childrens-centres")
                .setPolicyId("norfolk-census-sharing")
                .setPolicyVersion("2026.1")
                .setPolicyContentHash("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .setLegalBasis("Childcare Act 2006 s5A-5D")
                .setReturnId("926-2026-SPRING")
                .setDisclosedFields(List.of("names", "dateOfBirth", "school", "keyStage2", "childInNeed"))
                .setDeleteBy(LocalDate.of(2027, 1, 20))
                .setPseudonymised(false)
                .setNames(Names.newBuilder().setLegalSurname("O\"Brien").setLegalForename("Zoë").setPreferredForename("Zo").build())
                .setDateOfBirth(LocalDate.of(2014, 5, 1))
                .setSchool(School.newBuilder().setLaNumber("926").setEstablishmentNumber("2001").setName("Norwich Hillside Primary School")
                        .setPhase(SchoolPhase.PRIMARY).build())
                .setKeyStage2(List.of(
                        AssessmentResult.newBuilder().setYear(2025).setSubject("MAT").setValue("105").build(),
                        AssessmentResult.newBuilder().setYear(2025).setSubject("RDG").setMethod("TT").setValue("A").build()))
                .setChildInNeed(false)
                .build();
    }

    private static String json(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
