package org.pupilflow.formats.tables;

import static org.pupilflow.formats.tables.CensusTables.*;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.pupilflow.census.Address;
import org.pupilflow.census.AttendanceYear;
import org.pupilflow.census.CensusContext;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Enrolment;
import org.pupilflow.census.Ethnicity;
import org.pupilflow.census.Exclusion;
import org.pupilflow.census.FirstLanguage;
import org.pupilflow.census.FreeSchoolMeals;
import org.pupilflow.census.FsmPeriod;
import org.pupilflow.census.Identity;
import org.pupilflow.census.LookedAfter;
import org.pupilflow.census.Names;
import org.pupilflow.census.School;
import org.pupilflow.census.SchoolPhase;
import org.pupilflow.census.SenNeed;
import org.pupilflow.census.SpecialEducationalNeeds;
import org.pupilflow.formats.census.CensusContextResolver;
import org.pupilflow.formats.census.CensusDays;
import org.pupilflow.formats.census.FileCensus;
import org.pupilflow.formats.census.FileCensus.Value;
import org.pupilflow.formats.collect.SchoolCensusCodes;
import org.pupilflow.formats.read.FieldIssue;
import org.pupilflow.formats.read.FieldNames;
import org.pupilflow.formats.read.ParsedRecord;
import org.pupilflow.formats.read.RecordIssues;
import org.pupilflow.formats.read.ReturnContext;
import org.pupilflow.formats.read.SchoolPhases;
import org.pupilflow.formats.tables.CensusTables.Table;
import org.pupilflow.formats.tables.CensusTablesReader.TableFile;
import org.pupilflow.formats.tables.TableRows.Row;

/**
 * Maps one {@code pupilonroll} row and the rows joined to it to a {@link CensusPupil}. Issue fields
 * are {@code table.column}; locations {@code pupilonroll.csv line 18}.
 *
 * <ul>
 * <li>Required: {@code upn}, {@code surname}, {@code forename}, {@code dob}, {@code sex},
 * {@code ncyearactual}, {@code enrolstatus}, {@code ethnicity}, {@code language}; the school's
 * {@code lea} and {@code estab} (schoolcensus) and {@code schoolname} (school); one address row with
 * a postcode or an address line (several are reported: a pupil has one home address).</li>
 * <li>Census context from the pupil's {@code schoolcensus} row: {@code term}, {@code referencedate}
 * (else the upload's, else the DfE rule for the term and {@code year}), {@code lea}.</li>
 * <li>Attendance: {@code termlysessions*} become the attendance of the academic year the reported
 * term belongs to. Exclusions: {@code reason}, or {@code reason1} where a return gives three.</li>
 * <li>Dates: see {@link TableDates}. Not in the tables, so empty or false: contacts, telephones,
 * assessments, looked-after and child-in-need flags.</li>
 * </ul>
 */
final class TablesPupilMapper {

    private final ReturnContext context;
    private final TableFile pupils;
    private final Map<Table, TableFile> tables;
    private final Map<String, Row> returns;
    private final Map<String, Row> schools;
    /** Each return's census context and school, decided once. */
    private final Map<String, OfReturn> ofReturns = new HashMap<>();
    private final FieldNames fields;

    /** What every pupil of one return shares, and the issues with it. */
    private record OfReturn(CensusContextResolver.Resolution census, School school, List<FieldIssue> issues) {
    }

    TablesPupilMapper(ReturnContext context, Map<Table, TableFile> tables, Map<String, Row> returns, Map<String, Row> schools) {
        this.context = context;
        this.tables = tables;
        this.pupils = tables.get(PUPIL_ON_ROLL);
        this.returns = returns;
        this.schools = schools;
        TableFile census = tables.get(SCHOOL_CENSUS);
        this.fields = field -> switch (field) {
            case UPN -> pupils.field(UPN);
            case FORMER_UPN -> pupils.field(FORMER_UPN);
            case ULN -> pupils.field(UNIQUE_LEARNER_NUMBER);
            case SEX -> pupils.field(SEX);
            case DATE_OF_BIRTH -> pupils.field(DOB);
            case NC_YEAR -> pupils.field(NC_YEAR_ACTUAL);
            case ENROLMENT_STATUS -> pupils.field(ENROL_STATUS);
            case SEN_PROVISION -> pupils.field(SEN_PROVISION);
            case SEN_NEED_TYPE -> tableField(tables, SEN_NEEDS, SEN_TYPE);
            case ETHNICITY -> pupils.field(ETHNICITY);
            case FIRST_LANGUAGE -> pupils.field(LANGUAGE);
            case FSM_UK_COUNTRY -> tableField(tables, FSM_PERIODS, UK_COUNTRY);
            case SCHOOL_LA, RETURN_LA -> census.field(LEA);
        };
    }

