package org.pupilflow.formats.csv;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVRecord;
import org.pupilflow.formats.census.CensusContextResolver;
import org.pupilflow.formats.census.FileCensus;
import org.pupilflow.formats.census.FileCensus.Value;
import org.pupilflow.formats.read.FieldIssue;
import org.pupilflow.formats.read.FieldNames;
import org.pupilflow.formats.read.ParsedRecord;
import org.pupilflow.formats.read.RecordIssues;
import org.pupilflow.formats.read.ReturnContext;
import org.pupilflow.formats.read.SchoolPhases;

import static org.pupilflow.formats.csv.CensusCsvColumns.*;
import org.pupilflow.census.Address;
import org.pupilflow.census.AssessmentResult;
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
import org.pupilflow.census.Parent;
import org.pupilflow.census.School;
import org.pupilflow.census.SchoolPhase;
import org.pupilflow.census.SenNeed;
import org.pupilflow.census.SpecialEducationalNeeds;
import org.pupilflow.census.Telephone;

/**
 * Maps one CSV row to a {@link CensusPupil}: the inverse of {@code CensusCsvWriter}.
 *
 * <ul>
 * <li>Cells are trimmed; an empty cell is an absent value, as is a column the file lacks.</li>
 * <li>Required (a "required"/"date" issue and no pupil): {@code upn}, {@code surname},
 * {@code forename}, {@code dob}, {@code sex}, {@code nc_year}, {@code enrol_status},
 * {@code ethnicity}, {@code first_language}, {@code la}, {@code estab}, {@code school_name}, an
 * address ({@code postcode} or an {@code address_lineN}; reported on {@code postcode}), and
 * {@code sen_provision} when {@code sen_needs} lists needs. The census context: see
 * {@link CensusContextResolver} (no census day is derived: the columns or the upload must give it), with {@code census_term}, {@code census_day}, {@code census_la}
 * winning over the return's values; {@code return_id} is ignored.</li>
 * <li>Address lines: {@code address_line1..N} in order of N (any N the header has).
 * Contacts: {@code contactN_*} for any N the header has, present when any of their cells is
 * set, sorted by {@code contactN_order} (N when empty); a contact's address only when
 * {@code contactN_address_as_pupil} is not true and it has a cell set.</li>
 * <li>Telephones: {@code home_phone} is the pupil's, type H; {@code contactN_mobile} the
 * contact's, type M (the CSV does not carry types; these are what the writer's exports hold).</li>
 * <li>Defaults: empty {@code sen_provision} = N; empty {@code looked_after} and
 * {@code child_in_need} = false; empty packed cells = no items; empty {@code phase} = derived
 * from the establishment number.</li>
 * <li>Packed cells ({@code fsm_periods}, {@code sen_needs}, {@code exclusions},
 * {@code attendance}, {@code eyfsp}, {@code phonics}, {@code ks1}, {@code ks2}): items
 * separated by {@code ;}, parts by {@code /}, an empty part is absent. An item with the wrong
 * number of parts is left out with a "format" issue; one with a missing or unreadable
 * part that the model needs is left out with a "required"/"date"/"integer" issue. Blank items
 * are skipped. Issues name the column; the message names the item (1-based) and part.</li>
 * </ul>
 */
final class CsvRowMapper {

    private static final Pattern ADDRESS_LINE_COLUMN = Pattern.compile(ADDRESS_LINE + "(\\d{1,3})");
    private static final Pattern CONTACT_COLUMN = Pattern.compile(CONTACT + "(\\d{1,2})_(.*)");
    private static final String[] ASSESSMENT_PARTS = {"year", "subject", "method", "component", "result status", "qualifier", "result"};

    private final Map<String, Integer> columns;
    private final ReturnContext context;
    private final List<String> addressLines;
    /** For each contact number N the header has: its contactN_ columns. */
    private final Map<Integer, List<String>> contactColumns;
    /** For each contact number N: its contactN_address_lineM columns in order of M. */
    private final Map<Integer, List<String>> contactAddressLines;
    private CSVRecord row;

