package org.pupilflow.formats.tables;

import static org.pupilflow.formats.tables.CensusTables.*;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.pupilflow.census.Address;
import org.pupilflow.census.AttendanceYear;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.CensusTerm;
import org.pupilflow.census.Exclusion;
import org.pupilflow.census.FsmPeriod;
import org.pupilflow.census.School;
import org.pupilflow.census.SenNeed;
import org.pupilflow.formats.collect.SchoolCensusCodes;
import org.pupilflow.formats.write.CensusWriter;
import org.pupilflow.formats.write.ReturnHeader;

/**
 * Writes a census as the LA's pupil-level school census tables: a zip of one CSV file per table
 * ({@link CensusTables#TABLES}), a {@code schoolcensus} and {@code school} row per school, a
 * {@code pupilonroll} row per pupil and the pupil's addresses, FSM periods, SEN needs and termly
 * exclusions joined to it by {@code pupilonrolltableid}. Ids are numbered from 1 in each table.
 *
 * <p>A zip entry must be written whole, so the pupil-level tables are kept in temporary files
 * (in {@code spoolDirectory}, deleted on close) until {@link #close()} writes the zip: memory
 * holds one pupil and the schools. What the tables do not carry (contacts, telephones, assessments,
 * the looked-after and child-in-need flags, preferred forename, ethnicity and language sources,
 * FSM review and SEN start dates, attendance other than the census's termly attendance) is not
 * written: {@code census-formats/README.md}.
 */
public final class CensusTablesWriter implements CensusWriter {

    /** The pupilonroll columns written, in order; those PupilFlow has no value for are left empty, as in a real export. */
    static final List<String> PUPIL_COLUMNS = List.of(UPN, FORMER_UPN, SURNAME, FORENAME, MIDDLE_NAMES, PREFERRED_SURNAME, FORMER_SURNAME,
            UNIQUE_LEARNER_NUMBER, DOB, ENTRY_DATE, PART_TIME, BOARDER, SEX, ETHNICITY, LANGUAGE, ENROL_STATUS, NC_YEAR_ACTUAL, SEN_PROVISION,
            TERMLY_SESSIONS_POSSIBLE, TERMLY_SESSIONS_AUTHORISED, TERMLY_SESSIONS_UNAUTHORISED, YSSA, SERVICE_CHILD);
    static final List<String> SCHOOL_CENSUS_COLUMNS = List.of(TERM, COLLECTION, NAME, YEAR, REFERENCE_DATE, SOURCE_LEVEL, ESTAB,
            SOFTWARE_CODE, URN, RELEASE, SERIAL_NO, DATE_TIME, LEA);
    static final List<String> SCHOOL_COLUMNS = List.of(SCHOOL_NAME, PHASE);
    static final List<String> ADDRESS_COLUMNS = addressColumns();
    static final List<String> FSM_COLUMNS = List.of(FSM_START_DATE, FSM_END_DATE, UK_COUNTRY);
    static final List<String> SEN_COLUMNS = List.of(SEN_TYPE_RANK, SEN_TYPE);

    private static final String SCHOOL_CENSUS_NAME = "School Census";

    private final OutputStream target;
    private final ReturnHeader header;
    private final Path spool;
    private final Map<CensusTables.Table, Spooled> pupilTables = new LinkedHashMap<>();
    /** Each school of the census, by "LA/estab", with its schoolcensus id in order of first appearance. */
    private final Map<String, School> schools = new LinkedHashMap<>();
    private final Map<String, String> schoolCensusIds = new java.util.HashMap<>();
    private final int attendanceYear;
    private final String reasonColumn;
    private long pupils;
    private boolean closed;

    /** Writes to {@code target} on close; temporary files in the default temporary directory. */
    public CensusTablesWriter(OutputStream target, ReturnHeader header) throws IOException {
        this(target, header, null);
    }

    /** @param spoolDirectory where the tables wait until the zip is written (null: the default temporary directory) */
    public CensusTablesWriter(OutputStream target, ReturnHeader header, Path spoolDirectory) throws IOException {
        this.target = Objects.requireNonNull(target, "target");
        this.header = Objects.requireNonNull(header, "header");
        this.spool = spoolDirectory == null ? Files.createTempDirectory("census-tables-") : Files.createTempDirectory(spoolDirectory, "census-tables-");
        this.attendanceYear = SchoolCensusCodes.attendanceAcademicYear(header.term(), header.academicYearStart());
        this.reasonColumn = header.term() == CensusTerm.AUTUMN ? REASON : REASON_1;
        try {
            spool(PUPIL_ON_ROLL, withKeys(PUPIL_ON_ROLL, SCHOOL_CENSUS_ID, PUPIL_COLUMNS));
            spool(ADDRESSES, withKeys(ADDRESSES, PUPIL_ON_ROLL_ID, ADDRESS_COLUMNS));
            spool(FSM_PERIODS, withKeys(FSM_PERIODS, PUPIL_ON_ROLL_ID, FSM_COLUMNS));
            spool(SEN_NEEDS, withKeys(SEN_NEEDS, PUPIL_ON_ROLL_ID, SEN_COLUMNS));
            spool(EXCLUSIONS, withKeys(EXCLUSIONS, PUPIL_ON_ROLL_ID, List.of(START_DATE, SESSIONS, CATEGORY, reasonColumn, SEN_PROVISION)));
        } catch (IOException | RuntimeException e) {
            deleteSpool();
            throw e;
        }
    }

