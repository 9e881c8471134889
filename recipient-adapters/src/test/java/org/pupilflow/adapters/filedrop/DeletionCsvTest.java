package org.pupilflow.adapters.filedrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.pupilflow.sharing.DeletionDue;
import org.pupilflow.sharing.DeletionRequest;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DeletionCsvTest {

    private final DeletionCsv csv = new DeletionCsv();

    @Test
    void headerIsTheSameWhateverTheBatchHolds() throws IOException {
        List<String> expected = List.of("kind", "id", "disclosureIds", "reason", "legalBasis", "deleteBy", "replacedBy", "issuedAt", "policyId",
                "policyVersion");

        assertThat(parse(csv.render(List.of(DeletionRecords.withheld("r-1", "post16", "d-1")))).getHeaderNames()).isEqualTo(expected);
        assertThat(parse(csv.render(List.of(DeletionRecords.due("n-1", "post16", LocalDate.of(2027, 1, 20), "d-1")))).getHeaderNames())
                .isEqualTo(expected);
        assertThat(csv.render(List.of()).columns()).isEqualTo(expected).isEqualTo(DeletionCsv.COLUMNS);
    }

    @Test
    void aRequestAndANoticeReadBackAsTheirValuesInFileOrder() throws IOException {
        DeletionRequest request = DeletionRecords.restricted("r-1", "post16", "d-9", "d-1", "d-2");
        DeletionDue notice = DeletionRecords.due("n-1", "post16", LocalDate.of(2027, 1, 20), "d-3");

        List<CSVRecord> rows = parse(csv.render(List.of(request, notice))).getRecords();

        assertThat(rows).hasSize(2);
        CSVRecord first = rows.get(0);
        assertThat(first.get("kind")).isEqualTo("deletion-request");
        assertThat(first.get("id")).isEqualTo("r-1");
        assertThat(ids(first.get("disclosureIds"))).containsExactly("d-1", "d-2");
        assertThat(first.get("reason")).isEqualTo(request.getReason());
        assertThat(first.get("legalBasis")).isEqualTo(request.getLegalBasis());
        assertThat(first.get("deleteBy")).isEmpty();
        assertThat(first.get("replacedBy")).isEqualTo("d-9");
        assertThat(first.get("issuedAt")).isEqualTo("2026-03-03T09:14:07.512Z");
        assertThat(first.get("policyId")).isEqualTo("norfolk-census-sharing");
        assertThat(first.get("policyVersion")).isEqualTo("2026.1");
        CSVRecord second = rows.get(1);
        assertThat(second.get("kind")).isEqualTo("deletion-due");
        assertThat(second.get("id")).isEqualTo("n-1");
        assertThat(ids(second.get("disclosureIds"))).containsExactly("d-3");
        assertThat(second.get("reason")).isEmpty();
        assertThat(second.get("deleteBy")).isEqualTo("2027-01-20");
        assertThat(second.get("replacedBy")).isEmpty();
        assertThat(second.get("issuedAt")).isEqualTo("2027-01-21T00:00:03Z");
    }

    @Test
    void aWithholdingRequestHasAnEmptyReplacedBy() throws IOException {
        CSVRecord row = parse(csv.render(List.of(DeletionRecords.withheld("r-1", "post16", "d-1")))).getRecords().get(0);

        assertThat(row.get("replacedBy")).isEmpty();
    }

    @Test
    void theFileIsUtf8WithCrlfAndAReasonWithCommasQuotesAndLineBreaksRoundTrips() throws IOException {
        String awkward = "objection O-1 by parent, \"Mrs Ó Súilleabháin\"\r\nsecond line";
        DeletionRequest request = DeletionRequest.newBuilder(DeletionRecords.withheld("r-1", "post16", "d-1")).setReason(awkward).build();

        DisclosureCsv.Rendered rendered = csv.render(List.of(request));

        String text = new String(rendered.content(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("kind,id,disclosureIds,").endsWith("\r\n");
        assertThat(parse(rendered).getRecords().get(0).get("reason")).isEqualTo(awkward);
    }

    @Test
    void textThatASpreadsheetWouldRunAsAFormulaIsPrefixedWithAQuote() throws IOException {
        DeletionRequest request = DeletionRequest.newBuilder(DeletionRecords.withheld("=r-1", "post16", "=HYPERLINK(\"x\")"))
                .setReason("@SUM(A1)").setLegalBasis("+s537A").build();

        CSVRecord row = parse(csv.render(List.of(request))).getRecords().get(0);

        assertThat(row.get("id")).isEqualTo("'=r-1");
        assertThat(row.get("reason")).isEqualTo("'@SUM(A1)");
        assertThat(row.get("legalBasis")).isEqualTo("'+s537A");
        // A JSON cell starts with '[', which no spreadsheet runs; its content stays exact.
        assertThat(ids(row.get("disclosureIds"))).containsExactly("=HYPERLINK(\"x\")");
    }

    @Test
    void theSameRecordsGiveTheSameBytes() {
        List<SpecificRecord> batch = List.of(DeletionRecords.withheld("r-1", "post16", "d-1"), DeletionRecords.due("n-1", "post16",
                LocalDate.of(2027, 1, 20), "d-2"));

        assertThat(csv.render(batch).content()).isEqualTo(new DeletionCsv().render(List.copyOf(batch)).content());
    }

    @Test
    void refusesARecordThatIsNeitherARequestNorANotice() {
        SpecificRecord disclosure = NorfolkDisclosures.of("post16").get(0);

        assertThatThrownBy(() -> csv.render(List.of(disclosure))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PupilDisclosure");
    }

    private static List<String> ids(String cell) {
        JsonNode array = JsonMapper.builder().build().readTree(cell);
        return array.valueStream().map(JsonNode::asString).toList();
    }

    private static CSVParser parse(DisclosureCsv.Rendered rendered) throws IOException {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(new String(rendered.content(), StandardCharsets.UTF_8)));
    }
}
