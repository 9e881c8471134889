package org.pupilflow.formats.csv;

import org.pupilflow.formats.Samples;
import org.pupilflow.formats.read.CensusFormatException;
import org.pupilflow.formats.read.FieldIssue;
import org.pupilflow.formats.read.ParsedRecord;
import org.pupilflow.formats.read.ReturnContext;
import org.pupilflow.formats.read.CensusReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.CensusTerm;
import org.pupilflow.census.Parent;
import org.pupilflow.census.SchoolPhase;
import org.pupilflow.census.Telephone;

class CensusCsvReaderTest {

    private static final int PUPILS = 40;
    private static final List<CensusPupil> CENSUS = Samples.pupils(PUPILS).stream().map(Samples::asCsvCarriesIt).toList();
    private static final String CSV = Samples.csv(PUPILS);

    private static CsvTable table() {
        return CsvTable.of(CSV);
    }

    private static int first(Predicate<CensusPupil> which) {
        for (int i = 0; i < CENSUS.size(); i++) {
            if (which.test(CENSUS.get(i))) {
                return i;
            }
        }
        throw new IllegalStateException("no such pupil in the fixture census");
    }

    private static void othersUnchanged(List<ParsedRecord> records, int except) {
        assertThat(records).hasSize(PUPILS);
        for (int i = 0; i < PUPILS; i++) {
            if (i != except) {
                assertThat(records.get(i).issues()).as("record %d", i).isEmpty();
                assertThat(records.get(i).pupil()).as("record %d", i).isEqualTo(CENSUS.get(i));
            }
        }
    }

    private static CensusFormatException refused(String csv, ReturnContext context) {
        CensusFormatException e = catchThrowableOfType(CensusFormatException.class, () -> Samples.readCsv(csv, context));
        assertThat(e).as("the file must be refused").isNotNull();
        return e;
    }

    @Nested
    class Header {

        @Test
        void missingRequiredColumnsRefuseTheFileNamingThem() {
            String csv = table().removeColumn("dob").removeColumn("school_name").text();

            CensusFormatException e = refused(csv, Samples.FILE_ONLY);

            assertThat(e.location()).isEqualTo("line 1");
            assertThat(e.getMessage()).isEqualTo("The header lacks required columns dob, school_name");
        }

        @Test
        void censusColumnsAreRequiredOnlyWhenTheReturnLacksTheirValues() {
            String csv = table().removeColumn("census_term").removeColumn("census_day").removeColumn("census_la").text();

            assertThat(refused(csv, Samples.FILE_ONLY).getMessage()).isEqualTo("The header lacks required columns census_term, census_day, census_la");
            ReturnContext full = new ReturnContext(Samples.RETURN_ID, CensusTerm.SPRING, Samples.CENSUS_DAY, "926");
            othersUnchanged(Samples.readCsv(csv, full), -1);
        }

        @Test
        void columnsAreFoundByNameInAnyOrderAndCase() {
            CsvTable table = table().reverseColumns();
            table.header.replaceAll(name -> " " + name.toUpperCase(Locale.ROOT));

            othersUnchanged(Samples.readCsv(table.text()), -1);
        }

        @Test
        void unknownColumnsAreIgnored() {
            othersUnchanged(Samples.readCsv(table().addColumn("favourite_colour", "green").text()), -1);
        }

        @Test
        void aColumnNamedTwiceRefusesTheFile() {
            CsvTable table = table().addColumn("UPN", "x");

            assertThat(refused(table.text(), Samples.FILE_ONLY).getMessage()).isEqualTo("The header names column 'upn' twice");
        }

        @Test
        void anEmptyFileIsRefused() {
            assertThat(refused("", Samples.FILE_ONLY).getMessage()).contains("header row");
            assertThat(refused("\n\n", Samples.FILE_ONLY).getMessage()).contains("header row");
        }

        @Test
        void aHeaderWithoutRowsHasNoRecords() {
            assertThat(Samples.readCsv(CSV.substring(0, CSV.indexOf('\n') + 1))).isEmpty();
        }

        @Test
        void aByteOrderMarkBeforeTheHeaderIsDropped() {
            othersUnchanged(Samples.readCsv("\uFEFF" + CSV), -1);
        }
    }

    @Nested
    class CensusContext {

        @Test
        void theFileWinsOverTheReturnContextAndTheReturnIdIsAlwaysTheReturns() {
            ReturnContext other = new ReturnContext("INGEST-9", CensusTerm.AUTUMN, LocalDate.of(2025, 10, 2), "330");

            List<ParsedRecord> records = Samples.readCsv(CSV, other);

            assertThat(records).allSatisfy(r -> {
                assertThat(r.pupil().getCensus().getTerm()).isEqualTo(CensusTerm.SPRING);
                assertThat(r.pupil().getCensus().getLaNumber()).isEqualTo("926");
                assertThat(r.pupil().getCensus().getReturnId()).isEqualTo("INGEST-9");
            });
        }