    /** {@code table.column} as the uploaded file names the table, or by its first name when the upload has no such table. */
    private static String tableField(Map<Table, TableFile> tables, Table table, String column) {
        TableFile file = tables.get(table);
        return file != null ? file.field(column) : table.names().get(0) + "." + column;
    }

    ParsedRecord map(Row row, long index, Map<Table, List<Row>> children) {
        String location = pupils.file() + " line " + row.line();
        RecordIssues issues = new RecordIssues(location);
        String upnText = cell(row, UPN);
        if (row.cells().length != pupils.header().size()) {
            issues.add("", "format", "The row has " + row.cells().length + " cells but the header of " + pupils.file() + " has "
                    + pupils.header().size() + " columns, so its cells cannot be matched to columns");
            return new ParsedRecord(index, location, null, issues.list(), upnText, fields, null);
        }
        OfReturn ofReturn = ofReturns.computeIfAbsent(cell(row, SCHOOL_CENSUS_ID), this::ofReturn);
        for (FieldIssue issue : ofReturn.issues()) {
            issues.add(issue.field(), issue.rule(), issue.message());
        }
        CensusContext census = ofReturn.census().context();
        if (census == null || ofReturn.school() == null) {
            issues.cannotBuild();
        }

        String upn = required(issues, row, UPN);
        String surname = required(issues, row, SURNAME);
        String forename = required(issues, row, FORENAME);
        LocalDate dob = date(issues, pupils, row, DOB, true);
        String sex = required(issues, row, SEX);
        String ncYear = required(issues, row, NC_YEAR_ACTUAL);
        String enrolStatus = required(issues, row, ENROL_STATUS);
        String ethnicity = required(issues, row, ETHNICITY);
        String language = required(issues, row, LANGUAGE);
        LocalDate entryDate = date(issues, pupils, row, ENTRY_DATE, false);
        Address address = address(issues, children.getOrDefault(ADDRESSES, List.of()));
        FreeSchoolMeals fsm = freeSchoolMeals(issues, children.getOrDefault(FSM_PERIODS, List.of()));
        SpecialEducationalNeeds sen = specialEducationalNeeds(issues, row, children.getOrDefault(SEN_NEEDS, List.of()));
        List<Exclusion> exclusions = exclusions(issues, children.getOrDefault(EXCLUSIONS, List.of()));
        List<AttendanceYear> attendance = attendance(issues, row, census);

        CensusPupil pupil = null;
        if (issues.pupilReadable()) {
            pupil = CensusPupil.newBuilder()
                    .setIdentity(Identity.newBuilder().setUpn(upn).setFormerUpn(cell(row, FORMER_UPN)).setUln(cell(row, UNIQUE_LEARNER_NUMBER)).build())
                    .setNames(Names.newBuilder()
                            .setLegalSurname(surname)
                            .setLegalForename(forename)
                            .setMiddleNames(cell(row, MIDDLE_NAMES))
                            .setPreferredSurname(cell(row, PREFERRED_SURNAME))
                            .setPreferredForename(null)
                            .setFormerSurname(cell(row, FORMER_SURNAME))
                            .build())
                    .setDateOfBirth(dob)
                    .setSex(sex)
                    .setAddress(address)
                    .setParents(new ArrayList<>(0))
                    .setTelephones(new ArrayList<>(0))
                    .setSchool(School.newBuilder(ofReturn.school()).build())
                    .setEnrolment(Enrolment.newBuilder().setNcYearActual(ncYear).setEnrolmentStatus(enrolStatus).setEntryDate(entryDate).build())
                    .setFreeSchoolMeals(fsm)
                    .setSpecialEducationalNeeds(sen)
                    .setFirstLanguage(FirstLanguage.newBuilder().setCode(language).setSource(null).build())
                    .setEthnicity(Ethnicity.newBuilder().setCode(ethnicity).setSource(null).build())
                    .setExclusions(exclusions)
                    .setAttendance(attendance)
                    .setEarlyYearsFoundationStage(new ArrayList<>(0))
                    .setPhonics(new ArrayList<>(0))
                    .setKeyStage1(new ArrayList<>(0))
                    .setKeyStage2(new ArrayList<>(0))
                    .setLookedAfter(LookedAfter.newBuilder().setInCare(false).setCareAuthority(null).build())
                    .setChildInNeed(false)
                    .setCensus(census)
                    .build();
        }
        return new ParsedRecord(index, location, pupil, issues.list(), upnText, fields, ofReturn.census().censusDay());
    }

