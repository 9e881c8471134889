package org.pupilflow.formats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.CensusTerm;
import org.pupilflow.formats.census.CensusDayChoice;
import org.pupilflow.formats.census.CensusDays;
import org.pupilflow.formats.collect.SchoolCensusXmlReader;
import org.pupilflow.formats.csv.CensusCsvReader;
import org.pupilflow.formats.ctf.CtfXmlReader;
import org.pupilflow.formats.detect.CensusFormat;
import org.pupilflow.formats.detect.CensusFormatDetector;
import org.pupilflow.formats.read.ParsedRecord;
import org.pupilflow.formats.read.ReturnContext;
import org.pupilflow.formats.tables.CensusTablesReader;
import org.pupilflow.formats.tables.TableSetLimits;

/**
 * The minimal examples of the project README's "Formats accepted" load as they are printed, with no
 * upload parameters: each fenced block after an {@code <!-- example FORMAT [file] -->} marker is
 * one file (the census tables' blocks are zipped together). A README edit that breaks an example
 * fails here.
 */
class ReadmeExamplesTest {

    private static final Pattern EXAMPLE = Pattern.compile("<!-- example (\\w+)(?: (\\S+))? -->\\s*```\\w*\\n(.*?)```", Pattern.DOTALL);
    /** Nothing from the upload but the return id; the README's CTF is dated 20 January 2026. */
    private static final ReturnContext NOTHING_GIVEN = new ReturnContext("R-README", null, null, null, CensusDays.dfeRule(), LocalDate.of(2026, 1, 21));

    @TempDir
    Path dir;

    private record Example(String format, String file, String text) {
    }

    private static List<Example> examples() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        List<Example> examples = new ArrayList<>();
        Matcher m = EXAMPLE.matcher(readme);
        while (m.find()) {
            examples.add(new Example(m.group(1), m.group(2), m.group(3)));
        }
        return examples;
    }

    private static String only(String format) throws IOException {
        List<Example> found = examples().stream().filter(e -> e.format().equals(format)).toList();
        assertThat(found).as("one README example of " + format).hasSize(1);
        return found.get(0).text();
    }

    private static CensusFormat detected(byte[] file) {
        return CensusFormatDetector.detect(new BufferedInputStream(new ByteArrayInputStream(file)));
    }

    private static ParsedRecord theOnePupil(List<ParsedRecord> records) {
        assertThat(records).singleElement().satisfies(r -> assertThat(r.issues()).isEmpty());
        return records.get(0);
    }

    @Test
    void theReadmeHasAnExampleOfEveryFormat() throws IOException {
        assertThat(examples()).extracting(Example::format).containsOnly("ctf", "collect", "tables", "csv")
                .contains("ctf", "collect", "tables", "csv");
    }

    @Test
    void theCtfExampleLoadsOnTheRulesCensusDayAtTheSendingSchool() throws IOException {
        byte[] xml = only("ctf").getBytes(StandardCharsets.UTF_8);
        assertThat(detected(xml)).isEqualTo(CensusFormat.CTF);

        ParsedRecord record = theOnePupil(Samples.readAll(new CtfXmlReader(new ByteArrayInputStream(xml), NOTHING_GIVEN)));

        CensusPupil evie = record.pupil();
        assertThat(evie.getIdentity().getUpn()).isEqualTo("H926200119031");
        assertThat(evie.getSchool().getEstablishmentNumber()).isEqualTo("2001");
        assertThat(evie.getCensus().getTerm()).isEqualTo(CensusTerm.SPRING);
        assertThat(evie.getCensus().getCensusDay()).as("third Thursday of January 2026").isEqualTo(LocalDate.of(2026, 1, 15));
        assertThat(record.censusDay().source()).isEqualTo(CensusDayChoice.Source.RULE);
    }

    @Test
    void theSchoolCensusExampleLoads() throws IOException {
        byte[] xml = only("collect").getBytes(StandardCharsets.UTF_8);
        assertThat(detected(xml)).isEqualTo(CensusFormat.COLLECT);

        ParsedRecord record = theOnePupil(Samples.readAll(new SchoolCensusXmlReader(new ByteArrayInputStream(xml), NOTHING_GIVEN)));

        assertThat(record.upn()).isEqualTo("R926200121001");
        assertThat(record.pupil().getSchool().getName()).isEqualTo("Hillside Primary School");
        assertThat(record.pupil().getCensus().getCensusDay()).isEqualTo(LocalDate.of(2026, 1, 15));
        assertThat(record.censusDay().source()).isEqualTo(CensusDayChoice.Source.FILE);
    }

    @Test
    void theCensusTablesExampleLoadsOnceZipped() throws IOException {
        Map<String, String> tables = new LinkedHashMap<>();
        examples().stream().filter(e -> e.format().equals("tables")).forEach(e -> tables.put(e.file(), e.text()));
        assertThat(tables).containsOnlyKeys("schoolcensus.csv", "school.csv", "pupilonroll.csv", "addressesonroll.csv");
        Path zip = dir.resolve("census.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, String> table : tables.entrySet()) {
                out.putNextEntry(new ZipEntry(table.getKey()));
                out.write(table.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(zip))) {
            assertThat(CensusFormatDetector.detect(in)).isEqualTo(CensusFormat.TABLES);
        }

        ParsedRecord record = theOnePupil(Samples.readAll(CensusTablesReader.open(zip, NOTHING_GIVEN, TableSetLimits.defaults())));

        assertThat(record.upn()).isEqualTo("R926200121001");
        assertThat(record.pupil().getAddress().getPostcode()).isEqualTo("NR9 4AB");
        assertThat(record.pupil().getSchool().getName()).isEqualTo("Hillside Primary School");
        assertThat(record.pupil().getCensus().getCensusDay()).isEqualTo(LocalDate.of(2026, 1, 15));
    }

    @Test
    void theCsvExampleLoads() throws IOException {
        String csv = only("csv");
        assertThat(detected(csv.getBytes(StandardCharsets.UTF_8))).isEqualTo(CensusFormat.CSV);

        ParsedRecord record = theOnePupil(Samples.readAll(new CensusCsvReader(new StringReader(csv), NOTHING_GIVEN)));

        assertThat(record.upn()).isEqualTo("R926200121001");
        assertThat(record.pupil().getCensus().getLaNumber()).isEqualTo("926");
        assertThat(record.pupil().getCensus().getCensusDay()).isEqualTo(LocalDate.of(2026, 1, 15));
    }
}
