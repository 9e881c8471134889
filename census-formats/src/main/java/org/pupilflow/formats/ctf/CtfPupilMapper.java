package org.pupilflow.formats.ctf;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.pupilflow.formats.ctf.CtfElements.*;

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
import org.pupilflow.census.SenNeed;
import org.pupilflow.census.SpecialEducationalNeeds;
import org.pupilflow.census.Telephone;
import org.pupilflow.formats.census.CensusContextResolver;
import org.pupilflow.formats.census.CensusDayChoice;
import org.pupilflow.formats.read.CensusField;
import org.pupilflow.formats.read.FieldIssue;
import org.pupilflow.formats.read.FieldNames;
import org.pupilflow.formats.read.ParsedRecord;
import org.pupilflow.formats.read.RecordIssues;
import org.pupilflow.formats.read.SchoolPhases;
import org.pupilflow.formats.xml.XmlElement;

/**
 * Maps one CTF {@code Pupil} element to a {@link CensusPupil}: the inverse of
 * {@code CtfXmlWriter}.
 *
 * <ul>
 * <li>Required (missing or unreadable: a "required"/"date" issue and no pupil): {@code UPN},
 * {@code Surname}, {@code Forename}, {@code DOB}, {@code Sex} (or the pre-CTF 19 {@code Gender}),
 * {@code BasicDetails/NCyearActual}, {@code EnrolStatus}, {@code Ethnicity}, the
 * {@code BasicDetails/Languages/Type} with {@code LanguageType} F and its {@code Language},
 * the pupil's school's {@code LEA}, {@code Estab} and {@code SchoolName}, and an {@code Address} with a {@code PostCode} or at least one address line; also
 * {@code SENhistory/SEN/SENprovision} when {@code SENhistory} has a {@code SEN} or needs.</li>
 * <li>School: the current {@code SchoolHistory/School}, the one without a {@code LeavingDate}; if
 * several have none, the last of them, with a "format" issue. A pupil with no current entry (no
 * {@code SchoolHistory}, as schools' MIS send it, or only schools left) is at the sending school,
 * {@code Header/SourceSchool}, unless that is an LA ({@code Estab} LLLL). Phase: {@code Phase}
 * (PupilFlow's addition) when given, else derived from the establishment number
 * ({@link SchoolPhases#fromEstablishment}). Entry date: {@code BasicDetails/EntryDate}, else the
 * current school's {@code EntryDate}.</li>
 * <li>Address: {@code AddressLines/AddressLineN} in order of N, or, without them, a
 * {@code BS7666Address} flattened to {@code SAON}, {@code PAON Street}, {@code Locality};
 * town {@code PostTown} (or BS7666 {@code PostTown}/{@code Town}); {@code PostCode};
 * {@code UniquePropertyReferenceNumber} directly under {@code Address} or in the BS7666 block.</li>
 * <li>Defaults of absent parts: no {@code FSMhistory} = no periods; no {@code SENhistory} =
 * provision N, no needs; no {@code LookedAfter/InCare} = not in care; no
 * {@code BasicDetails/ChildInNeed} = false; absent lists are empty.</li>
 * <li>Contacts: sorted by {@code Order} (a missing order is the contact's position);
 * {@code AddressAsPupil} true = same address; else the contact's {@code Address} if any;
 * neither = not the same, no address. Telephones: the pupil's {@code Phones} (no contact order),
 * then each contact's in contact order.</li>
 * <li>An item of a list (contact, phone, FSM period, SEN need, exclusion, attendance year,
 * assessment) with a missing or unreadable part that has no null in the model is left out
 * with an issue; the pupil is still built. An unreadable optional value (an entry date, say)
 * is left null with an issue. An FSM period with an unreadable end date is left out, not
 * turned into an open one.</li>
 * <li>Issue fields: list items always carry a 1-based index ({@code Contacts/Contact[2]/Surname});
 * {@code SEN}, {@code School} and {@code Languages/Type} only when there are several.</li>
 * </ul>
 */