    /** The census context and school of one return (its schoolcensus row and school row). */
    private OfReturn ofReturn(String returnId) {
        TableFile census = tables.get(SCHOOL_CENSUS);
        TableFile school = tables.get(SCHOOL);
        Row returnRow = returns.get(returnId);
        Row schoolRow = schools.get(returnId);
        RecordIssues issues = new RecordIssues(census.file() + " line " + returnRow.line());
        FileCensus file = new FileCensus(
                Value.of(TableRows.cell(returnRow, census.column(TERM)), census.field(TERM)),
                Value.of(TableRows.cell(returnRow, census.column(REFERENCE_DATE)), census.field(REFERENCE_DATE)),
                Value.of(TableRows.cell(returnRow, census.column(YEAR)), census.field(YEAR)),
                FileCensus.YearMeaning.CENSUS_CALENDAR_YEAR,
                Value.of(TableRows.cell(returnRow, census.column(DATE_TIME)), census.field(DATE_TIME)),
                Value.of(TableRows.cell(returnRow, census.column(LEA)), census.field(LEA)),
                true, TableDates::parse, TableDates.FORMS);
        CensusContextResolver.Resolution resolution = CensusContextResolver.resolve(context, issues, file);
        String la = issues.required(census.field(LEA), TableRows.cell(returnRow, census.column(LEA)));
        String estab = issues.required(census.field(ESTAB), TableRows.cell(returnRow, census.column(ESTAB)));
        String name = schoolRow == null ? null : TableRows.cell(schoolRow, school.column(SCHOOL_NAME));
        if (schoolRow == null) {
            issues.missing(school.field(SCHOOL_NAME), "No row of " + school.file() + " belongs to this return (schoolcensustableid "
                    + SafeZip.quoted(returnId) + "), so the school's name is not known");
        } else {
            issues.required(school.field(SCHOOL_NAME), name);
        }
        String phaseCode = schoolRow == null ? null : TableRows.cell(schoolRow, school.column(PHASE));
        SchoolPhase phase = SchoolCensusCodes.phase(phaseCode);
        if (phase == null) {
            if (phaseCode != null) {
                issues.add(school.field(PHASE), "code-list", school.field(PHASE) + " " + RecordIssues.quote(phaseCode)
                        + " is not a school census phase code (NS, PS, MP, MS, SS, AT, SP, PR)");
            }
            phase = SchoolPhases.fromEstablishment(estab);
        }
        School found = la == null || estab == null || name == null ? null : School.newBuilder().setLaNumber(la).setEstablishmentNumber(estab)
                .setUrn(TableRows.cell(returnRow, census.column(URN))).setName(name).setPhase(phase).build();
        return new OfReturn(resolution, found, issues.list());
    }

    private String cell(Row row, String column) {
        return TableRows.cell(row, pupils.column(column));
    }

    private String required(RecordIssues issues, Row row, String column) {
        return issues.required(pupils.field(column), cell(row, column));
    }

    private static LocalDate date(RecordIssues issues, TableFile table, Row row, String column, boolean required) {
        String field = table.field(column);
        return issues.date(field, field, TableRows.cell(row, table.column(column)), required, TableDates::parse, TableDates.FORMS);
    }

    private Address address(RecordIssues issues, List<Row> rows) {
        TableFile table = tables.get(ADDRESSES);
        if (rows.isEmpty()) {
            issues.missing(table.field(PUPIL_ON_ROLL_ID), "The pupil has no row in " + table.file());
            return null;
        }
        if (rows.size() > 1) {
            issues.add(table.field(PUPIL_ON_ROLL_ID), "format", "The pupil has " + rows.size() + " rows in " + table.file()
                    + " (lines " + rows.get(0).line() + " and " + rows.get(1).line() + "); a pupil has one home address");
        }
        Row a = rows.get(0);
        List<String> lines = new ArrayList<>(3);
        for (int i = 1; i <= ADDRESS_LINES; i++) {
            String line = TableRows.cell(a, table.column(ADDRESS_LINE + i));
            if (line != null) {
                lines.add(line);
            }
        }
        if (lines.isEmpty()) {
            addIfPresent(lines, TableRows.cell(a, table.column(SAON)));
            String paon = TableRows.cell(a, table.column(PAON));
            String street = TableRows.cell(a, table.column(STREET));
            addIfPresent(lines, paon == null ? street : street == null ? paon : paon + " " + street);
            addIfPresent(lines, TableRows.cell(a, table.column(LOCALITY)));
        }
        String town = TableRows.cell(a, table.column(POST_TOWN));
        if (town == null) {
            town = TableRows.cell(a, table.column(TOWN));
        }
        String postcode = TableRows.cell(a, table.column(POSTCODE));
        if (lines.isEmpty() && postcode == null) {
            issues.missing(table.field(POSTCODE), "The address on " + table.file() + " line " + a.line() + " has neither a postcode nor an address line");
            return null;
        }
        return Address.newBuilder().setLines(lines).setTown(town).setPostcode(postcode).setUprn(TableRows.cell(a, table.column(UPRN))).build();
    }