        @Test
        void theReturnContextFillsEmptyCells() {
            CsvTable table = table().set(0, "census_term", "").set(0, "census_day", "").set(0, "census_la", "");
            ReturnContext other = new ReturnContext(Samples.RETURN_ID, CensusTerm.AUTUMN, LocalDate.of(2025, 10, 2), "330");

            ParsedRecord record = Samples.readCsv(table.text(), other).get(0);

            assertThat(record.issues()).isEmpty();
            assertThat(record.pupil().getCensus().getTerm()).isEqualTo(CensusTerm.AUTUMN);
            assertThat(record.pupil().getCensus().getCensusDay()).isEqualTo(LocalDate.of(2025, 10, 2));
            assertThat(record.pupil().getCensus().getLaNumber()).isEqualTo("330");
        }

        @Test
        void aContextKnownFromNeitherLeavesNoPupil() {
            CsvTable table = table().set(1, "census_day", "");

            ParsedRecord record = Samples.readCsv(table.text()).get(1);

            assertThat(record.pupil()).isNull();
            assertThat(record.issues()).containsExactly(new FieldIssue("line 3", "census_day", "required",
                    "census_day is missing and the return was not given a census day either"));
        }

        @Test
        void anUnknownTermIsReported() {
            ParsedRecord record = Samples.readCsv(table().set(0, "census_term", "Winter").text()).get(0);

            assertThat(record.pupil()).isNull();
            assertThat(record.issues()).extracting(FieldIssue::field, FieldIssue::rule).containsExactly(tuple("census_term", "code-list"));
        }
    }

    @Nested
    class Rows {

        @ParameterizedTest(name = "{0} empty")
        @ValueSource(strings = {"upn", "surname", "forename", "dob", "sex", "nc_year", "enrol_status", "ethnicity", "first_language", "la", "estab", "school_name"})
        void anEmptyRequiredCellIsReportedOnItsLineAndLeavesNoPupil(String column) {
            ParsedRecord record = Samples.readCsv(table().set(4, column, " ").text()).get(4);

            assertThat(record.pupil()).isNull();
            assertThat(record.location()).isEqualTo("line 6");
            assertThat(record.index()).isEqualTo(5);
            assertThat(record.issues()).containsExactly(new FieldIssue("line 6", column, "required", column + " is missing"));
            assertThat(record.upn()).isEqualTo(column.equals("upn") ? null : CENSUS.get(4).getIdentity().getUpn());
        }

        @Test
        void aRowWithoutAnAddressLeavesNoPupil() {
            CsvTable table = table();
            for (String column : List.of("address_line1", "address_line2", "address_line3", "postcode")) {
                table.set(0, column, "");
            }

            ParsedRecord record = Samples.readCsv(table.text()).get(0);

            assertThat(record.pupil()).isNull();
            assertThat(record.issues()).extracting(FieldIssue::field, FieldIssue::rule).containsExactly(tuple("postcode", "required"));
        }

        @Test
        void anImpossibleDateOfBirthNamesTheValue() {
            List<ParsedRecord> records = Samples.readCsv(table().set(2, "dob", "2013-02-30").text());

            assertThat(records.get(2).pupil()).isNull();
            assertThat(records.get(2).issues()).containsExactly(new FieldIssue("line 4", "dob", "date", "dob '2013-02-30' is not a date (YYYY-MM-DD)"));
            othersUnchanged(records, 2);
        }

        @Test
        void anUnreadableFlagIsReported() {
            ParsedRecord record = Samples.readCsv(table().set(0, "looked_after", "Y").text()).get(0);

            assertThat(record.pupil().getLookedAfter().getInCare()).isFalse();
            assertThat(record.issues()).containsExactly(new FieldIssue("line 2", "looked_after", "boolean", "looked_after 'Y' is not true or false"));
        }

        @Test
        void anUnreadableNumberInAPackedCellLeavesItsItemOut() {
            ParsedRecord record = Samples.readCsv(table().set(0, "attendance", "2025/abc/3/1").text()).get(0);

            assertThat(record.pupil().getAttendance()).isEmpty();
            assertThat(record.issues()).containsExactly(new FieldIssue("line 2", "attendance", "integer",
                    "attendance item 1 sessions possible 'abc' is not a whole number"));
        }

        @Test
        void aPackedItemWithTheWrongNumberOfPartsIsAFormatIssue() {
            ParsedRecord record = Samples.readCsv(table().set(0, "fsm_periods", "2025-09-01/ENG;2024-09-01//ENG").text()).get(0);

            assertThat(record.pupil()).isNotNull();
            assertThat(record.pupil().getFreeSchoolMeals().getPeriods()).singleElement()
                    .satisfies(period -> assertThat(period.getStartDate()).isEqualTo(LocalDate.of(2024, 9, 1)));
            assertThat(record.issues()).containsExactly(new FieldIssue("line 2", "fsm_periods", "format",
                    "fsm_periods item 1 '2025-09-01/ENG' has 2 parts, expected 3 (start date / end date / UK country)"));
        }