final class CtfPupilMapper {

    private static final Pattern ADDRESS_LINE = Pattern.compile(ADDRESS_LINE_PREFIX + "(\\d{1,3})");

    /** The establishment "number" an LA uses when it sends a CTF itself (DOMAIN.md §1.1). */
    private static final String LA_AS_SENDER = "LLLL";
    private static final String SOURCE_SCHOOL_PATH = path(HEADER, SOURCE_SCHOOL);

    private final CensusContext census;
    private final CensusDayChoice censusDay;
    private final List<FieldIssue> headerIssues;
    private final XmlElement sourceSchool;

    /**
     * @param census       the census context every pupil gets (null if it is not known) and its census day
     * @param headerIssues issues with the header's census context, repeated on every record
     * @param sourceSchool the header's {@code SourceSchool}, or null: the school of pupils with no current school entry
     */
    CtfPupilMapper(CensusContextResolver.Resolution census, List<FieldIssue> headerIssues, XmlElement sourceSchool) {
        this.census = census.context();
        this.censusDay = census.censusDay();
        this.headerIssues = List.copyOf(headerIssues);
        this.sourceSchool = sourceSchool;
    }

    ParsedRecord map(XmlElement p, long index, String location) {
        RecordIssues issues = new RecordIssues(location);
        for (FieldIssue issue : headerIssues) {
            issues.add(issue.field(), issue.rule(), issue.message());
        }
        if (census == null) {
            issues.cannotBuild();
        }

        String upn = issues.required(UPN, p.text(UPN));
        String surname = issues.required(SURNAME, p.text(SURNAME));
        String forename = issues.required(FORENAME, p.text(FORENAME));
        LocalDate dob = issues.date(DOB, p.text(DOB), true);
        String sex = issues.required(SEX, p.text(SEX) != null ? p.text(SEX) : p.text(GENDER));
        String ncYear = issues.required(path(BASIC_DETAILS, NC_YEAR_ACTUAL), p.text(path(BASIC_DETAILS, NC_YEAR_ACTUAL)));
        String enrolStatus = issues.required(path(BASIC_DETAILS, ENROL_STATUS), p.text(path(BASIC_DETAILS, ENROL_STATUS)));
        String ethnicity = issues.required(path(BASIC_DETAILS, ETHNICITY), p.text(path(BASIC_DETAILS, ETHNICITY)));
        FirstLanguage firstLanguage = firstLanguage(p, issues);
        Address address = pupilAddress(p, issues);
        CurrentSchool school = currentSchool(p, issues, sourceSchool);
        LocalDate entryDate = issues.date(path(BASIC_DETAILS, ENTRY_DATE), p.text(path(BASIC_DETAILS, ENTRY_DATE)), false);
        if (entryDate == null && p.text(path(BASIC_DETAILS, ENTRY_DATE)) == null && school != null && school.entryDate != null) {
            entryDate = school.entryDate;
        }

        List<Contact> contacts = contacts(p, issues);
        List<Telephone> telephones = phones(p.child(PHONES), PHONES, null, issues);
        List<Parent> parents = new ArrayList<>(contacts.size());
        for (Contact contact : contacts) {
            parents.add(contact.parent);
            telephones.addAll(contact.phones);
        }

        Boolean inCare = issues.bool(path(LOOKED_AFTER, IN_CARE), p.text(path(LOOKED_AFTER, IN_CARE)), false);
        Boolean childInNeed = issues.bool(path(BASIC_DETAILS, CHILD_IN_NEED), p.text(path(BASIC_DETAILS, CHILD_IN_NEED)), false);
        FreeSchoolMeals fsm = freeSchoolMeals(p.child(FSM_HISTORY), issues);
        SpecialEducationalNeeds sen = specialEducationalNeeds(p.child(SEN_HISTORY), issues);
        List<Exclusion> exclusions = exclusions(p.child(EXCLUSIONS), issues);
        List<AttendanceYear> attendance = attendance(p.child(ATTENDANCE), issues);
        Assessments assessments = assessments(p.child(STAGE_ASSESSMENTS), issues);

        CensusPupil pupil = null;
        if (issues.pupilReadable()) {
            pupil = CensusPupil.newBuilder()
                    .setIdentity(Identity.newBuilder()
                            .setUpn(upn)
                            .setFormerUpn(p.text(path(BASIC_DETAILS, FORMER_UPN)))
                            .setUln(p.text(UNIQUE_LEARNER_NUMBER))
                            .build())
                    .setNames(Names.newBuilder()
                            .setLegalSurname(surname)
                            .setLegalForename(forename)
                            .setMiddleNames(p.text(path(BASIC_DETAILS, MIDDLE_NAMES)))
                            .setPreferredSurname(p.text(path(BASIC_DETAILS, PREFERRED_SURNAME)))
                            .setPreferredForename(p.text(path(BASIC_DETAILS, PREFERRED_FORENAME)))
                            .setFormerSurname(p.text(path(BASIC_DETAILS, FORMER_SURNAME)))
                            .build())
                    .setDateOfBirth(dob)
                    .setSex(sex)
                    .setAddress(address)
                    .setParents(parents)
                    .setTelephones(telephones)
                    .setSchool(school.school)
                    .setEnrolment(Enrolment.newBuilder().setNcYearActual(ncYear).setEnrolmentStatus(enrolStatus).setEntryDate(entryDate).build())
                    .setFreeSchoolMeals(fsm)
                    .setSpecialEducationalNeeds(sen)
                    .setFirstLanguage(firstLanguage)
                    .setEthnicity(Ethnicity.newBuilder().setCode(ethnicity).setSource(p.text(path(BASIC_DETAILS, ETHNICITY_SOURCE))).build())
                    .setExclusions(exclusions)
                    .setAttendance(attendance)
                    .setEarlyYearsFoundationStage(assessments.eyfsp)
                    .setPhonics(assessments.phonics)
                    .setKeyStage1(assessments.ks1)
                    .setKeyStage2(assessments.ks2)
                    .setLookedAfter(LookedAfter.newBuilder()
                            .setInCare(Boolean.TRUE.equals(inCare))
                            .setCareAuthority(p.text(path(LOOKED_AFTER, CARE_AUTHORITY)))
                            .build())
                    .setChildInNeed(Boolean.TRUE.equals(childInNeed))
                    .setCensus(census)
                    .build();
        }
        String schoolLa = school == null || school.laField == null ? path(SCHOOL_HISTORY, SCHOOL, LEA) : school.laField;
        return new ParsedRecord(index, location, pupil, issues.list(), p.text(UPN), fields(schoolLa), censusDay);
    }

