package org.pupilflow.formats.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pupilflow.census.AttendanceYear;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.CensusTerm;
import org.pupilflow.census.SchoolPhase;
import org.pupilflow.formats.Examples;
import org.pupilflow.formats.Samples;
import org.pupilflow.formats.census.CensusDayChoice;
import org.pupilflow.formats.census.CensusDays;
import org.pupilflow.formats.read.CensusFormatException;
import org.pupilflow.formats.read.FieldIssue;
import org.pupilflow.formats.read.ParsedRecord;
import org.pupilflow.formats.read.ReturnContext;

/**
 * The LA's census tables. The example tables ({@link Examples#CENSUS_TABLES}) are written by hand from liia-tools' school
 * census schema (the spring names {@code addresses} and {@code fsmperiod}, {@code reason1}, the
 * tables' own date form, columns in another order than the writer's, rows of the pupil-level tables
 * out of pupil order, a table PupilFlow does not read); each test zips them as it needs.
 */
class CensusTablesReaderTest {

    private static final ReturnContext NOTHING_GIVEN = new ReturnContext("R-1", null, null, null, CensusDays.dfeRule(), LocalDate.of(2026, 2, 3));
    private static final List<String> HAND_WRITTEN = Examples.CENSUS_TABLE_FILES;

    @TempDir
    Path dir;

    private static String handWritten(String file) {
        return new String(Examples.bytes(Examples.CENSUS_TABLES + "/" + file), StandardCharsets.UTF_8);
    }

    /** The hand-written tables as file name → content, in zip order; edit before zipping. */
    private static Map<String, String> tables() {
        Map<String, String> tables = new LinkedHashMap<>();
        HAND_WRITTEN.forEach(file -> tables.put(file, handWritten(file)));
        return tables;
    }