    private static List<String> addressColumns() {
        List<String> columns = new ArrayList<>(List.of(UPRN, POSTCODE, SAON, PAON, STREET, LOCALITY, TOWN, ADMINISTRATIVE_AREA, POST_TOWN));
        for (int i = 1; i <= ADDRESS_LINES; i++) {
            columns.add(ADDRESS_LINE + i);
        }
        return List.copyOf(columns);
    }

    /** The id, NativeId, order and source columns of {@code table}, then its join column, then {@code columns}. */
    static List<String> withKeys(CensusTables.Table table, String joinColumn, List<String> columns) {
        List<String> header = new ArrayList<>(List.of(table.idColumn(table.name()), NATIVE_ID, table.orderColumn(table.name()), SOURCE_ID));
        if (joinColumn != null) {
            header.add(joinColumn);
        }
        header.addAll(columns);
        return List.copyOf(header);
    }

    private void spool(CensusTables.Table table, List<String> columns) throws IOException {
        Path file = spool.resolve(table.fileName());
        BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        pupilTables.put(table, new Spooled(file, new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader(columns.toArray(String[]::new)).get())));
    }

    /** A table kept in a temporary file, and how many rows it has. */
    private static final class Spooled {
        final Path file;
        final CSVPrinter printer;
        long rows;

        Spooled(Path file, CSVPrinter printer) {
            this.file = file;
            this.printer = printer;
        }

        /** Prints a row with its id, NativeId, order and source first; returns the id. */
        long row(String source, List<String> values) throws IOException {
            long id = ++rows;
            List<String> cells = new ArrayList<>(values.size() + 4);
            cells.add(Long.toString(id));
            cells.add(Long.toString(id));
            cells.add(Long.toString(id));
            cells.add(source);
            cells.addAll(values);
            printer.printRecord(cells);
            return id;
        }
    }

    @Override
    public void write(CensusPupil p) throws IOException {
        String schoolCensusId = schoolCensusId(p.getSchool());
        long pupil = ++pupils;
        String pupilId = Long.toString(pupil);
        AttendanceYear attendance = termlyAttendance(p.getAttendance());
        List<String> row = new ArrayList<>(PUPIL_COLUMNS.size() + 1);
        row.add(schoolCensusId);
        row.add(p.getIdentity().getUpn());
        row.add(p.getIdentity().getFormerUpn());
        row.add(p.getNames().getLegalSurname());
        row.add(p.getNames().getLegalForename());
        row.add(p.getNames().getMiddleNames());
        row.add(p.getNames().getPreferredSurname());
        row.add(p.getNames().getFormerSurname());
        row.add(p.getIdentity().getUln());
        row.add(TableDates.format(p.getDateOfBirth()));
        row.add(p.getEnrolment().getEntryDate() == null ? null : TableDates.format(p.getEnrolment().getEntryDate()));
        row.add(null);
        row.add(null);
        row.add(p.getSex());
        row.add(p.getEthnicity().getCode());
        row.add(p.getFirstLanguage().getCode());
        row.add(p.getEnrolment().getEnrolmentStatus());
        row.add(p.getEnrolment().getNcYearActual());
        row.add(p.getSpecialEducationalNeeds().getProvision());
        row.add(attendance == null ? null : Integer.toString(attendance.getSessionsPossible()));
        row.add(attendance == null ? null : Integer.toString(attendance.getSessionsAuthorised()));
        row.add(attendance == null ? null : Integer.toString(attendance.getSessionsUnauthorised()));
        row.add(null);
        row.add(null);
        pupilTables.get(PUPIL_ON_ROLL).row(schoolCensusId, row);

        Address address = p.getAddress();
        List<String> addressRow = new ArrayList<>(ADDRESS_COLUMNS.size() + 1);
        addressRow.add(pupilId);
        addressRow.addAll(java.util.Arrays.asList(address.getUprn(), address.getPostcode(), null, null, null, null, null, null, address.getTown()));
        for (int i = 0; i < ADDRESS_LINES; i++) {
            addressRow.add(i < address.getLines().size() ? address.getLines().get(i) : null);
        }
        pupilTables.get(ADDRESSES).row(schoolCensusId, addressRow);
        for (FsmPeriod period : p.getFreeSchoolMeals().getPeriods()) {
            pupilTables.get(FSM_PERIODS).row(schoolCensusId, java.util.Arrays.asList(pupilId, TableDates.format(period.getStartDate()),
                    period.getEndDate() == null ? null : TableDates.format(period.getEndDate()), period.getUkCountry()));
        }
        for (SenNeed need : p.getSpecialEducationalNeeds().getNeeds()) {
            pupilTables.get(SEN_NEEDS).row(schoolCensusId, List.of(pupilId, Integer.toString(need.getRank()), need.getType()));
        }
        for (Exclusion exclusion : p.getExclusions()) {
            pupilTables.get(EXCLUSIONS).row(schoolCensusId, java.util.Arrays.asList(pupilId, TableDates.format(exclusion.getStartDate()),
                    exclusion.getSessions() == null ? null : exclusion.getSessions().toString(), exclusion.getCategory(), exclusion.getReason(), null));
        }
    }

    /** The schoolcensus id of the pupil's school, numbering each new school. */
    private String schoolCensusId(School school) {
        String key = school.getLaNumber() + "/" + school.getEstablishmentNumber();
        return schoolCensusIds.computeIfAbsent(key, k -> {
            schools.put(k, School.newBuilder(school).build());
            return Integer.toString(schools.size());
        });
    }

    private AttendanceYear termlyAttendance(List<AttendanceYear> years) {
        for (AttendanceYear year : years) {
            if (year.getYear() == attendanceYear) {
                return year;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (Spooled table : pupilTables.values()) {
                table.printer.close(true);
            }
            try (ZipOutputStream zip = new ZipOutputStream(target, StandardCharsets.UTF_8)) {
                zip.putNextEntry(new ZipEntry(SCHOOL_CENSUS.fileName()));
                writeSmall(zip, withKeys(SCHOOL_CENSUS, null, SCHOOL_CENSUS_COLUMNS), schoolCensusRows());
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(SCHOOL.fileName()));
                writeSmall(zip, withKeys(SCHOOL, SCHOOL_CENSUS_ID, SCHOOL_COLUMNS), schoolRows());
                zip.closeEntry();
                for (Map.Entry<CensusTables.Table, Spooled> table : pupilTables.entrySet()) {
                    zip.putNextEntry(new ZipEntry(table.getKey().fileName()));
                    try (InputStream in = Files.newInputStream(table.getValue().file)) {
                        in.transferTo(zip);
                    }
                    zip.closeEntry();
                }
            }
        } finally {
            deleteSpool();
        }
    }

    private List<List<String>> schoolCensusRows() {
        List<List<String>> rows = new ArrayList<>();
        int id = 0;
        for (School school : schools.values()) {
            id++;
            String key = Integer.toString(id);
            rows.add(java.util.Arrays.asList(key, key, key, key, SchoolCensusCodes.termCode(header.term()), SchoolCensusCodes.SCHOOL_CENSUS,
                    SCHOOL_CENSUS_NAME, Integer.toString(header.censusDay().getYear()), TableDates.format(header.censusDay()),
                    SchoolCensusCodes.SOURCE_LEVEL_SCHOOL, school.getEstablishmentNumber(), "PupilFlow", school.getUrn(), "1", "001",
                    TableDates.format(header.generatedAt()), school.getLaNumber()));
        }
        return rows;
    }

    private List<List<String>> schoolRows() {
        List<List<String>> rows = new ArrayList<>();
        int id = 0;
        for (School school : schools.values()) {
            id++;
            String key = Integer.toString(id);
            rows.add(java.util.Arrays.asList(key, key, key, key, key, school.getName(), SchoolCensusCodes.phaseCode(school.getPhase())));
        }
        return rows;
    }

    private static void writeSmall(OutputStream zip, List<String> header, List<List<String>> rows) throws IOException {
        // Not closed: closing the printer would close the zip.
        BufferedWriter writer = new BufferedWriter(new java.io.OutputStreamWriter(zip, StandardCharsets.UTF_8));
        CSVPrinter printer = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new)).get());
        for (List<String> row : rows) {
            printer.printRecord(row);
        }
        printer.flush();
    }

    private void deleteSpool() throws IOException {
        if (!Files.exists(spool)) {
            return;
        }
        try (Stream<Path> files = Files.walk(spool)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