    /** How CTF names the values later checks report on; the school's LA is where this pupil's school came from. */
    static FieldNames fields(String schoolLaField) {
        return field -> switch (field) {
            case UPN -> UPN;
            case FORMER_UPN -> path(BASIC_DETAILS, FORMER_UPN);
            case ULN -> UNIQUE_LEARNER_NUMBER;
            case SEX -> SEX;
            case DATE_OF_BIRTH -> DOB;
            case NC_YEAR -> path(BASIC_DETAILS, NC_YEAR_ACTUAL);
            case ENROLMENT_STATUS -> path(BASIC_DETAILS, ENROL_STATUS);
            case SEN_PROVISION -> path(SEN_HISTORY, SEN, SEN_PROVISION);
            case SEN_NEED_TYPE -> path(SEN_HISTORY, SEN, SEN_NEEDS, SEN_NEED, SEN_TYPE);
            case ETHNICITY -> path(BASIC_DETAILS, ETHNICITY);
            case FIRST_LANGUAGE -> path(BASIC_DETAILS, LANGUAGES, LANGUAGE_TYPE_GROUP, LANGUAGE);
            case FSM_UK_COUNTRY -> path(FSM_HISTORY, FSM_INSTANCE, UK_COUNTRY);
            case SCHOOL_LA -> schoolLaField;
            case RETURN_LA -> path(HEADER, SOURCE_SCHOOL, LEA);
        };
    }

