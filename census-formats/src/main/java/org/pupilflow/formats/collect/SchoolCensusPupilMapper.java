package org.pupilflow.formats.collect;

import static org.pupilflow.formats.collect.SchoolCensusElements.*;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import org.pupilflow.census.SenNeed;
import org.pupilflow.census.SpecialEducationalNeeds;
import org.pupilflow.formats.census.CensusContextResolver;
import org.pupilflow.formats.census.CensusDayChoice;
import org.pupilflow.formats.census.CensusDays;
import org.pupilflow.formats.read.FieldIssue;
import org.pupilflow.formats.read.FieldNames;
import org.pupilflow.formats.read.ParsedRecord;
import org.pupilflow.formats.read.RecordIssues;
import org.pupilflow.formats.xml.XmlElement;

/**
 * Maps one school census {@code PupilOnRoll} to a {@link CensusPupil}.
 *
 * <ul>
 * <li>A single value is found by its element name, directly under the pupil or one module deep
 * ({@code PupilIdentifiers/UPN}, {@code PupilStatus/NCyearActual}); see {@link Found}. Required:
 * {@code UPN}, {@code Surname}, {@code Forename}, {@code DOB}, {@code Sex} (or {@code Gender}),
 * {@code NCyearActual}, {@code EnrolStatus}, {@code Ethnicity}, the first language (a
 * {@code Languages/Type} with {@code LanguageType} F, or a {@code Language}) and an
 * {@code Address} with a {@code PostCode} or an address line; the school comes from the return
 * ({@link SchoolOfReturn}).</li>
 * <li>Repeating items are found wherever they are in the pupil: an FSM period is any element with
 * an {@code FSMstartDate}, a SEN need any element with a {@code SENtype}, an exclusion a
 * {@code TermlyExclusion}. An item missing a part the model needs is left out with an issue.</li>
 * <li>Attendance: the {@code TermlyAttendance} sessions become the attendance of the academic year
 * the reported term belongs to (the census reports the term before it).</li>
 * <li>Not in the school census, so empty or false: contacts, telephones, assessments, looked-after
 * and child-in-need flags.</li>
 * </ul>
 */
final class SchoolCensusPupilMapper {

    private static final Pattern ADDRESS_LINE = Pattern.compile(ADDRESS_LINE_PREFIX + "(\\d{1,3})");

    private final CensusContext census;
    private final CensusDayChoice censusDay;
    private final SchoolOfReturn school;
    private final List<FieldIssue> returnIssues;
    private final FieldNames fields;

    /**
     * @param census       the census context every pupil gets (null if not known) and its census day
     * @param school       the school of the return
     * @param returnIssues issues with the return's census context or school, repeated on every record
     */
    SchoolCensusPupilMapper(CensusContextResolver.Resolution census, SchoolOfReturn school, List<FieldIssue> returnIssues) {
        this.census = census.context();
        this.censusDay = census.censusDay();
        this.school = school;
        this.returnIssues = List.copyOf(returnIssues);
        String laField = school.laField();
        this.fields = field -> switch (field) {
            case UPN -> path(PUPIL_IDENTIFIERS, UPN);
            case FORMER_UPN -> path(PUPIL_IDENTIFIERS, FORMER_UPN);
            case ULN -> path(PUPIL_IDENTIFIERS, UNIQUE_LEARNER_NUMBER);
            case SEX -> path(PUPIL_IDENTIFIERS, SEX);
            case DATE_OF_BIRTH -> path(PUPIL_IDENTIFIERS, DOB);
            case NC_YEAR -> path(PUPIL_STATUS, NC_YEAR_ACTUAL);
            case ENROLMENT_STATUS -> path(PUPIL_STATUS, ENROL_STATUS);
            case SEN_PROVISION -> path(SPECIAL_EDUCATIONAL_NEEDS, SEN_PROVISION);
            case SEN_NEED_TYPE -> path(SPECIAL_EDUCATIONAL_NEEDS, SEN_NEEDS, SEN_NEED, SEN_TYPE);
            case ETHNICITY -> path(PUPIL_CHARACTERISTICS, ETHNICITY);
            case FIRST_LANGUAGE -> path(PUPIL_CHARACTERISTICS, LANGUAGES, LANGUAGE_TYPE_GROUP, LANGUAGE);
            case FSM_UK_COUNTRY -> path(PUPIL_CHARACTERISTICS, FSM_PERIODS, FSM_PERIOD, UK_COUNTRY);
            case SCHOOL_LA -> laField;
            case RETURN_LA -> path(HEADER, SOURCE, LEA);
        };
    }