        @Test
        void aPackedItemMissingAPartItNeedsIsLeftOut() {
            ParsedRecord record = Samples.readCsv(table().set(0, "exclusions", "SUSP//2025-11-03/2").text()).get(0);

            assertThat(record.pupil().getExclusions()).isEmpty();
            assertThat(record.issues()).containsExactly(new FieldIssue("line 2", "exclusions", "required",
                    "exclusions item 1 reason is missing, so the item is left out"));
        }

        @Test
        void blankPackedItemsAreSkipped() {
            ParsedRecord record = Samples.readCsv(table().set(0, "sen_provision", "K").set(0, "sen_needs", "SLCN/1;;ASD/2;").text()).get(0);

            assertThat(record.issues()).isEmpty();
            assertThat(record.pupil().getSpecialEducationalNeeds().getNeeds()).hasSize(2);
        }

        @Test
        void senNeedsWithoutAProvisionLeaveNoPupilButNoNeedsMeanProvisionN() {
            List<ParsedRecord> records = Samples.readCsv(table().set(0, "sen_provision", "").set(0, "sen_needs", "ASD/1").set(1, "sen_provision", "").text());

            assertThat(records.get(0).pupil()).isNull();
            assertThat(records.get(0).issues()).extracting(FieldIssue::field, FieldIssue::rule).containsExactly(tuple("sen_provision", "required"));
            assertThat(records.get(1).issues()).isEmpty();
            assertThat(records.get(1).pupil().getSpecialEducationalNeeds().getProvision()).isEqualTo("N");
        }

        @Test
        void aContactWithoutASurnameIsLeftOutWithItsPhone() {
            int index = first(p -> p.getParents().size() == 2);

            ParsedRecord record = Samples.readCsv(table().set(index, "contact2_surname", "").text()).get(index);

            assertThat(record.issues()).containsExactly(new FieldIssue("line " + (index + 2), "contact2_surname", "required",
                    "contact2_surname is missing, so the contact is left out"));
            assertThat(record.pupil().getParents()).extracting(Parent::getOrder).containsExactly(1);
            assertThat(record.pupil().getTelephones()).extracting(Telephone::getContactOrder).doesNotContain(2);
        }

        @Test
        void contactsAreOrderedByTheirOrder() {
            int index = first(p -> p.getParents().size() == 2);
            CsvTable table = table();
            for (String part : List.of("order", "title", "forename", "surname", "relationship", "responsibility", "address_as_pupil",
                    "address_line1", "address_line2", "town", "postcode", "mobile")) {
                String one = table.get(index, "contact1_" + part);
                table.set(index, "contact1_" + part, table.get(index, "contact2_" + part));
                table.set(index, "contact2_" + part, one);
            }

            assertThat(Samples.readCsv(table.text()).get(index).pupil()).isEqualTo(CENSUS.get(index));
        }

        @Test
        void anEmptyPhaseComesFromTheEstablishmentNumberAndAnUnknownOneIsReported() {
            List<ParsedRecord> records = Samples.readCsv(table().set(0, "phase", "").set(0, "estab", "7003").set(1, "phase", "Infant").text());

            assertThat(records.get(0).issues()).isEmpty();
            assertThat(records.get(0).pupil().getSchool().getPhase()).isEqualTo(SchoolPhase.SPECIAL);
            assertThat(records.get(1).pupil().getSchool().getPhase()).isEqualTo(SchoolPhase.PRIMARY);
            assertThat(records.get(1).issues()).extracting(FieldIssue::field, FieldIssue::rule).containsExactly(tuple("phase", "code-list"));
        }
    }

    @Nested
    class Layout {

        @Test
        void aRowWithTheWrongNumberOfCellsIsAnIssueForThatLineNotTheFile() {
            String[] lines = CSV.split("\r\n");
            lines[2] = lines[2].substring(0, lines[2].lastIndexOf(','));
            lines[4] = lines[4] + ",surplus";
            List<ParsedRecord> records = Samples.readCsv(String.join("\r\n", lines) + "\r\n");

            int width = CsvTable.of(CSV).header.size();
            assertThat(records.get(1).pupil()).isNull();
            assertThat(records.get(1).upn()).isEqualTo(CENSUS.get(1).getIdentity().getUpn());
            assertThat(records.get(1).issues()).containsExactly(new FieldIssue("line 3", "", "format",
                    "The row has " + (width - 1) + " cells but the header has " + width + " columns, so its cells cannot be matched to columns"));
            assertThat(records.get(3).issues()).extracting(FieldIssue::location, FieldIssue::rule).containsExactly(tuple("line 5", "format"));
            for (int i : new int[] {0, 2, 4, 39}) {
                assertThat(records.get(i).pupil()).isEqualTo(CENSUS.get(i));
            }
        }