    private static FirstLanguage firstLanguage(XmlElement p, RecordIssues issues) {
        XmlElement languages = p.at(path(BASIC_DETAILS, LANGUAGES));
        List<XmlElement> types = languages == null ? List.of() : languages.children(LANGUAGE_TYPE_GROUP);
        for (int i = 0; i < types.size(); i++) {
            XmlElement type = types.get(i);
            if (FIRST_LANGUAGE.equalsIgnoreCase(type.text(LANGUAGE_TYPE))) {
                String field = path(BASIC_DETAILS, LANGUAGES, LANGUAGE_TYPE_GROUP) + (types.size() > 1 ? "[" + (i + 1) + "]" : "") + "/" + LANGUAGE;
                String code = issues.required(field, type.text(LANGUAGE));
                return code == null ? null : FirstLanguage.newBuilder().setCode(code).setSource(type.text(LANGUAGE_SOURCE)).build();
            }
        }
        issues.missing(path(BASIC_DETAILS, LANGUAGES, LANGUAGE_TYPE_GROUP, LANGUAGE), "BasicDetails/Languages has no first language (a Type with LanguageType F)");
        return null;
    }

    private static Address pupilAddress(XmlElement p, RecordIssues issues) {
        XmlElement element = p.child(ADDRESS);
        if (element == null) {
            issues.missing(ADDRESS, "Address is missing");
            return null;
        }
        Address address = address(element);
        if (address.getLines().isEmpty() && address.getPostcode() == null) {
            issues.missing(ADDRESS, "Address has neither a PostCode nor an address line");
            return null;
        }
        return address;
    }

    static Address address(XmlElement a) {
        List<String> lines = new ArrayList<>(3);
        XmlElement addressLines = a.child(ADDRESS_LINES);
        XmlElement bs7666 = a.child(BS7666_ADDRESS);
        if (addressLines != null) {
            List<int[]> numbered = new ArrayList<>();
            List<XmlElement> children = addressLines.children();
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
        } else if (bs7666 != null) {
            addIfPresent(lines, bs7666.text(SAON));
            String paon = bs7666.text(PAON);
            String street = bs7666.text(STREET);
            addIfPresent(lines, paon == null ? street : street == null ? paon : paon + " " + street);
            addIfPresent(lines, bs7666.text(LOCALITY));
        }
        String town = a.text(POST_TOWN);
        if (town == null && bs7666 != null) {
            town = bs7666.text(POST_TOWN) != null ? bs7666.text(POST_TOWN) : bs7666.text(TOWN);
        }
        String uprn = a.text(UNIQUE_PROPERTY_REFERENCE_NUMBER);
        if (uprn == null && bs7666 != null) {
            uprn = bs7666.text(UNIQUE_PROPERTY_REFERENCE_NUMBER);
        }
        return Address.newBuilder().setLines(lines).setTown(town).setPostcode(a.text(POST_CODE)).setUprn(uprn).build();
    }

    private static void addIfPresent(List<String> lines, String line) {
        if (line != null) {
            lines.add(line);
        }
    }

    /** The pupil's school, its entry date and the field its LA number came from (null if there is no school). */
    private record CurrentSchool(School school, LocalDate entryDate, String laField) {
    }