    CsvRowMapper(Map<String, Integer> columns, ReturnContext context) {
        this.columns = Map.copyOf(columns);
        this.context = context;
        TreeMap<Integer, String> lines = new TreeMap<>();
        TreeMap<Integer, List<String>> contacts = new TreeMap<>();
        TreeMap<Integer, TreeMap<Integer, String>> contactLines = new TreeMap<>();
        for (String column : columns.keySet()) {
            Matcher line = ADDRESS_LINE_COLUMN.matcher(column);
            if (line.matches()) {
                lines.put(Integer.parseInt(line.group(1)), column);
            }
            Matcher contact = CONTACT_COLUMN.matcher(column);
            if (contact.matches()) {
                int n = Integer.parseInt(contact.group(1));
                contacts.computeIfAbsent(n, k -> new ArrayList<>()).add(column);
                Matcher contactLine = ADDRESS_LINE_COLUMN.matcher(contact.group(2));
                if (contactLine.matches()) {
                    contactLines.computeIfAbsent(n, k -> new TreeMap<>()).put(Integer.parseInt(contactLine.group(1)), column);
                }
            }
        }
        this.addressLines = List.copyOf(lines.values());
        this.contactColumns = new TreeMap<>(contacts);
        this.contactAddressLines = new TreeMap<>();
        for (Integer n : contacts.keySet()) {
            contactAddressLines.put(n, List.copyOf(contactLines.getOrDefault(n, new TreeMap<>()).values()));
        }
    }