    private Path zip(Map<String, ?> entries) {
        Path file = dir.resolve("tables-" + System.nanoTime() + ".zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, ?> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue() instanceof byte[] bytes ? bytes : entry.getValue().toString().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static List<ParsedRecord> read(Path zip, ReturnContext context) {
        return Samples.readAll(CensusTablesReader.open(zip, context, TableSetLimits.defaults()));
    }

    private <T extends CensusFormatException> T refused(Class<T> type, Path zip) {
        return refused(type, zip, TableSetLimits.defaults());
    }

    private <T extends CensusFormatException> T refused(Class<T> type, Path zip, TableSetLimits limits) {
        T e = catchThrowableOfType(type, () -> CensusTablesReader.open(zip, NOTHING_GIVEN, limits).close());
        assertThat(e).as("the tables must be refused").isNotNull();
        return e;
    }

    @Test
    void tablesWrittenByHandFromThePublicSchemaLoadWithTheirPupils() {
        List<ParsedRecord> records = read(zip(tables()), NOTHING_GIVEN);

        assertThat(records).allSatisfy(r -> assertThat(r.issues()).isEmpty());
        assertThat(records).extracting(ParsedRecord::upn).containsExactly("R926200121001", "F926200121002", "E926400315021", "E888411012345");
        assertThat(records).extracting(ParsedRecord::location)
                .containsExactly("pupilonroll.csv line 2", "pupilonroll.csv line 3", "pupilonroll.csv line 4", "pupilonroll.csv line 5");

        CensusPupil amelia = records.get(0).pupil();
        assertThat(amelia.getSchool().getName()).isEqualTo("Hillside Primary School");
        assertThat(amelia.getSchool().getEstablishmentNumber()).isEqualTo("2001");
        assertThat(amelia.getSchool().getUrn()).isEqualTo("121001");
        assertThat(amelia.getSchool().getPhase()).isEqualTo(SchoolPhase.PRIMARY);
        assertThat(amelia.getDateOfBirth()).isEqualTo(LocalDate.of(2017, 3, 14));
        assertThat(amelia.getAddress().getLines()).containsExactly("12 Mill Lane", "Hingham");
        assertThat(amelia.getAttendance()).singleElement().isEqualTo(AttendanceYear.newBuilder().setYear(2025)
                .setSessionsPossible(142).setSessionsAuthorised(6).setSessionsUnauthorised(1).build());
        assertThat(amelia.getCensus().getCensusDay()).isEqualTo(LocalDate.of(2026, 1, 15));
        assertThat(amelia.getCensus().getTerm()).isEqualTo(CensusTerm.SPRING);
        assertThat(records.get(0).censusDay().source()).isEqualTo(CensusDayChoice.Source.FILE);

        CensusPupil oliver = records.get(1).pupil();
        assertThat(oliver.getFreeSchoolMeals().getPeriods()).singleElement().satisfies(f -> assertThat(f.getStartDate()).isEqualTo(LocalDate.of(2024, 4, 10)));
        assertThat(oliver.getSpecialEducationalNeeds().getNeeds()).singleElement().satisfies(n -> assertThat(n.getType()).isEqualTo("SLCN"));
        assertThat(oliver.getAddress().getUprn()).isEqualTo("100091234567");

        CensusPupil sam = records.get(2).pupil();
        assertThat(sam.getSchool().getName()).isEqualTo("Wymondham High School");
        assertThat(sam.getSchool().getPhase()).isEqualTo(SchoolPhase.SECONDARY);
        assertThat(sam.getNames().getLegalSurname()).isEqualTo("O'Neill, Jr");
        assertThat(sam.getAddress().getLines()).containsExactly("Flat 2", "41 Station Road", "Attleborough");
        assertThat(sam.getAddress().getTown()).isEqualTo("Norwich");
        assertThat(sam.getFreeSchoolMeals().getPeriods()).hasSize(2);
        assertThat(sam.getSpecialEducationalNeeds().getProvision()).isEqualTo("E");
        assertThat(sam.getSpecialEducationalNeeds().getNeeds()).extracting(n -> n.getType() + n.getRank()).containsExactly("SEMH2", "ASD1");
        assertThat(sam.getExclusions()).singleElement().satisfies(e -> {
            assertThat(e.getCategory()).isEqualTo("SUSP");
            assertThat(e.getReason()).isEqualTo("PP");
            assertThat(e.getSessions()).isEqualTo(2);
        });

        CensusPupil priya = records.get(3).pupil();
        assertThat(priya.getIdentity().getUpn()).as("issued by Lancashire, on roll in Norfolk").startsWith("E888");
        assertThat(priya.getDateOfBirth()).isEqualTo(LocalDate.of(2012, 2, 29));
        assertThat(priya.getNames().getFormerSurname()).isEqualTo("Shah");
        assertThat(priya.getAttendance()).isEmpty();
        assertThat(priya.getAddress().getLines()).containsExactly("5 Tiffey Way");
    }

    @Test
    void everySamplePupilWrittenAsTablesReadsBackAsTheTablesCarryItAcrossManyBuckets() throws IOException {
        List<CensusPupil> pupils = Samples.pupils(Samples.SIZE);
        Path file = dir.resolve("sample.zip");
        try (OutputStream out = Files.newOutputStream(file)) {
            new CensusTablesWriter(out, Samples.HEADER, dir).writeAll(pupils);
        }

        List<ParsedRecord> records = Samples.readAll(CensusTablesReader.open(file, Samples.FILE_ONLY, TableSetLimits.defaults(), 100));

        assertThat(records).hasSize(Samples.SIZE);
        for (int i = 0; i < Samples.SIZE; i++) {
            assertThat(records.get(i).issues()).as("record %d", i).isEmpty();
            assertThat(records.get(i).pupil()).as("record %d", i).isEqualTo(CensusTablesProjection.of(pupils.get(i), Samples.HEADER));
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("the writer's and reader's temporary files are gone").containsExactly(file);
        }
    }

    @Test
    void aMissingRequiredTableIsRefusedNamingItAndWhatWasFound() {
        Map<String, String> tables = tables();
        tables.remove("addresses.csv");

        CensusFormatException e = refused(CensusFormatException.class, zip(tables));

        assertThat(e.getMessage()).startsWith("The census tables lack required table addressesonroll or addresses")
                .contains("found: schoolcensus.csv (schoolcensus), school.csv (school), pupilonroll.csv (pupilonroll)");
    }

    @Test
    void aTableWithoutItsJoinColumnIsRefused() {
        Map<String, String> tables = tables();
        tables.put("senneeds.csv", tables.get("senneeds.csv").replace("pupilonrolltableid", "pupilid"));

        assertThat(refused(CensusFormatException.class, zip(tables)).getMessage())
                .isEqualTo("senneeds.csv (senneeds) has no pupilonrolltableid column, so its rows cannot be joined");
    }

    @Test
    void aRowForAPupilThatDoesNotExistIsRefusedWithTableLineAndColumn() {
        Map<String, String> tables = tables();
        tables.put("fsmperiod.csv", tables.get("fsmperiod.csv").replace("72,72,2,SC-2001,502,", "72,72,2,SC-2001,599,"));

        InconsistentTablesException e = refused(InconsistentTablesException.class, zip(tables));

        assertThat(e.count()).isEqualTo(1);
        assertThat(e.issues()).singleElement().isEqualTo(new FieldIssue("fsmperiod.csv line 3", "fsmperiod.pupilonrolltableid", "unknown-reference",
                "fsmperiod.csv line 3: pupilonrolltableid '599' is not the id of a pupil in pupilonroll"));
    }

    @Test
    void duplicateIdsAreRefusedNamingBothLines() {
        Map<String, String> tables = tables();
        tables.put("pupilonroll.csv", tables.get("pupilonroll.csv")
                + "501,505,3,SC-2001,11,A926200120044,,F,Twin,Ava,,,,,2017-Mar-14 00:00:00,,,,,,,,N,ENG,N,C,N,N,4,WBRI\n");
        tables.put("senneeds.csv", tables.get("senneeds.csv").replace("83,83,3,", "81,83,3,"));

        InconsistentTablesException e = refused(InconsistentTablesException.class, zip(tables));

        assertThat(e.issues()).extracting(FieldIssue::location, FieldIssue::field, FieldIssue::rule).containsExactly(
                org.assertj.core.groups.Tuple.tuple("pupilonroll.csv line 6", "pupilonroll.pupilonrolltableid", "duplicate-id"),
                org.assertj.core.groups.Tuple.tuple("senneeds.csv line 4", "senneeds.senneedstableid", "duplicate-id"));
        assertThat(e.issues().get(1).message()).isEqualTo("senneeds.csv line 4: senneedstableid '81' is given twice (first on line 2)");
    }

    @Test
    void aPupilOfAReturnThatDoesNotExistAndABlankKeyAreRefused() {
        Map<String, String> tables = tables();
        tables.put("pupilonroll.csv", tables.get("pupilonroll.csv").replace("504,504,2,SC-4003,12,", "504,504,2,SC-4003,13,"));
        tables.put("addresses.csv", tables.get("addresses.csv").replace("901,901,1,SC-2001,501,", "901,901,1,SC-2001,,"));

        InconsistentTablesException e = refused(InconsistentTablesException.class, zip(tables));

        assertThat(e.issues()).extracting(FieldIssue::location, FieldIssue::field, FieldIssue::rule).containsExactly(
                org.assertj.core.groups.Tuple.tuple("pupilonroll.csv line 5", "pupilonroll.schoolcensustableid", "unknown-reference"),
                org.assertj.core.groups.Tuple.tuple("addresses.csv line 3", "addresses.pupilonrolltableid", "required"));
    }

    @Test
    void anEntryThatClimbsOutOfTheArchiveIsRefused() {
        Map<String, String> tables = tables();
        tables.put("../../etc/cron.d/evil.csv", "x\n");

        assertThat(refused(CensusFormatException.class, zip(tables)).getMessage()).contains("'../../etc/cron.d/evil.csv' has an unsafe path");
        assertThat(refused(CensusFormatException.class, zip(Map.of("/abs/pupilonroll.csv", "x"))).getMessage()).contains("unsafe path");
        assertThat(refused(CensusFormatException.class, zip(Map.of("dir\\pupilonroll.csv", "x"))).getMessage()).contains("unsafe path");
    }

    @Test
    void aZipInsideIsRefusedByNameAndByContent() throws IOException {
        byte[] inner = Files.readAllBytes(zip(tables()));
        Map<String, Object> byName = new LinkedHashMap<>(tables());
        byName.put("more.zip", inner);
        Map<String, Object> byContent = new LinkedHashMap<>(tables());
        byContent.put("more.csv", inner);

        assertThat(refused(CensusFormatException.class, zip(byName)).getMessage()).contains("holds another archive, 'more.zip'");
        assertThat(refused(CensusFormatException.class, zip(byContent)).getMessage()).contains("'more.csv' is a zip inside the zip");
    }

    @Test
    void anEntryThatIsNotCsvIsRefused() {
        Map<String, String> tables = tables();
        tables.put("notes.txt", "hello");

        assertThat(refused(CensusFormatException.class, zip(tables)).getMessage())
                .contains("holds 'notes.txt', which is not a CSV file");
    }

    @Test
    void aZipBombIsRefusedByItsRatioAndByItsTotal() {
        Map<String, Object> bomb = new LinkedHashMap<>(tables());
        bomb.put("padding.csv", "0\n".repeat(10_000_000));

        assertThat(refused(CensusFormatException.class, zip(bomb)).getMessage())
                .contains("'padding.csv' inflates to more than 200 times its compressed size");
        TableSetLimits small = new TableSetLimits(64, 4_000, 200, 1L << 20, 1L << 20, null);
        assertThat(refused(CensusFormatException.class, zip(tables()), small).getMessage()).contains("The zip inflates to more than 4000 bytes");
    }

    @Test
    void somethingElseThanAZipIsRefused() throws IOException {
        Path notAZip = dir.resolve("census.zip");
        Files.writeString(notAZip, "upn,surname\n");

        assertThat(refused(CensusFormatException.class, notAZip).getMessage()).startsWith("Not a readable zip file");
    }

    @Test
    void aPupilWithTwoAddressesIsReportedAndAMissingValueNamedByTableAndColumn() {
        Map<String, String> tables = tables();
        tables.put("addresses.csv", tables.get("addresses.csv") + "905,905,5,SC-2001,501,,NR9 9ZZ,,,,,,,Norwich,1 Other Road,,,,\n");
        tables.put("pupilonroll.csv", tables.get("pupilonroll.csv").replace(",F,Patel,", ",,Patel,"));

        List<ParsedRecord> records = read(zip(tables), NOTHING_GIVEN);

        assertThat(records.get(0).issues()).extracting(FieldIssue::field, FieldIssue::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("addresses.pupilonrolltableid", "format"));
        assertThat(records.get(3).pupil()).isNull();
        assertThat(records.get(3).issues()).extracting(FieldIssue::location, FieldIssue::field, FieldIssue::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pupilonroll.csv line 5", "pupilonroll.sex", "required"));
    }

    @Test
    void withoutAReferenceDateTheDayIsTheRulesForTermAndYear() {
        Map<String, String> tables = tables();
        tables.put("schoolcensus.csv", tables.get("schoolcensus.csv").replace("2026-Jan-15 00:00:00", ""));

        ParsedRecord record = read(zip(tables), NOTHING_GIVEN).get(0);

        assertThat(record.pupil().getCensus().getCensusDay()).isEqualTo(LocalDate.of(2026, 1, 15));
        assertThat(record.censusDay().source()).isEqualTo(CensusDayChoice.Source.RULE);
        assertThat(record.censusDay().explanation()).contains("schoolcensus.term", "schoolcensus.year 2026");
    }

    @Test
    void theTablesOwnDateFormAndCommonOthersAreRead() {
        assertThat(TableDates.parse("2026-Jan-15 00:00:00")).isEqualTo(LocalDate.of(2026, 1, 15));
        assertThat(TableDates.parse("2026-SEP-03 10:00:00")).isEqualTo(LocalDate.of(2026, 9, 3));
        assertThat(TableDates.parse("2026-01-15")).isEqualTo(LocalDate.of(2026, 1, 15));
        assertThat(TableDates.parse("2026-01-15 09:30:00")).isEqualTo(LocalDate.of(2026, 1, 15));
        assertThat(TableDates.parse("15/01/2026")).isEqualTo(LocalDate.of(2026, 1, 15));
        assertThat(TableDates.format(LocalDate.of(2026, 9, 3))).isEqualTo("2026-Sep-03 00:00:00");
    }

    @Test
    void writtenTablesNameEveryTableAndTheirJoinColumns() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CensusTablesWriter(out, Samples.HEADER, dir).writeAll(Samples.pupils(3));
        Path file = dir.resolve("written.zip");
        Files.write(file, out.toByteArray());

        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            assertThat(java.util.Collections.list(zip.entries())).extracting(ZipEntry::getName).containsExactly("schoolcensus.csv", "school.csv",
                    "pupilonroll.csv", "addressesonroll.csv", "fsmperiodsonroll.csv", "senneeds.csv", "termlyexclusionsonroll.csv");
            String pupils = new String(zip.getInputStream(zip.getEntry("pupilonroll.csv")).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(pupils).startsWith("pupilonrolltableid,NativeId,pupilonrollorderseqcolumn,sourceid,schoolcensustableid,upn,");
            assertThat(pupils.lines()).hasSize(4);
        }
    }
}