    private static CurrentSchool currentSchool(XmlElement p, RecordIssues issues, XmlElement sourceSchool) {
        List<XmlElement> schools = new ArrayList<>(2);
        for (XmlElement history : p.children(SCHOOL_HISTORY)) {
            schools.addAll(history.children(SCHOOL));
        }
        int current = -1;
        int currentCount = 0;
        for (int i = 0; i < schools.size(); i++) {
            if (schools.get(i).text(LEAVING_DATE) == null) {
                current = i;
                currentCount++;
            }
        }
        if (current < 0) {
            return schools.isEmpty()
                    ? sendingSchool(issues, sourceSchool, path(SCHOOL_HISTORY, SCHOOL), "the pupil has no SchoolHistory/School")
                    : sendingSchool(issues, sourceSchool, path(SCHOOL_HISTORY, SCHOOL, LEAVING_DATE), "every SchoolHistory/School of the pupil has a LeavingDate");
        }
        String prefix = path(SCHOOL_HISTORY, SCHOOL) + (schools.size() > 1 ? "[" + (current + 1) + "]" : "");
        if (currentCount > 1) {
            issues.add(path(SCHOOL_HISTORY, SCHOOL), "format", currentCount + " SchoolHistory/School entries have no LeavingDate; "
                    + prefix + ", the last of them, is taken as the current school");
        }
        XmlElement s = schools.get(current);
        String la = issues.required(prefix + "/" + LEA, s.text(LEA));
        String estab = issues.required(prefix + "/" + ESTAB, s.text(ESTAB));
        String name = issues.required(prefix + "/" + SCHOOL_NAME, s.text(SCHOOL_NAME));
        LocalDate entryDate = issues.date(prefix + "/" + ENTRY_DATE, s.text(ENTRY_DATE), false);
        var phase = SchoolPhases.phase(issues, prefix + "/" + PHASE, s.text(PHASE), estab);
        if (la == null || estab == null || name == null) {
            return null;
        }
        School school = School.newBuilder().setLaNumber(la).setEstablishmentNumber(estab).setUrn(s.text(URN)).setName(name).setPhase(phase).build();
        return new CurrentSchool(school, entryDate, prefix + "/" + LEA);
    }

    /** The sending school of the CTF, for a pupil with no current school entry of its own. */
    private static CurrentSchool sendingSchool(RecordIssues issues, XmlElement sourceSchool, String field, String why) {
        if (sourceSchool == null) {
            issues.missing(field, why + " and the file has no Header/SourceSchool, so the pupil's school is not known");
            return null;
        }
        String estab = sourceSchool.text(ESTAB);
        if (LA_AS_SENDER.equalsIgnoreCase(estab)) {
            issues.missing(field, why + " and the file was sent by an LA (Header/SourceSchool/Estab "
                    + LA_AS_SENDER + "), not a school, so the pupil's school is not known");
            return null;
        }
        String prefix = SOURCE_SCHOOL_PATH;
        String la = issues.required(prefix + "/" + LEA, sourceSchool.text(LEA));
        issues.required(prefix + "/" + ESTAB, estab);
        String name = issues.required(prefix + "/" + SCHOOL_NAME, sourceSchool.text(SCHOOL_NAME));
        if (la == null || estab == null || name == null) {
            return null;
        }
        School school = School.newBuilder().setLaNumber(la).setEstablishmentNumber(estab).setUrn(sourceSchool.text(URN)).setName(name)
                .setPhase(SchoolPhases.fromEstablishment(estab)).build();
        return new CurrentSchool(school, null, prefix + "/" + LEA);
    }

    private record Contact(Parent parent, List<Telephone> phones) {
    }

