package org.pupilflow.formats.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Names;
import org.pupilflow.formats.Samples;

class CensusCsvWriterTest {

    private static final int SIZE = Samples.SIZE;

    @TempDir
    static Path dir;
    private static Path file;
    private static List<CensusPupil> census;
    private static List<String> header;
    private static List<CSVRecord> rows;

    @BeforeAll
    static void writeAndParse() throws IOException {
        census = Samples.pupils(SIZE);
        file = dir.resolve("census.csv");
        write(file, census);
        try (CSVParser parser = parse(file)) {
            header = parser.getHeaderNames();
            rows = parser.getRecords();
        }
    }

    @Test
    void theHeaderIsTheDocumentedColumnList() {
        assertThat(header).isEqualTo(CensusCsvWriter.HEADER);
    }

    @Test
    void thereIsOneFullWidthRowPerPupil() {
        assertThat(rows).hasSize(SIZE).allSatisfy(row -> assertThat(row.size()).isEqualTo(CensusCsvWriter.HEADER.size()));
    }

    @Test
    void identityDateOfBirthAndYearMatchTheGeneratedRecords() {
        // Fresh copies, so the comparison does not depend on what the writer did with its input.
        List<CensusPupil> again = Samples.pupils(SIZE);
        for (int i = 0; i < SIZE; i++) {
            CensusPupil expected = again.get(i);
            CSVRecord row = rows.get(i);
            assertThat(row.get("upn")).isEqualTo(expected.getIdentity().getUpn());
            assertThat(row.get("dob")).isEqualTo(expected.getDateOfBirth().toString());
            assertThat(row.get("nc_year")).isEqualTo(expected.getEnrolment().getNcYearActual());
            assertThat(row.get("surname")).isEqualTo(expected.getNames().getLegalSurname());
            assertThat(row.get("census_day")).isEqualTo(Samples.CENSUS_DAY.toString());
            assertThat(row.get("return_id")).isEqualTo(Samples.RETURN_ID);
        }
    }

    @Test
    void absentOptionalValuesAreEmptyCells() {
        int index = 0;
        while (census.get(index).getIdentity().getFormerUpn() != null || census.get(index).getNames().getMiddleNames() != null) {
            index++;
        }

        assertThat(rows.get(index).get("former_upn")).isEmpty();
        assertThat(rows.get(index).get("middle_names")).isEmpty();
    }

    @Test
    void commasAndQuotesInValuesSurviveCsvQuoting(@TempDir Path elsewhere) throws IOException {
        CensusPupil generated = census.get(0);
        String surname = "O'Brien, \"Jr\"";
        CensusPupil awkward = CensusPupil.newBuilder(generated)
                .setNames(Names.newBuilder(generated.getNames()).setLegalSurname(surname).build())
                .build();
        Path awkwardFile = elsewhere.resolve("awkward.csv");

        write(awkwardFile, List.of(awkward, census.get(1)));

        try (CSVParser parser = parse(awkwardFile)) {
            List<CSVRecord> parsed = parser.getRecords();
            assertThat(parsed).hasSize(2);
            assertThat(parsed.get(0).get("surname")).isEqualTo(surname);
            assertThat(parsed.get(0).get("upn")).isEqualTo(generated.getIdentity().getUpn());
            assertThat(parsed.get(1).get("upn")).isEqualTo(census.get(1).getIdentity().getUpn());
        }
    }

    private static void write(Path target, Iterable<CensusPupil> pupils) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            new CensusCsvWriter(out).writeAll(pupils);
        }
    }

    private static CSVParser parse(Path csv) throws IOException {
        return CSVParser.builder().setPath(csv).setCharset(StandardCharsets.UTF_8)
                .setFormat(CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()).get();
    }
}