    ParsedRecord map(CSVRecord record, long index, String location) {
        this.row = record;
        RecordIssues issues = new RecordIssues(location);

        String upn = issues.required(UPN, cell(UPN));
        String surname = issues.required(SURNAME, cell(SURNAME));
        String forename = issues.required(FORENAME, cell(FORENAME));
        LocalDate dob = issues.date(DOB, cell(DOB), true);
        String sex = issues.required(SEX, cell(SEX));
        String ncYear = issues.required(NC_YEAR, cell(NC_YEAR));
        String enrolStatus = issues.required(ENROL_STATUS, cell(ENROL_STATUS));
        String ethnicity = issues.required(ETHNICITY, cell(ETHNICITY));
        String language = issues.required(FIRST_LANGUAGE, cell(FIRST_LANGUAGE));
        String la = issues.required(LA, cell(LA));
        String estab = issues.required(ESTAB, cell(ESTAB));
        String schoolName = issues.required(SCHOOL_NAME, cell(SCHOOL_NAME));
        SchoolPhase phase = SchoolPhases.phase(issues, PHASE, cell(PHASE), estab);
        LocalDate entryDate = issues.date(ENTRY_DATE, cell(ENTRY_DATE), false);

        Address address = address("", addressLines, true);
        if (address == null || address.getLines().isEmpty() && address.getPostcode() == null) {
            issues.missing(POSTCODE, "The address has neither a postcode nor an address line");
        }

        List<Telephone> telephones = new ArrayList<>(3);
        String home = cell(HOME_PHONE);
        if (home != null) {
            telephones.add(Telephone.newBuilder().setContactOrder(null).setTelephoneType("H").setNumber(home).build());
        }
        List<Parent> parents = new ArrayList<>(2);
        for (Contact contact : contacts(issues)) {
            parents.add(contact.parent());
            if (contact.mobile() != null) {
                telephones.add(Telephone.newBuilder().setContactOrder(contact.parent().getOrder()).setTelephoneType("M").setNumber(contact.mobile()).build());
            }
        }

        FreeSchoolMeals fsm = freeSchoolMeals(issues);
        SpecialEducationalNeeds sen = specialEducationalNeeds(issues);
        List<Exclusion> exclusions = exclusions(issues);
        List<AttendanceYear> attendance = attendance(issues);
        List<AssessmentResult> eyfsp = assessments(issues, EYFSP);
        List<AssessmentResult> phonics = assessments(issues, PHONICS);
        List<AssessmentResult> ks1 = assessments(issues, KS1);
        List<AssessmentResult> ks2 = assessments(issues, KS2);
        Boolean inCare = issues.bool(LOOKED_AFTER, cell(LOOKED_AFTER), false);
        Boolean childInNeed = issues.bool(CHILD_IN_NEED, cell(CHILD_IN_NEED), false);
        CensusContextResolver.Resolution resolution = CensusContextResolver.resolve(context, issues, new FileCensus(
                Value.of(cell(CENSUS_TERM), CENSUS_TERM), Value.of(cell(CENSUS_DAY), CENSUS_DAY), Value.of(null, CENSUS_DAY),
                FileCensus.YearMeaning.ACADEMIC_YEAR_START, Value.of(null, CENSUS_DAY), Value.of(cell(CENSUS_LA), CENSUS_LA),
                false, FileCensus.ISO_DATE, "YYYY-MM-DD"));
        CensusContext census = resolution.context();

        CensusPupil pupil = null;
        if (issues.pupilReadable()) {
            pupil = CensusPupil.newBuilder()
                    .setIdentity(Identity.newBuilder().setUpn(upn).setFormerUpn(cell(FORMER_UPN)).setUln(cell(ULN)).build())
                    .setNames(Names.newBuilder()
                            .setLegalSurname(surname)
                            .setLegalForename(forename)
                            .setMiddleNames(cell(MIDDLE_NAMES))
                            .setPreferredSurname(cell(PREFERRED_SURNAME))
                            .setPreferredForename(cell(PREFERRED_FORENAME))
                            .setFormerSurname(cell(FORMER_SURNAME))
                            .build())
                    .setDateOfBirth(dob)
                    .setSex(sex)
                    .setAddress(address)
                    .setParents(parents)
                    .setTelephones(telephones)
                    .setSchool(School.newBuilder().setLaNumber(la).setEstablishmentNumber(estab).setUrn(cell(URN)).setName(schoolName).setPhase(phase).build())
                    .setEnrolment(Enrolment.newBuilder().setNcYearActual(ncYear).setEnrolmentStatus(enrolStatus).setEntryDate(entryDate).build())
                    .setFreeSchoolMeals(fsm)
                    .setSpecialEducationalNeeds(sen)
                    .setFirstLanguage(FirstLanguage.newBuilder().setCode(language).setSource(cell(LANGUAGE_SOURCE)).build())
                    .setEthnicity(Ethnicity.newBuilder().setCode(ethnicity).setSource(cell(ETHNICITY_SOURCE)).build())
                    .setExclusions(exclusions)
                    .setAttendance(attendance)
                    .setEarlyYearsFoundationStage(eyfsp)
                    .setPhonics(phonics)
                    .setKeyStage1(ks1)
                    .setKeyStage2(ks2)
                    .setLookedAfter(LookedAfter.newBuilder().setInCare(Boolean.TRUE.equals(inCare)).setCareAuthority(cell(CARE_AUTHORITY)).build())
                    .setChildInNeed(Boolean.TRUE.equals(childInNeed))
                    .setCensus(census)
                    .build();
        }
        this.row = null;
        return new ParsedRecord(index, location, pupil, issues.list(), cell(record, UPN), FIELDS, resolution.censusDay());
    }

    /** How the CSV names the values later checks report on. */
    static final FieldNames FIELDS = field -> switch (field) {
        case UPN -> UPN;
        case FORMER_UPN -> FORMER_UPN;
        case ULN -> ULN;
        case SEX -> SEX;
        case DATE_OF_BIRTH -> DOB;
        case NC_YEAR -> NC_YEAR;
        case ENROLMENT_STATUS -> ENROL_STATUS;
        case SEN_PROVISION -> SEN_PROVISION;
        case SEN_NEED_TYPE -> SEN_NEEDS;
        case ETHNICITY -> ETHNICITY;
        case FIRST_LANGUAGE -> FIRST_LANGUAGE;
        case FSM_UK_COUNTRY -> FSM_PERIODS;
        case SCHOOL_LA -> LA;
        case RETURN_LA -> CENSUS_LA;
    };

    /** The trimmed cell of {@code column}; null if it is empty or the file has no such column. */
    private String cell(String column) {
        return cell(row, column);
    }

    private String cell(CSVRecord record, String column) {
        Integer i = columns.get(column);
        if (i == null || i >= record.size()) {
            return null;
        }
        String value = record.get(i).strip();
        return value.isEmpty() ? null : value;
    }