    private static List<Contact> contacts(XmlElement p, RecordIssues issues) {
        XmlElement element = p.child(CONTACTS);
        if (element == null) {
            return new ArrayList<>(0);
        }
        List<XmlElement> contacts = element.children(CONTACT);
        List<Contact> read = new ArrayList<>(contacts.size());
        for (int i = 0; i < contacts.size(); i++) {
            XmlElement c = contacts.get(i);
            String prefix = "Contacts/Contact[" + (i + 1) + "]";
            Integer order = issues.integer(prefix + "/" + ORDER, c.text(ORDER), false);
            int contactOrder = order != null ? order : i + 1;
            String surname = need(issues, prefix + "/" + SURNAME, c.text(SURNAME), "contact");
            String relationship = need(issues, prefix + "/" + RELATIONSHIP, c.text(RELATIONSHIP), "contact");
            Boolean responsibility = needBool(issues, prefix + "/" + RESPONSIBILITY, c.text(RESPONSIBILITY), "contact");
            Boolean asPupil = issues.bool(prefix + "/" + ADDRESS_AS_PUPIL, c.text(ADDRESS_AS_PUPIL), false);
            List<Telephone> phones = phones(c.child(PHONES), prefix + "/" + PHONES, contactOrder, issues);
            if (surname == null || relationship == null || responsibility == null) {
                continue;
            }
            boolean same = Boolean.TRUE.equals(asPupil);
            XmlElement contactAddress = c.child(ADDRESS);
            Parent parent = Parent.newBuilder()
                    .setOrder(contactOrder)
                    .setTitle(c.text(TITLE))
                    .setForename(c.text(FORENAME))
                    .setSurname(surname)
                    .setRelationship(relationship)
                    .setParentalResponsibility(responsibility)
                    .setAddressSameAsPupil(same)
                    .setAddress(same || contactAddress == null ? null : address(contactAddress))
                    .build();
            read.add(new Contact(parent, phones));
        }
        read.sort(Comparator.comparingInt((Contact c) -> c.parent.getOrder()));
        return read;
    }

    private static List<Telephone> phones(XmlElement phones, String prefix, Integer contactOrder, RecordIssues issues) {
        List<Telephone> read = new ArrayList<>(2);
        if (phones == null) {
            return read;
        }
        List<XmlElement> list = phones.children(PHONE);
        for (int i = 0; i < list.size(); i++) {
            String at = prefix + "/Phone[" + (i + 1) + "]";
            String type = need(issues, at + "/" + TELEPHONE_TYPE, list.get(i).text(TELEPHONE_TYPE), "phone");
            String number = need(issues, at + "/" + PHONE_NO, list.get(i).text(PHONE_NO), "phone");
            if (type != null && number != null) {
                read.add(Telephone.newBuilder().setContactOrder(contactOrder).setTelephoneType(type).setNumber(number).build());
            }
        }
        return read;
    }

    private static FreeSchoolMeals freeSchoolMeals(XmlElement fsm, RecordIssues issues) {
        List<FsmPeriod> periods = new ArrayList<>(1);
        if (fsm == null) {
            return FreeSchoolMeals.newBuilder().setReviewDate(null).setPeriods(periods).build();
        }
        LocalDate review = issues.date(path(FSM_HISTORY, FSM_REVIEW_DATE), fsm.text(FSM_REVIEW_DATE), false);
        List<XmlElement> instances = fsm.children(FSM_INSTANCE);
        for (int i = 0; i < instances.size(); i++) {
            XmlElement instance = instances.get(i);
            String at = "FSMhistory/FSMinstance[" + (i + 1) + "]";
            LocalDate start = needDate(issues, at + "/" + FSM_START_DATE, instance.text(FSM_START_DATE), "FSM period");
            String endText = instance.text(FSM_END_DATE);
            LocalDate end = issues.date(at + "/" + FSM_END_DATE, endText, false);
            String country = need(issues, at + "/" + UK_COUNTRY, instance.text(UK_COUNTRY), "FSM period");
            if (start != null && country != null && (endText == null || end != null)) {
                periods.add(FsmPeriod.newBuilder().setStartDate(start).setEndDate(end).setUkCountry(country).build());
            }
        }
        return FreeSchoolMeals.newBuilder().setReviewDate(review).setPeriods(periods).build();
    }