    ParsedRecord map(XmlElement p, long index, String location) {
        RecordIssues issues = new RecordIssues(location);
        for (FieldIssue issue : returnIssues) {
            issues.add(issue.field(), issue.rule(), issue.message());
        }
        if (census == null || school.school() == null) {
            issues.cannotBuild();
        }

        Found upnValue = Found.in(p, "", UPN);
        String upn = issues.required(upnValue.path(), upnValue.text());
        String surname = required(issues, p, SURNAME);
        String forename = required(issues, p, FORENAME);
        Found dobValue = Found.in(p, "", DOB);
        LocalDate dob = issues.date(dobValue.path(), dobValue.text(), true);
        Found sexValue = Found.in(p, "", SEX);
        String sex = issues.required(sexValue.path(), sexValue.text() != null ? sexValue.text() : Found.in(p, "", GENDER).text());
        String ncYear = required(issues, p, NC_YEAR_ACTUAL);
        String enrolStatus = required(issues, p, ENROL_STATUS);
        String ethnicity = required(issues, p, ETHNICITY);
        String language = firstLanguage(p, issues);
        Address address = address(p, issues);
        Found entry = Found.in(p, "", ENTRY_DATE);
        LocalDate entryDate = issues.date(entry.path(), entry.text(), false);

        FreeSchoolMeals fsm = freeSchoolMeals(p, issues);
        SpecialEducationalNeeds sen = specialEducationalNeeds(p, issues);
        List<Exclusion> exclusions = exclusions(p, issues);
        List<AttendanceYear> attendance = attendance(p, issues);

        CensusPupil pupil = null;
        if (issues.pupilReadable()) {
            pupil = CensusPupil.newBuilder()
                    .setIdentity(Identity.newBuilder()
                            .setUpn(upn)
                            .setFormerUpn(Found.in(p, "", FORMER_UPN).text())
                            .setUln(Found.in(p, "", UNIQUE_LEARNER_NUMBER).text())
                            .build())
                    .setNames(Names.newBuilder()
                            .setLegalSurname(surname)
                            .setLegalForename(forename)
                            .setMiddleNames(Found.in(p, "", MIDDLE_NAMES).text())
                            .setPreferredSurname(Found.in(p, "", PREFERRED_SURNAME).text())
                            .setPreferredForename(Found.in(p, "", PREFERRED_FORENAME).text())
                            .setFormerSurname(Found.in(p, "", FORMER_SURNAME).text())
                            .build())
                    .setDateOfBirth(dob)
                    .setSex(sex)
                    .setAddress(address)
                    .setParents(new ArrayList<>(0))
                    .setTelephones(new ArrayList<>(0))
                    .setSchool(school.school())
                    .setEnrolment(Enrolment.newBuilder().setNcYearActual(ncYear).setEnrolmentStatus(enrolStatus).setEntryDate(entryDate).build())
                    .setFreeSchoolMeals(fsm)
                    .setSpecialEducationalNeeds(sen)
                    .setFirstLanguage(FirstLanguage.newBuilder().setCode(language).setSource(null).build())
                    .setEthnicity(Ethnicity.newBuilder().setCode(ethnicity).setSource(Found.in(p, "", ETHNICITY_SOURCE).text()).build())
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
        return new ParsedRecord(index, location, pupil, issues.list(), upnValue.text(), fields, censusDay);
    }

    private static String required(RecordIssues issues, XmlElement p, String name) {
        Found value = Found.in(p, "", name);
        return issues.required(value.path(), value.text());
    }

    private static String firstLanguage(XmlElement p, RecordIssues issues) {
        for (XmlElement type : p.descendantsWithChild(LANGUAGE_TYPE)) {
            if (FIRST_LANGUAGE.equalsIgnoreCase(type.text(LANGUAGE_TYPE))) {
                return issues.required(path(LANGUAGES, LANGUAGE_TYPE_GROUP, LANGUAGE), type.text(LANGUAGE));
            }
        }
        Found language = Found.in(p, "", LANGUAGE);
        if (language.text() != null) {
            return language.text();
        }
        issues.missing(path(LANGUAGES, LANGUAGE_TYPE_GROUP, LANGUAGE), "The pupil has no first language (a Languages/Type with LanguageType F, or a Language)");
        return null;
    }

    private static Address address(XmlElement p, RecordIssues issues) {
        List<XmlElement> found = p.descendants(ADDRESS);
        if (found.isEmpty()) {
            issues.missing(ADDRESS, "Address is missing");
            return null;
        }
        XmlElement a = found.get(0);
        List<String> lines = new ArrayList<>(3);
        XmlElement numberedParent = a.child(ADDRESS_LINES) != null ? a.child(ADDRESS_LINES) : a;
        List<int[]> numbered = new ArrayList<>();
        List<XmlElement> children = numberedParent.children();
        for (int i = 0; i < children.size(); i++) {
            Matcher m = ADDRESS_LINE.matcher(children.get(i).name);
            if (m.matches() && children.get(i).text() != null) {
                numbered.add(new int[] {Integer.parseInt(m.group(1)), i});
            }
        }
        numbered.sort(Comparator.comparingInt((int[] n) -> n[0]));
        for (int[] n : numbered) {
            lines.add(children.get(n[1]).text());
        }
        XmlElement bs7666 = a.child(BS7666_ADDRESS) != null ? a.child(BS7666_ADDRESS) : a;
        if (lines.isEmpty()) {
            addIfPresent(lines, bs7666.text(SAON));
            String paon = bs7666.text(PAON);
            String street = bs7666.text(STREET);
            addIfPresent(lines, paon == null ? street : street == null ? paon : paon + " " + street);
            addIfPresent(lines, bs7666.text(LOCALITY));
        }
        String town = a.text(POST_TOWN) != null ? a.text(POST_TOWN) : bs7666.text(POST_TOWN) != null ? bs7666.text(POST_TOWN) : bs7666.text(TOWN);
        String uprn = a.text(UNIQUE_PROPERTY_REFERENCE_NUMBER) != null ? a.text(UNIQUE_PROPERTY_REFERENCE_NUMBER) : bs7666.text(UNIQUE_PROPERTY_REFERENCE_NUMBER);
        String postcode = a.text(POST_CODE) != null ? a.text(POST_CODE) : bs7666.text(POST_CODE);
        if (lines.isEmpty() && postcode == null) {
            issues.missing(ADDRESS, "Address has neither a PostCode nor an address line");
            return null;
        }
        return Address.newBuilder().setLines(lines).setTown(town).setPostcode(postcode).setUprn(uprn).build();
    }

    private static void addIfPresent(List<String> lines, String line) {
        if (line != null) {
            lines.add(line);
        }
    }

    private static FreeSchoolMeals freeSchoolMeals(XmlElement p, RecordIssues issues) {
        List<FsmPeriod> periods = new ArrayList<>(1);
        List<XmlElement> found = p.descendantsWithChild(FSM_START_DATE);
        for (int i = 0; i < found.size(); i++) {
            XmlElement period = found.get(i);
            String at = period.name + "[" + (i + 1) + "]";
            LocalDate start = issues.date(at + "/" + FSM_START_DATE, period.text(FSM_START_DATE), false);
            String endText = period.text(FSM_END_DATE);
            LocalDate end = issues.date(at + "/" + FSM_END_DATE, endText, false);
            String country = issues.need(at + "/" + UK_COUNTRY, period.text(UK_COUNTRY), "FSM period");
            if (start != null && country != null && (endText == null || end != null)) {
                periods.add(FsmPeriod.newBuilder().setStartDate(start).setEndDate(end).setUkCountry(country).build());
            }
        }
        return FreeSchoolMeals.newBuilder().setReviewDate(null).setPeriods(periods).build();
    }

    private static SpecialEducationalNeeds specialEducationalNeeds(XmlElement p, RecordIssues issues) {
        List<SenNeed> needs = new ArrayList<>(2);
        List<XmlElement> found = p.descendantsWithChild(SEN_TYPE);
        for (int i = 0; i < found.size(); i++) {
            XmlElement need = found.get(i);
            String at = need.name + "[" + (i + 1) + "]";
            String type = need.text(SEN_TYPE);
            Integer rank = issues.integer(at + "/" + SEN_TYPE_RANK, need.text(SEN_TYPE_RANK), false);
            if (type != null) {
                needs.add(SenNeed.newBuilder().setType(type).setRank(rank != null ? rank : i + 1).build());
            }
        }
        Found provision = Found.in(p, "", SEN_PROVISION);
        if (provision.text() == null && !needs.isEmpty()) {
            issues.missing(provision.path(), "The pupil has SEN needs but no SENprovision");
            return null;
        }
        return SpecialEducationalNeeds.newBuilder().setProvision(provision.text() == null ? "N" : provision.text()).setStartDate(null).setNeeds(needs).build();
    }

    private static List<Exclusion> exclusions(XmlElement p, RecordIssues issues) {
        List<Exclusion> read = new ArrayList<>(0);
        List<XmlElement> found = p.descendants(TERMLY_EXCLUSION);
        for (int i = 0; i < found.size(); i++) {
            XmlElement e = found.get(i);
            String at = path(EXCLUSIONS, TERMLY_EXCLUSION) + "[" + (i + 1) + "]";
            String category = issues.need(at + "/" + CATEGORY, e.text(CATEGORY), "exclusion");
            String reasonText = e.text(REASON) != null ? e.text(REASON) : e.text(REASON_1);
            String reason = issues.need(at + "/" + REASON, reasonText, "exclusion");
            String startText = issues.need(at + "/" + START_DATE, e.text(START_DATE), "exclusion");
            LocalDate start = startText == null ? null : issues.date(at + "/" + START_DATE, startText, false);
            Integer sessions = issues.integer(at + "/" + SESSIONS, e.text(SESSIONS), false);
            if (category != null && reason != null && start != null) {
                read.add(Exclusion.newBuilder().setCategory(category).setReason(reason).setStartDate(start).setSessions(sessions).build());
            }
        }
        return read;
    }

    private List<AttendanceYear> attendance(XmlElement p, RecordIssues issues) {
        List<AttendanceYear> read = new ArrayList<>(1);
        List<XmlElement> found = p.descendants(TERMLY_ATTENDANCE);
        if (found.isEmpty() || census == null) {
            return read;
        }
        XmlElement termly = found.get(0);
        String at = path(ATTENDANCE, TERMLY_ATTENDANCE) + "/";
        Integer possible = issues.integer(at + SESSIONS_POSSIBLE, issues.need(at + SESSIONS_POSSIBLE, termly.text(SESSIONS_POSSIBLE), "attendance"), false);
        Integer authorised = issues.integer(at + SESSIONS_AUTHORISED, termly.text(SESSIONS_AUTHORISED), false);
        Integer unauthorised = issues.integer(at + SESSIONS_UNAUTHORISED, termly.text(SESSIONS_UNAUTHORISED), false);
        if (possible != null) {
            int year = SchoolCensusCodes.attendanceAcademicYear(census.getTerm(), CensusDays.academicYearStart(census.getCensusDay()));
            read.add(AttendanceYear.newBuilder().setYear(year).setSessionsPossible(possible)
                    .setSessionsAuthorised(authorised == null ? 0 : authorised).setSessionsUnauthorised(unauthorised == null ? 0 : unauthorised).build());
        }
        return read;
    }
}