    /** An address from {@code prefix}-named columns, or null if none of them is set. */
    private Address address(String prefix, List<String> lineColumns, boolean withUprn) {
        List<String> lines = new ArrayList<>(lineColumns.size());
        for (String column : lineColumns) {
            String line = cell(column);
            if (line != null) {
                lines.add(line);
            }
        }
        String town = cell(prefix + TOWN);
        String postcode = cell(prefix + POSTCODE);
        String uprn = withUprn ? cell(prefix + UPRN) : null;
        if (lines.isEmpty() && town == null && postcode == null && uprn == null) {
            return null;
        }
        return Address.newBuilder().setLines(lines).setTown(town).setPostcode(postcode).setUprn(uprn).build();
    }

    private record Contact(Parent parent, String mobile) {
    }

    private List<Contact> contacts(RecordIssues issues) {
        List<Contact> contacts = new ArrayList<>(2);
        for (Map.Entry<Integer, List<String>> numbered : contactColumns.entrySet()) {
            int n = numbered.getKey();
            String p = contact(n, "");
            boolean any = false;
            for (String column : numbered.getValue()) {
                if (cell(column) != null) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                continue;
            }
            Integer order = issues.integer(p + ORDER, cell(p + ORDER), false);
            String surname = issues.need(p + SURNAME, cell(p + SURNAME), CONTACT);
            String relationship = issues.need(p + RELATIONSHIP, cell(p + RELATIONSHIP), CONTACT);
            String responsibilityText = issues.need(p + RESPONSIBILITY, cell(p + RESPONSIBILITY), CONTACT);
            Boolean responsibility = responsibilityText == null ? null : issues.bool(p + RESPONSIBILITY, responsibilityText, false);
            Boolean asPupil = issues.bool(p + ADDRESS_AS_PUPIL, cell(p + ADDRESS_AS_PUPIL), false);
            if (surname == null || relationship == null || responsibility == null) {
                continue;
            }
            boolean same = Boolean.TRUE.equals(asPupil);
            Parent parent = Parent.newBuilder()
                    .setOrder(order != null ? order : n)
                    .setTitle(cell(p + TITLE))
                    .setForename(cell(p + FORENAME))
                    .setSurname(surname)
                    .setRelationship(relationship)
                    .setParentalResponsibility(responsibility)
                    .setAddressSameAsPupil(same)
                    .setAddress(same ? null : address(p, contactAddressLines.get(n), false))
                    .build();
            contacts.add(new Contact(parent, cell(p + MOBILE)));
        }
        contacts.sort(Comparator.comparingInt((Contact c) -> c.parent().getOrder()));
        return contacts;
    }

    /** The well-formed items of a packed cell, each with its 1-based number in the cell; parts trimmed, empty parts null. */
    private List<Item> items(RecordIssues issues, String column, String... partNames) {
        String packed = cell(column);
        List<Item> items = new ArrayList<>(2);
        if (packed == null) {
            return items;
        }
        String[] raw = packed.split(";", -1);
        for (int k = 0; k < raw.length; k++) {
            if (raw[k].isBlank()) {
                continue;
            }
            String[] parts = raw[k].split("/", -1);
            if (parts.length != partNames.length) {
                issues.add(column, "format", column + " item " + (k + 1) + " " + RecordIssues.quote(raw[k].strip()) + " has " + parts.length
                        + " part" + (parts.length == 1 ? "" : "s") + ", expected " + partNames.length + " (" + String.join(" / ", partNames) + ")");
                continue;
            }
            for (int i = 0; i < parts.length; i++) {
                parts[i] = parts[i].strip();
                if (parts[i].isEmpty()) {
                    parts[i] = null;
                }
            }
            items.add(new Item(column, k + 1, parts, partNames));
        }
        return items;
    }

    private record Item(String column, int number, String[] parts, String[] names) {
        String label(int part) {
            return column + " item " + number + " " + names[part];
        }

        String text(RecordIssues issues, int part, boolean needed) {
            if (parts[part] == null && needed) {
                issues.add(column, "required", label(part) + " is missing, so the item is left out");
            }
            return parts[part];
        }

        LocalDate date(RecordIssues issues, int part, boolean needed) {
            return text(issues, part, needed) == null ? null : issues.date(column, label(part), parts[part], false);
        }