    private static SpecialEducationalNeeds specialEducationalNeeds(XmlElement history, RecordIssues issues) {
        List<SenNeed> needs = new ArrayList<>(2);
        if (history == null) {
            return SpecialEducationalNeeds.newBuilder().setProvision("N").setStartDate(null).setNeeds(needs).build();
        }
        XmlElement needsElement = history.child(SEN_NEEDS);
        List<XmlElement> needList = needsElement == null ? List.of() : needsElement.children(SEN_NEED);
        for (int i = 0; i < needList.size(); i++) {
            String at = "SENhistory/SENneeds/SENneed[" + (i + 1) + "]";
            String type = need(issues, at + "/" + SEN_TYPE, needList.get(i).text(SEN_TYPE), "SEN need");
            Integer rank = issues.integer(at + "/" + SEN_TYPE_RANK, needList.get(i).text(SEN_TYPE_RANK), false);
            if (type != null) {
                needs.add(SenNeed.newBuilder().setType(type).setRank(rank != null ? rank : i + 1).build());
            }
        }
        List<XmlElement> sens = history.children(SEN);
        if (sens.isEmpty()) {
            if (!needList.isEmpty()) {
                issues.missing(path(SEN_HISTORY, SEN, SEN_PROVISION), "SENhistory lists needs but has no SEN/SENprovision");
            }
            return SpecialEducationalNeeds.newBuilder().setProvision("N").setStartDate(null).setNeeds(needs).build();
        }
        // Several SEN entries are a history: the latest StartDate is the current provision (undated ones count as earliest).
        LocalDate[] starts = new LocalDate[sens.size()];
        int chosen = 0;
        for (int i = 0; i < sens.size(); i++) {
            String at = path(SEN_HISTORY, SEN) + (sens.size() > 1 ? "[" + (i + 1) + "]" : "");
            starts[i] = issues.date(at + "/" + START_DATE, sens.get(i).text(START_DATE), false);
            if (starts[chosen] == null || starts[i] != null && !starts[i].isBefore(starts[chosen])) {
                chosen = i;
            }
        }
        String at = path(SEN_HISTORY, SEN) + (sens.size() > 1 ? "[" + (chosen + 1) + "]" : "");
        String provision = issues.required(at + "/" + SEN_PROVISION, sens.get(chosen).text(SEN_PROVISION));
        return provision == null ? null
                : SpecialEducationalNeeds.newBuilder().setProvision(provision).setStartDate(starts[chosen]).setNeeds(needs).build();
    }

    private static List<Exclusion> exclusions(XmlElement element, RecordIssues issues) {
        List<Exclusion> read = new ArrayList<>(0);
        if (element == null) {
            return read;
        }
        List<XmlElement> list = element.children(EXCLUSION);
        for (int i = 0; i < list.size(); i++) {
            XmlElement e = list.get(i);
            String at = "Exclusions/Exclusion[" + (i + 1) + "]";
            String category = need(issues, at + "/" + CATEGORY, e.text(CATEGORY), "exclusion");
            String reason = need(issues, at + "/" + REASON, e.text(REASON), "exclusion");
            LocalDate start = needDate(issues, at + "/" + START_DATE, e.text(START_DATE), "exclusion");
            Integer sessions = issues.integer(at + "/" + SESSIONS, e.text(SESSIONS), false);
            if (category != null && reason != null && start != null) {
                read.add(Exclusion.newBuilder().setCategory(category).setReason(reason).setStartDate(start).setSessions(sessions).build());
            }
        }
        return read;
    }