        @Test
        void blankLinesAndEmptyRowsAreSkippedAndLinesStillCounted() {
            String[] lines = CSV.split("\r\n");
            String empty = ",".repeat(CsvTable.of(CSV).header.size() - 1);
            String csv = lines[0] + "\r\n" + lines[1] + "\r\n\r\n" + empty + "\r\n   \r\n" + lines[2] + "\r\n"
                    + String.join("\r\n", java.util.Arrays.copyOfRange(lines, 3, lines.length)) + "\r\n\r\n\n\r\n";

            List<ParsedRecord> records = Samples.readCsv(csv);

            othersUnchanged(records, -1);
            assertThat(records.get(0).location()).isEqualTo("line 2");
            assertThat(records.get(1).location()).isEqualTo("line 6");
            assertThat(records.get(1).index()).isEqualTo(2);
            assertThat(records.get(39).location()).isEqualTo("line 44");
        }

        @Test
        void theLocationIsTheLineARowStartsOnWhenACellSpansLines() {
            CsvTable table = table().set(0, "address_line1", "Flat 1\r\nThe Old Mill").set(1, "middle_names", "Ann\nMarie");

            List<ParsedRecord> records = Samples.readCsv(table.text());

            assertThat(records.get(0).pupil().getAddress().getLines().get(0)).isEqualTo("Flat 1\r\nThe Old Mill");
            assertThat(records).extracting(ParsedRecord::location).startsWith("line 2", "line 4", "line 6");
        }

        @Test
        void anUnterminatedQuoteRefusesTheFile() {
            String csv = CSV + "\"A926200025999,never closed\r\n";

            CensusFormatException e = refused(csv, Samples.FILE_ONLY);

            assertThat(e.location()).isEqualTo("line " + (PUPILS + 2));
            assertThat(e.getMessage()).startsWith("Malformed CSV: ").contains("EOF");
        }

        @Test
        void textAfterAClosingQuoteRefusesTheFile() {
            String[] lines = CSV.split("\r\n");
            lines[3] = "\"" + lines[3].replaceFirst(",", "\"x,");

            CensusFormatException e = refused(String.join("\r\n", lines), Samples.FILE_ONLY);

            assertThat(e.location()).isEqualTo("line 4");
            assertThat(e.getMessage()).isEqualTo("Malformed CSV: Invalid character between encapsulated token and delimiter");
        }

        @Test
        void aRefusedFileStaysRefused() throws IOException {
            try (CensusCsvReader reader = new CensusCsvReader(new StringReader(CSV + "\"never closed"), Samples.FILE_ONLY)) {
                for (int i = 0; i < PUPILS; i++) {
                    assertThat(reader.next()).isNotNull();
                }
                CensusFormatException e = catchThrowableOfType(CensusFormatException.class, reader::next);
                assertThat(e).isNotNull();
                assertThat(catchThrowableOfType(CensusFormatException.class, reader::next)).isSameAs(e);
            }
        }

        @Test
        void aRecordLargerThanTheLimitRefusesTheFile() {
            String csv = CSV + "\"" + "x".repeat(200_000);

            CensusFormatException e = catchThrowableOfType(CensusFormatException.class,
                    () -> Samples.readAll(new CensusCsvReader(new StringReader(csv), Samples.FILE_ONLY, 64 * 1024)));

            assertThat(e.getMessage()).startsWith("A record is longer than 65536 characters");
        }

        @Test
        void closingTheReaderLeavesTheCallersReaderOpen() {
            AtomicInteger closes = new AtomicInteger();
            Reader in = new java.io.FilterReader(new StringReader(CSV)) {
                @Override
                public void close() {
                    closes.incrementAndGet();
                }
            };

            Samples.readAll(new CensusCsvReader(in, Samples.FILE_ONLY));

            assertThat(closes).hasValue(0);
        }

        @Test
        void aFailureOfTheUnderlyingReaderIsNotMistakenForABadFile() {
            IllegalStateException tooLarge = new IllegalStateException("upload over the size limit");
            Reader failing = new java.io.FilterReader(new StringReader(Samples.csv(300))) {
                private int read;

                @Override
                public int read(char[] b, int off, int len) throws IOException {
                    if ((read += len) > 50_000) {
                        throw tooLarge;
                    }
                    return super.read(b, off, len);
                }
            };

            Throwable thrown = catchThrowableOfType(IllegalStateException.class, () -> Samples.readAll(new CensusCsvReader(failing, Samples.FILE_ONLY)));
            assertThat(thrown).isSameAs(tooLarge);
        }
    }
}