        Integer integer(RecordIssues issues, int part, boolean needed) {
            return text(issues, part, needed) == null ? null : issues.integer(column, label(part), parts[part], false);
        }
    }

    private FreeSchoolMeals freeSchoolMeals(RecordIssues issues) {
        List<FsmPeriod> periods = new ArrayList<>(1);
        for (Item item : items(issues, FSM_PERIODS, "start date", "end date", "UK country")) {
            LocalDate start = item.date(issues, 0, true);
            LocalDate end = item.date(issues, 1, false);
            String country = item.text(issues, 2, true);
            if (start != null && country != null && (item.parts[1] == null || end != null)) {
                periods.add(FsmPeriod.newBuilder().setStartDate(start).setEndDate(end).setUkCountry(country).build());
            }
        }
        return FreeSchoolMeals.newBuilder().setReviewDate(issues.date(FSM_REVIEW_DATE, cell(FSM_REVIEW_DATE), false)).setPeriods(periods).build();
    }

    private SpecialEducationalNeeds specialEducationalNeeds(RecordIssues issues) {
        List<SenNeed> needs = new ArrayList<>(2);
        for (Item item : items(issues, SEN_NEEDS, "type", "rank")) {
            String type = item.text(issues, 0, true);
            Integer rank = item.integer(issues, 1, false);
            if (type != null) {
                needs.add(SenNeed.newBuilder().setType(type).setRank(rank != null ? rank : item.number).build());
            }
        }
        String provision = cell(SEN_PROVISION);
        if (provision == null && cell(SEN_NEEDS) != null) {
            issues.missing(SEN_PROVISION, "sen_provision is missing but sen_needs lists needs");
            return null;
        }
        return SpecialEducationalNeeds.newBuilder()
                .setProvision(provision == null ? "N" : provision)
                .setStartDate(issues.date(SEN_START_DATE, cell(SEN_START_DATE), false))
                .setNeeds(needs)
                .build();
    }

    private List<Exclusion> exclusions(RecordIssues issues) {
        List<Exclusion> exclusions = new ArrayList<>(0);
        for (Item item : items(issues, EXCLUSIONS, "category", "reason", "start date", "sessions")) {
            String category = item.text(issues, 0, true);
            String reason = item.text(issues, 1, true);
            LocalDate start = item.date(issues, 2, true);
            Integer sessions = item.integer(issues, 3, false);
            if (category != null && reason != null && start != null) {
                exclusions.add(Exclusion.newBuilder().setCategory(category).setReason(reason).setStartDate(start).setSessions(sessions).build());
            }
        }
        return exclusions;
    }

    private List<AttendanceYear> attendance(RecordIssues issues) {
        List<AttendanceYear> years = new ArrayList<>(1);
        for (Item item : items(issues, ATTENDANCE, "academic year", "sessions possible", "authorised", "unauthorised")) {
            Integer year = item.integer(issues, 0, true);
            Integer possible = item.integer(issues, 1, true);
            Integer authorised = item.integer(issues, 2, true);
            Integer unauthorised = item.integer(issues, 3, true);
            if (year != null && possible != null && authorised != null && unauthorised != null) {
                years.add(AttendanceYear.newBuilder().setYear(year).setSessionsPossible(possible)
                        .setSessionsAuthorised(authorised).setSessionsUnauthorised(unauthorised).build());
            }
        }
        return years;
    }

    private List<AssessmentResult> assessments(RecordIssues issues, String column) {
        List<AssessmentResult> results = new ArrayList<>(0);
        for (Item item : items(issues, column, ASSESSMENT_PARTS)) {
            Integer year = item.integer(issues, 0, true);
            String subject = item.text(issues, 1, true);
            String value = item.text(issues, 6, true);
            if (year != null && subject != null && value != null) {
                results.add(AssessmentResult.newBuilder()
                        .setYear(year)
                        .setSubject(subject)
                        .setMethod(item.parts[2])
                        .setComponent(item.parts[3])
                        .setResultStatus(item.parts[4])
                        .setResultQualifier(item.parts[5])
                        .setValue(value)
                        .build());
            }
        }
        return results;
    }
}