    private static List<AttendanceYear> attendance(XmlElement element, RecordIssues issues) {
        List<AttendanceYear> read = new ArrayList<>(1);
        if (element == null) {
            return read;
        }
        List<XmlElement> list = element.children(YEAR_DATA);
        for (int i = 0; i < list.size(); i++) {
            XmlElement y = list.get(i);
            String at = "Attendance/YearData[" + (i + 1) + "]";
            Integer year = needInt(issues, at + "/" + YEAR, y.text(YEAR), "attendance year");
            Integer possible = needInt(issues, at + "/" + SESSIONS_POSSIBLE, y.text(SESSIONS_POSSIBLE), "attendance year");
            Integer authorised = needInt(issues, at + "/" + SESSIONS_AUTHORISED, y.text(SESSIONS_AUTHORISED), "attendance year");
            Integer unauthorised = needInt(issues, at + "/" + SESSIONS_UNAUTHORISED, y.text(SESSIONS_UNAUTHORISED), "attendance year");
            if (year != null && possible != null && authorised != null && unauthorised != null) {
                read.add(AttendanceYear.newBuilder().setYear(year).setSessionsPossible(possible)
                        .setSessionsAuthorised(authorised).setSessionsUnauthorised(unauthorised).build());
            }
        }
        return read;
    }

    private static final class Assessments {
        final List<AssessmentResult> eyfsp = new ArrayList<>(0);
        final List<AssessmentResult> phonics = new ArrayList<>(0);
        final List<AssessmentResult> ks1 = new ArrayList<>(0);
        final List<AssessmentResult> ks2 = new ArrayList<>(0);

        /** The list for a CTF Stage code, or null for a stage PupilFlow does not carry (KS4, say). */
        List<AssessmentResult> of(String stage) {
            return switch (stage) {
                case "FSP" -> eyfsp;
                case "PHO" -> phonics;
                case "KS1" -> ks1;
                case "KS2" -> ks2;
                default -> null;
            };
        }
    }

    private static Assessments assessments(XmlElement element, RecordIssues issues) {
        Assessments read = new Assessments();
        if (element == null) {
            return read;
        }
        List<XmlElement> stages = element.children(KEY_STAGE);
        for (int i = 0; i < stages.size(); i++) {
            XmlElement keyStage = stages.get(i);
            String at = "StageAssessments/KeyStage[" + (i + 1) + "]";
            String stage = need(issues, at + "/" + STAGE, keyStage.text(STAGE), "key stage's results");
            List<AssessmentResult> target = stage == null ? null : read.of(stage);
            if (target == null) {
                continue;
            }
            List<XmlElement> results = keyStage.children(STAGE_ASSESSMENT);
            for (int j = 0; j < results.size(); j++) {
                XmlElement r = results.get(j);
                String rat = at + "/StageAssessment[" + (j + 1) + "]";
                Integer year = needInt(issues, rat + "/" + YEAR, r.text(YEAR), "assessment result");
                String subject = need(issues, rat + "/" + SUBJECT, r.text(SUBJECT), "assessment result");
                String value = need(issues, rat + "/" + RESULT, r.text(RESULT), "assessment result");
                if (year != null && subject != null && value != null) {
                    target.add(AssessmentResult.newBuilder()
                            .setYear(year)
                            .setSubject(subject)
                            .setMethod(r.text(METHOD))
                            .setComponent(r.text(COMPONENT))
                            .setResultStatus(r.text(RESULT_STATUS))
                            .setResultQualifier(r.text(RESULT_QUALIFIER))
                            .setValue(value)
                            .build());
                }
            }
        }
        return read;
    }

    /** A part an item cannot do without: null and a "required" issue (the item is left out, the pupil kept). */
    static String need(RecordIssues issues, String field, String value, String item) {
        return issues.need(field, value, item);
    }

    private static LocalDate needDate(RecordIssues issues, String field, String value, String item) {
        return need(issues, field, value, item) == null ? null : issues.date(field, value, false);
    }

    private static Integer needInt(RecordIssues issues, String field, String value, String item) {
        return need(issues, field, value, item) == null ? null : issues.integer(field, value, false);
    }

    private static Boolean needBool(RecordIssues issues, String field, String value, String item) {
        return need(issues, field, value, item) == null ? null : issues.bool(field, value, false);
    }
}