    private static void addIfPresent(List<String> lines, String line) {
        if (line != null) {
            lines.add(line);
        }
    }

    private FreeSchoolMeals freeSchoolMeals(RecordIssues issues, List<Row> rows) {
        List<FsmPeriod> periods = new ArrayList<>(rows.size());
        TableFile table = tables.get(FSM_PERIODS);
        for (Row row : rows) {
            String at = table.file() + " line " + row.line();
            LocalDate start = date(issues, table, row, FSM_START_DATE, false);
            String endText = TableRows.cell(row, table.column(FSM_END_DATE));
            LocalDate end = date(issues, table, row, FSM_END_DATE, false);
            String country = issues.need(table.field(UK_COUNTRY), TableRows.cell(row, table.column(UK_COUNTRY)), "FSM period on " + at);
            if (TableRows.cell(row, table.column(FSM_START_DATE)) == null) {
                issues.add(table.field(FSM_START_DATE), "required", at + ": " + FSM_START_DATE + " is missing, so the FSM period is left out");
            }
            if (start != null && country != null && (endText == null || end != null)) {
                periods.add(FsmPeriod.newBuilder().setStartDate(start).setEndDate(end).setUkCountry(country).build());
            }
        }
        return FreeSchoolMeals.newBuilder().setReviewDate(null).setPeriods(periods).build();
    }

    private SpecialEducationalNeeds specialEducationalNeeds(RecordIssues issues, Row pupil, List<Row> rows) {
        List<SenNeed> needs = new ArrayList<>(rows.size());
        TableFile table = tables.get(SEN_NEEDS);
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            String type = issues.need(table.field(SEN_TYPE), TableRows.cell(row, table.column(SEN_TYPE)), "SEN need on " + table.file() + " line " + row.line());
            Integer rank = issues.integer(table.field(SEN_TYPE_RANK), TableRows.cell(row, table.column(SEN_TYPE_RANK)), false);
            if (type != null) {
                needs.add(SenNeed.newBuilder().setType(type).setRank(rank != null ? rank : i + 1).build());
            }
        }
        String provision = cell(pupil, SEN_PROVISION);
        if (provision == null && !needs.isEmpty()) {
            issues.missing(pupils.field(SEN_PROVISION), "The pupil has SEN needs but no " + SEN_PROVISION);
            return null;
        }
        return SpecialEducationalNeeds.newBuilder().setProvision(provision == null ? "N" : provision).setStartDate(null).setNeeds(needs).build();
    }

    private List<Exclusion> exclusions(RecordIssues issues, List<Row> rows) {
        List<Exclusion> read = new ArrayList<>(rows.size());
        TableFile table = tables.get(EXCLUSIONS);
        for (Row row : rows) {
            String item = "exclusion on " + table.file() + " line " + row.line();
            String category = issues.need(table.field(CATEGORY), TableRows.cell(row, table.column(CATEGORY)), item);
            String reasonText = TableRows.cell(row, table.column(REASON)) != null ? TableRows.cell(row, table.column(REASON))
                    : TableRows.cell(row, table.column(REASON_1));
            String reason = issues.need(table.field(REASON), reasonText, item);
            String startText = issues.need(table.field(START_DATE), TableRows.cell(row, table.column(START_DATE)), item);
            LocalDate start = startText == null ? null : date(issues, table, row, START_DATE, false);
            Integer sessions = issues.integer(table.field(SESSIONS), TableRows.cell(row, table.column(SESSIONS)), false);
            if (category != null && reason != null && start != null) {
                read.add(Exclusion.newBuilder().setCategory(category).setReason(reason).setStartDate(start).setSessions(sessions).build());
            }
        }
        return read;
    }

    private List<AttendanceYear> attendance(RecordIssues issues, Row row, CensusContext census) {
        List<AttendanceYear> read = new ArrayList<>(1);
        Integer possible = issues.integer(pupils.field(TERMLY_SESSIONS_POSSIBLE), cell(row, TERMLY_SESSIONS_POSSIBLE), false);
        Integer authorised = issues.integer(pupils.field(TERMLY_SESSIONS_AUTHORISED), cell(row, TERMLY_SESSIONS_AUTHORISED), false);
        Integer unauthorised = issues.integer(pupils.field(TERMLY_SESSIONS_UNAUTHORISED), cell(row, TERMLY_SESSIONS_UNAUTHORISED), false);
        if (possible != null && census != null) {
            int year = SchoolCensusCodes.attendanceAcademicYear(census.getTerm(), CensusDays.academicYearStart(census.getCensusDay()));
            read.add(AttendanceYear.newBuilder().setYear(year).setSessionsPossible(possible)
                    .setSessionsAuthorised(authorised == null ? 0 : authorised).setSessionsUnauthorised(unauthorised == null ? 0 : unauthorised).build());
        }
        return read;
    }
}
