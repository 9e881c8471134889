package org.pupilflow.ingest.parse;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

/**
 * Maps one CTF {@code Pupil} element to a {@link CensusPupil}: the inverse of
 * {@code CtfXmlWriter}.
 *
 * <ul>
 * <li>Required (missing or unreadable: a "required"/"date" issue and no pupil): {@code UPN},
 * {@code Surname}, {@code Forename}, {@code DOB}, {@code Sex} (or the pre-CTF 19 {@code Gender}),
 * {@code BasicDetails/NCyearActual}, {@code EnrolStatus}, {@code Ethnicity}, the
 * {@code BasicDetails/Languages/Type} with {@code LanguageType} F and its {@code Language},
 * the current {@code SchoolHistory/School}'s {@code LEA}, {@code Estab} and {@code SchoolName},
 * and an {@code Address} with a {@code PostCode} or at least one address line; also
 * {@code SENhistory/SEN/SENprovision} when {@code SENhistory} has a {@code SEN} or needs.</li>
 * <li>Current school: the {@code SchoolHistory/School} without a {@code LeavingDate}; if several
 * have none, the last of them, with a "format" issue. Phase: {@code School/Phase} when given,
 * else derived from the establishment number ({@link CensusValues#phaseFromEstablishment}).
 * Entry date: {@code BasicDetails/EntryDate}, else the current school's {@code EntryDate}.</li>
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

    private static final Pattern ADDRESS_LINE = Pattern.compile("AddressLine(\\d{1,3})");

    private final CensusContext census;
    private final List<FieldIssue> headerIssues;

    /**
     * @param census       the census context every pupil gets, or null if it is not known
     * @param headerIssues issues with the header's census context, repeated on every record
     */
    CtfPupilMapper(CensusContext census, List<FieldIssue> headerIssues) {
        this.census = census;
        this.headerIssues = List.copyOf(headerIssues);
    }

    ParsedRecord map(XmlElement p, long index, String location) {
        RecordIssues issues = new RecordIssues(location);
        for (FieldIssue issue : headerIssues) {
            issues.add(issue.field(), issue.rule(), issue.message());
        }
        if (census == null) {
            issues.cannotBuild();
        }

        String upn = issues.required("UPN", p.text("UPN"));
        String surname = issues.required("Surname", p.text("Surname"));
        String forename = issues.required("Forename", p.text("Forename"));
        LocalDate dob = issues.date("DOB", p.text("DOB"), true);
        String sex = issues.required("Sex", p.text("Sex") != null ? p.text("Sex") : p.text("Gender"));
        String ncYear = issues.required("BasicDetails/NCyearActual", p.text("BasicDetails/NCyearActual"));
        String enrolStatus = issues.required("BasicDetails/EnrolStatus", p.text("BasicDetails/EnrolStatus"));
        String ethnicity = issues.required("BasicDetails/Ethnicity", p.text("BasicDetails/Ethnicity"));
        FirstLanguage firstLanguage = firstLanguage(p, issues);
        Address address = pupilAddress(p, issues);
        CurrentSchool school = currentSchool(p, issues);
        LocalDate entryDate = issues.date("BasicDetails/EntryDate", p.text("BasicDetails/EntryDate"), false);
        if (entryDate == null && p.text("BasicDetails/EntryDate") == null && school != null && school.entryDate != null) {
            entryDate = school.entryDate;
        }

        List<Contact> contacts = contacts(p, issues);
        List<Telephone> telephones = phones(p.child("Phones"), "Phones", null, issues);
        List<Parent> parents = new ArrayList<>(contacts.size());
        for (Contact contact : contacts) {
            parents.add(contact.parent);
            telephones.addAll(contact.phones);
        }

        Boolean inCare = issues.bool("LookedAfter/InCare", p.text("LookedAfter/InCare"), false);
        Boolean childInNeed = issues.bool("BasicDetails/ChildInNeed", p.text("BasicDetails/ChildInNeed"), false);
        FreeSchoolMeals fsm = freeSchoolMeals(p.child("FSMhistory"), issues);
        SpecialEducationalNeeds sen = specialEducationalNeeds(p.child("SENhistory"), issues);
        List<Exclusion> exclusions = exclusions(p.child("Exclusions"), issues);
        List<AttendanceYear> attendance = attendance(p.child("Attendance"), issues);
        Assessments assessments = assessments(p.child("StageAssessments"), issues);

        CensusPupil pupil = null;
        if (issues.pupilReadable()) {
            pupil = CensusPupil.newBuilder()
                    .setIdentity(Identity.newBuilder()
                            .setUpn(upn)
                            .setFormerUpn(p.text("BasicDetails/FormerUPN"))
                            .setUln(p.text("UniqueLearnerNumber"))
                            .build())
                    .setNames(Names.newBuilder()
                            .setLegalSurname(surname)
                            .setLegalForename(forename)
                            .setMiddleNames(p.text("BasicDetails/MiddleNames"))
                            .setPreferredSurname(p.text("BasicDetails/PreferredSurname"))
                            .setPreferredForename(p.text("BasicDetails/PreferredForename"))
                            .setFormerSurname(p.text("BasicDetails/FormerSurname"))
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
                    .setEthnicity(Ethnicity.newBuilder().setCode(ethnicity).setSource(p.text("BasicDetails/EthnicitySource")).build())
                    .setExclusions(exclusions)
                    .setAttendance(attendance)
                    .setEarlyYearsFoundationStage(assessments.eyfsp)
                    .setPhonics(assessments.phonics)
                    .setKeyStage1(assessments.ks1)
                    .setKeyStage2(assessments.ks2)
                    .setLookedAfter(LookedAfter.newBuilder()
                            .setInCare(Boolean.TRUE.equals(inCare))
                            .setCareAuthority(p.text("LookedAfter/CareAuthority"))
                            .build())
                    .setChildInNeed(Boolean.TRUE.equals(childInNeed))
                    .setCensus(census)
                    .build();
        }
        return new ParsedRecord(index, location, pupil, issues.list(), p.text("UPN"));
    }

    private static FirstLanguage firstLanguage(XmlElement p, RecordIssues issues) {
        XmlElement languages = p.at("BasicDetails/Languages");
        List<XmlElement> types = languages == null ? List.of() : languages.children("Type");
        for (int i = 0; i < types.size(); i++) {
            XmlElement type = types.get(i);
            if ("F".equalsIgnoreCase(type.text("LanguageType"))) {
                String field = "BasicDetails/Languages/Type" + (types.size() > 1 ? "[" + (i + 1) + "]" : "") + "/Language";
                String code = issues.required(field, type.text("Language"));
                return code == null ? null : FirstLanguage.newBuilder().setCode(code).setSource(type.text("LanguageSource")).build();
            }
        }
        issues.missing("BasicDetails/Languages/Type/Language", "BasicDetails/Languages has no first language (a Type with LanguageType F)");
        return null;
    }

    private static Address pupilAddress(XmlElement p, RecordIssues issues) {
        XmlElement element = p.child("Address");
        if (element == null) {
            issues.missing("Address", "Address is missing");
            return null;
        }
        Address address = address(element);
        if (address.getLines().isEmpty() && address.getPostcode() == null) {
            issues.missing("Address", "Address has neither a PostCode nor an address line");
            return null;
        }
        return address;
    }

    static Address address(XmlElement a) {
        List<String> lines = new ArrayList<>(3);
        XmlElement addressLines = a.child("AddressLines");
        XmlElement bs7666 = a.child("BS7666Address");
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
            addIfPresent(lines, bs7666.text("SAON"));
            String paon = bs7666.text("PAON");
            String street = bs7666.text("Street");
            addIfPresent(lines, paon == null ? street : street == null ? paon : paon + " " + street);
            addIfPresent(lines, bs7666.text("Locality"));
        }
        String town = a.text("PostTown");
        if (town == null && bs7666 != null) {
            town = bs7666.text("PostTown") != null ? bs7666.text("PostTown") : bs7666.text("Town");
        }
        String uprn = a.text("UniquePropertyReferenceNumber");
        if (uprn == null && bs7666 != null) {
            uprn = bs7666.text("UniquePropertyReferenceNumber");
        }
        return Address.newBuilder().setLines(lines).setTown(town).setPostcode(a.text("PostCode")).setUprn(uprn).build();
    }

    private static void addIfPresent(List<String> lines, String line) {
        if (line != null) {
            lines.add(line);
        }
    }

    private record CurrentSchool(School school, LocalDate entryDate) {
    }

    private static CurrentSchool currentSchool(XmlElement p, RecordIssues issues) {
        List<XmlElement> schools = new ArrayList<>(2);
        for (XmlElement history : p.children("SchoolHistory")) {
            schools.addAll(history.children("School"));
        }
        if (schools.isEmpty()) {
            issues.missing("SchoolHistory/School", "SchoolHistory/School is missing, so the pupil's school is not known");
            return null;
        }
        int current = -1;
        int currentCount = 0;
        for (int i = 0; i < schools.size(); i++) {
            if (schools.get(i).text("LeavingDate") == null) {
                current = i;
                currentCount++;
            }
        }
        if (current < 0) {
            issues.missing("SchoolHistory/School/LeavingDate", "Every SchoolHistory/School has a LeavingDate, so the pupil's current school is not known");
            return null;
        }
        String prefix = "SchoolHistory/School" + (schools.size() > 1 ? "[" + (current + 1) + "]" : "");
        if (currentCount > 1) {
            issues.add("SchoolHistory/School", "format", currentCount + " SchoolHistory/School entries have no LeavingDate; "
                    + prefix + ", the last of them, is taken as the current school");
        }
        XmlElement s = schools.get(current);
        String la = issues.required(prefix + "/LEA", s.text("LEA"));
        String estab = issues.required(prefix + "/Estab", s.text("Estab"));
        String name = issues.required(prefix + "/SchoolName", s.text("SchoolName"));
        LocalDate entryDate = issues.date(prefix + "/EntryDate", s.text("EntryDate"), false);
        var phase = CensusValues.phase(issues, prefix + "/Phase", s.text("Phase"), estab);
        if (la == null || estab == null || name == null) {
            return null;
        }
        School school = School.newBuilder().setLaNumber(la).setEstablishmentNumber(estab).setUrn(s.text("URN")).setName(name).setPhase(phase).build();
        return new CurrentSchool(school, entryDate);
    }

    private record Contact(Parent parent, List<Telephone> phones) {
    }

    private static List<Contact> contacts(XmlElement p, RecordIssues issues) {
        XmlElement element = p.child("Contacts");
        if (element == null) {
            return new ArrayList<>(0);
        }
        List<XmlElement> contacts = element.children("Contact");
        List<Contact> read = new ArrayList<>(contacts.size());
        for (int i = 0; i < contacts.size(); i++) {
            XmlElement c = contacts.get(i);
            String prefix = "Contacts/Contact[" + (i + 1) + "]";
            Integer order = issues.integer(prefix + "/Order", c.text("Order"), false);
            int contactOrder = order != null ? order : i + 1;
            String surname = need(issues, prefix + "/Surname", c.text("Surname"), "contact");
            String relationship = need(issues, prefix + "/Relationship", c.text("Relationship"), "contact");
            Boolean responsibility = needBool(issues, prefix + "/Responsibility", c.text("Responsibility"), "contact");
            Boolean asPupil = issues.bool(prefix + "/AddressAsPupil", c.text("AddressAsPupil"), false);
            List<Telephone> phones = phones(c.child("Phones"), prefix + "/Phones", contactOrder, issues);
            if (surname == null || relationship == null || responsibility == null) {
                continue;
            }
            boolean same = Boolean.TRUE.equals(asPupil);
            XmlElement contactAddress = c.child("Address");
            Parent parent = Parent.newBuilder()
                    .setOrder(contactOrder)
                    .setTitle(c.text("Title"))
                    .setForename(c.text("Forename"))
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
        List<XmlElement> list = phones.children("Phone");
        for (int i = 0; i < list.size(); i++) {
            String at = prefix + "/Phone[" + (i + 1) + "]";
            String type = need(issues, at + "/TelephoneType", list.get(i).text("TelephoneType"), "phone");
            String number = need(issues, at + "/PhoneNo", list.get(i).text("PhoneNo"), "phone");
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
        LocalDate review = issues.date("FSMhistory/FSMreviewDate", fsm.text("FSMreviewDate"), false);
        List<XmlElement> instances = fsm.children("FSMinstance");
        for (int i = 0; i < instances.size(); i++) {
            XmlElement instance = instances.get(i);
            String at = "FSMhistory/FSMinstance[" + (i + 1) + "]";
            LocalDate start = needDate(issues, at + "/FSMstartDate", instance.text("FSMstartDate"), "FSM period");
            String endText = instance.text("FSMendDate");
            LocalDate end = issues.date(at + "/FSMendDate", endText, false);
            String country = need(issues, at + "/UKcountry", instance.text("UKcountry"), "FSM period");
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
        XmlElement needsElement = history.child("SENneeds");
        List<XmlElement> needList = needsElement == null ? List.of() : needsElement.children("SENneed");
        for (int i = 0; i < needList.size(); i++) {
            String at = "SENhistory/SENneeds/SENneed[" + (i + 1) + "]";
            String type = need(issues, at + "/SENtype", needList.get(i).text("SENtype"), "SEN need");
            Integer rank = issues.integer(at + "/SENtypeRank", needList.get(i).text("SENtypeRank"), false);
            if (type != null) {
                needs.add(SenNeed.newBuilder().setType(type).setRank(rank != null ? rank : i + 1).build());
            }
        }
        List<XmlElement> sens = history.children("SEN");
        if (sens.isEmpty()) {
            if (!needList.isEmpty()) {
                issues.missing("SENhistory/SEN/SENprovision", "SENhistory lists needs but has no SEN/SENprovision");
            }
            return SpecialEducationalNeeds.newBuilder().setProvision("N").setStartDate(null).setNeeds(needs).build();
        }
        // Several SEN entries are a history: the latest StartDate is the current provision (undated ones count as earliest).
        LocalDate[] starts = new LocalDate[sens.size()];
        int chosen = 0;
        for (int i = 0; i < sens.size(); i++) {
            String at = "SENhistory/SEN" + (sens.size() > 1 ? "[" + (i + 1) + "]" : "");
            starts[i] = issues.date(at + "/StartDate", sens.get(i).text("StartDate"), false);
            if (starts[chosen] == null || starts[i] != null && !starts[i].isBefore(starts[chosen])) {
                chosen = i;
            }
        }
        String at = "SENhistory/SEN" + (sens.size() > 1 ? "[" + (chosen + 1) + "]" : "");
        String provision = issues.required(at + "/SENprovision", sens.get(chosen).text("SENprovision"));
        return provision == null ? null
                : SpecialEducationalNeeds.newBuilder().setProvision(provision).setStartDate(starts[chosen]).setNeeds(needs).build();
    }

    private static List<Exclusion> exclusions(XmlElement element, RecordIssues issues) {
        List<Exclusion> read = new ArrayList<>(0);
        if (element == null) {
            return read;
        }
        List<XmlElement> list = element.children("Exclusion");
        for (int i = 0; i < list.size(); i++) {
            XmlElement e = list.get(i);
            String at = "Exclusions/Exclusion[" + (i + 1) + "]";
            String category = need(issues, at + "/Category", e.text("Category"), "exclusion");
            String reason = need(issues, at + "/Reason", e.text("Reason"), "exclusion");
            LocalDate start = needDate(issues, at + "/StartDate", e.text("StartDate"), "exclusion");
            Integer sessions = issues.integer(at + "/Sessions", e.text("Sessions"), false);
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
        List<XmlElement> list = element.children("YearData");
        for (int i = 0; i < list.size(); i++) {
            XmlElement y = list.get(i);
            String at = "Attendance/YearData[" + (i + 1) + "]";
            Integer year = needInt(issues, at + "/Year", y.text("Year"), "attendance year");
            Integer possible = needInt(issues, at + "/SessionsPossible", y.text("SessionsPossible"), "attendance year");
            Integer authorised = needInt(issues, at + "/SessionsAuthorised", y.text("SessionsAuthorised"), "attendance year");
            Integer unauthorised = needInt(issues, at + "/SessionsUnauthorised", y.text("SessionsUnauthorised"), "attendance year");
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
        List<XmlElement> stages = element.children("KeyStage");
        for (int i = 0; i < stages.size(); i++) {
            XmlElement keyStage = stages.get(i);
            String at = "StageAssessments/KeyStage[" + (i + 1) + "]";
            String stage = need(issues, at + "/Stage", keyStage.text("Stage"), "key stage's results");
            List<AssessmentResult> target = stage == null ? null : read.of(stage);
            if (target == null) {
                continue;
            }
            List<XmlElement> results = keyStage.children("StageAssessment");
            for (int j = 0; j < results.size(); j++) {
                XmlElement r = results.get(j);
                String rat = at + "/StageAssessment[" + (j + 1) + "]";
                Integer year = needInt(issues, rat + "/Year", r.text("Year"), "assessment result");
                String subject = need(issues, rat + "/Subject", r.text("Subject"), "assessment result");
                String value = need(issues, rat + "/Result", r.text("Result"), "assessment result");
                if (year != null && subject != null && value != null) {
                    target.add(AssessmentResult.newBuilder()
                            .setYear(year)
                            .setSubject(subject)
                            .setMethod(r.text("Method"))
                            .setComponent(r.text("Component"))
                            .setResultStatus(r.text("ResultStatus"))
                            .setResultQualifier(r.text("ResultQualifier"))
                            .setValue(value)
                            .build());
                }
            }
        }
        return read;
    }

    /** A part an item cannot do without: null and a "required" issue (the item is left out, the pupil kept). */
    static String need(RecordIssues issues, String field, String value, String item) {
        if (value == null) {
            issues.add(field, "required", field + " is missing, so the " + item + " is left out");
        }
        return value;
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
