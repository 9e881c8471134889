package org.pupilflow.formats.ctf;

import org.pupilflow.formats.Samples;
import org.pupilflow.formats.census.CensusDayChoice;
import org.pupilflow.formats.read.CensusFormatException;
import org.pupilflow.formats.read.FieldIssue;
import org.pupilflow.formats.read.ParsedRecord;
import org.pupilflow.formats.read.ReturnContext;
import org.pupilflow.formats.read.CensusReader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pupilflow.census.CensusContext;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.CensusTerm;
import org.pupilflow.census.Parent;
import org.pupilflow.census.SchoolPhase;
import org.pupilflow.census.Telephone;
import org.w3c.dom.Element;

class CtfXmlReaderTest {

    /** A small census whose pupils cover two contacts, FSM, SEN needs, a home phone. */
    private static final int PUPILS = 40;
    private static final List<CensusPupil> CENSUS = Samples.pupils(PUPILS);
    private static final byte[] XML = Samples.ctf(PUPILS);

    private static CtfDocument document() {
        return CtfDocument.of(XML);
    }

    private static int first(Predicate<CensusPupil> which) {
        for (int i = 0; i < CENSUS.size(); i++) {
            if (which.test(CENSUS.get(i))) {
                return i;
            }
        }
        throw new IllegalStateException("no such pupil in the fixture census");
    }

    /** Records other than {@code except} read back as generated, without issues. */
    private static void othersUnchanged(List<ParsedRecord> records, int except) {
        assertThat(records).hasSize(PUPILS);
        for (int i = 0; i < PUPILS; i++) {
            if (i != except) {
                assertThat(records.get(i).issues()).as("record %d", i).isEmpty();
                assertThat(records.get(i).pupil()).as("record %d", i).isEqualTo(CENSUS.get(i));
            }
        }
    }

    @Nested
    class CensusContextFromTheHeader {

        private final ReturnContext otherContext = new ReturnContext(Samples.RETURN_ID, CensusTerm.AUTUMN, LocalDate.of(2025, 10, 2), "330");

        @Test
        void theHeaderWinsOverTheReturnContext() {
            List<ParsedRecord> records = Samples.readCtf(XML, otherContext);

            CensusContext census = records.get(0).pupil().getCensus();
            assertThat(census.getTerm()).isEqualTo(CensusTerm.SPRING);
            assertThat(census.getCensusDay()).isEqualTo(Samples.CENSUS_DAY);
            assertThat(census.getLaNumber()).isEqualTo("926");
            othersUnchanged(records, -1);
        }

        @Test
        void theReturnContextFillsWhatTheHeaderLacks() {
            CtfDocument doc = document();
            doc.remove(doc.header(), "CollectionDetails").remove(doc.header(), "SourceSchool/LEA");

            List<ParsedRecord> records = Samples.readCtf(doc.bytes(), otherContext);

            assertThat(records).allSatisfy(r -> {
                assertThat(r.issues()).isEmpty();
                assertThat(r.pupil().getCensus()).isEqualTo(CensusContext.newBuilder()
                        .setReturnId(Samples.RETURN_ID).setTerm(CensusTerm.AUTUMN).setCensusDay(LocalDate.of(2025, 10, 2)).setLaNumber("330").build());
            });
        }

        @Test
        void aFileWithoutAHeaderTakesItsContextFromTheReturn() {
            CtfDocument doc = document();
            doc.root().removeChild(doc.header());

            List<ParsedRecord> records = Samples.readCtf(doc.bytes(), otherContext);

            assertThat(records).hasSize(PUPILS).allSatisfy(r -> assertThat(r.pupil().getCensus().getLaNumber()).isEqualTo("330"));
        }

        @Test
        void theReturnIdIsAlwaysTheOneIngestAssigned() {
            CtfDocument doc = document();
            doc.set(doc.header(), "CollectionDetails/ReturnID", "FROM-THE-FILE");
            ReturnContext context = new ReturnContext("INGEST-7", null, null, null);

            List<ParsedRecord> records = Samples.readCtf(doc.bytes(), context);

            assertThat(records).allSatisfy(r -> assertThat(r.pupil().getCensus().getReturnId()).isEqualTo("INGEST-7"));
        }

        @Test
        void withoutACensusDateTheDayIsTheDfeRulesForTheTermAndAcademicYear() {
            CtfDocument doc = document();
            doc.remove(doc.header(), "CollectionDetails/CensusDate");

            List<ParsedRecord> records = Samples.readCtf(doc.bytes(), Samples.FILE_ONLY);

            othersUnchanged(records, -1);
            assertThat(records).allSatisfy(r -> {
                assertThat(r.censusDay().source()).isEqualTo(CensusDayChoice.Source.RULE);
                assertThat(r.censusDay().censusDay()).isEqualTo(LocalDate.of(2026, 1, 15));
                assertThat(r.censusDay().explanation()).contains("third Thursday of January", "Header/CollectionDetails/Term",
                        "Header/SourceSchool/AcademicYear 2025");
            });
        }

        @Test
        void anLaKnownFromNeitherGivesEveryRecordAnIssueAndNoPupil() {
            CtfDocument doc = document();
            doc.remove(doc.header(), "SourceSchool/LEA");
            byte[] xml = doc.bytes();

            List<ParsedRecord> records = Samples.readCtf(xml, Samples.FILE_ONLY);

            assertThat(records).hasSize(PUPILS);
            for (int i = 0; i < PUPILS; i++) {
                ParsedRecord record = records.get(i);
                String location = CtfDocument.locationOfPupil(xml, i);
                assertThat(record.pupil()).isNull();
                assertThat(record.upn()).isEqualTo(CENSUS.get(i).getIdentity().getUpn());
                assertThat(record.issues()).singleElement().satisfies(issue -> {
                    assertThat(issue.location()).isEqualTo(location);
                    assertThat(issue.field()).isEqualTo("Header/SourceSchool/LEA");
                    assertThat(issue.rule()).isEqualTo("required");
                });
            }
        }

        @Test
        void withoutCensusDetailsTheTermAndYearComeFromWhenTheFileWasMadeAndOnlyTheLaIsRequired() {
            CtfDocument doc = document();
            doc.remove(doc.header(), "CollectionDetails").remove(doc.header(), "SourceSchool");

            List<ParsedRecord> records = Samples.readCtf(doc.bytes(), Samples.FILE_ONLY);

            assertThat(records.get(0).issues()).extracting(FieldIssue::field, FieldIssue::rule).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("Header/SourceSchool/LEA", "required"));
            ParsedRecord withLa = Samples.readCtf(doc.bytes(), new ReturnContext(Samples.RETURN_ID, null, null, "926")).get(0);
            assertThat(withLa.issues()).isEmpty();
            assertThat(withLa.censusDay().censusDay()).isEqualTo(LocalDate.of(2026, 1, 15));
            assertThat(withLa.censusDay().explanation()).contains("term from Header/DateTime 2026-01-15T09:00", "academic year from Header/DateTime");
        }

        @Test
        void anUnreadableHeaderValueIsReportedOnEveryRecordAndTheReturnsValueUsed() {
            CtfDocument doc = document();
            doc.set(doc.header(), "CollectionDetails/CensusDate", "2026-02-30");
            doc.set(doc.header(), "CollectionDetails/Term", "WINTER");

            List<ParsedRecord> records = Samples.readCtf(doc.bytes(), otherContext);

            assertThat(records).hasSize(PUPILS).allSatisfy(r -> {
                assertThat(r.issues()).extracting(FieldIssue::field, FieldIssue::rule, FieldIssue::message).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Header/CollectionDetails/Term", "code-list",
                                "Header/CollectionDetails/Term 'WINTER' is not one of AUTUMN, SPRING, SUMMER"),
                        org.assertj.core.groups.Tuple.tuple("Header/CollectionDetails/CensusDate", "date",
                                "Header/CollectionDetails/CensusDate '2026-02-30' is not a date (YYYY-MM-DD)"));
                assertThat(r.pupil().getCensus().getCensusDay()).isEqualTo(LocalDate.of(2025, 10, 2));
                assertThat(r.pupil().getCensus().getTerm()).isEqualTo(CensusTerm.AUTUMN);
            });
        }

        @Test
        void anUnreadableHeaderValueTheReturnCannotReplaceLeavesNoPupil() {
            CtfDocument doc = document();
            doc.set(doc.header(), "CollectionDetails/CensusDate", "16/01/2026");

            List<ParsedRecord> records = Samples.readCtf(doc.bytes(), Samples.FILE_ONLY);

            assertThat(records).allSatisfy(r -> {
                assertThat(r.pupil()).isNull();
                assertThat(r.issues()).extracting(FieldIssue::rule).containsExactly("date");
            });
        }
    }

    @Nested
    class RequiredFields {

        @ParameterizedTest(name = "without {0}")
        @CsvSource({
            "UPN, UPN",
            "Surname, Surname",
            "Forename, Forename",
            "DOB, DOB",
            "Sex, Sex",
            "BasicDetails/NCyearActual, BasicDetails/NCyearActual",
            "BasicDetails/EnrolStatus, BasicDetails/EnrolStatus",
            "BasicDetails/Ethnicity, BasicDetails/Ethnicity",
            "BasicDetails/Languages, BasicDetails/Languages/Type/Language",
            "BasicDetails/Languages/Type/Language, BasicDetails/Languages/Type/Language",
            "BasicDetails/Languages/Type/LanguageType, BasicDetails/Languages/Type/Language",
            "SchoolHistory, SchoolHistory/School",
            "SchoolHistory/School/LEA, SchoolHistory/School/LEA",
            "SchoolHistory/School/Estab, SchoolHistory/School/Estab",
            "SchoolHistory/School/SchoolName, SchoolHistory/School/SchoolName",
            "Address, Address",
        })
        void aMissingRequiredElementIsReportedAtItsPupilAndLeavesNoPupil(String removed, String field) {
            int broken = 5;
            CtfDocument doc = document();
            doc.remove(doc.pupil(broken), removed);
            byte[] xml = doc.bytes();

            List<ParsedRecord> records = Samples.readCtf(xml);

            ParsedRecord record = records.get(broken);
            assertThat(record.pupil()).isNull();
            assertThat(record.index()).isEqualTo(broken + 1);
            assertThat(record.location()).isEqualTo(CtfDocument.locationOfPupil(xml, broken)).startsWith("Pupil[6] (line ");
            assertThat(record.issues()).singleElement().satisfies(issue -> {
                assertThat(issue.location()).isEqualTo(record.location());
                assertThat(issue.field()).isEqualTo(field);
                assertThat(issue.rule()).isEqualTo("required");
                assertThat(issue.message()).contains(field.substring(0, field.indexOf('/') < 0 ? field.length() : field.indexOf('/')));
            });
            assertThat(record.upn()).isEqualTo(removed.equals("UPN") ? null : CENSUS.get(broken).getIdentity().getUpn());
            othersUnchanged(records, broken);
        }

        @Test
        void anElementWithOnlyWhitespaceCountsAsMissing() {
            CtfDocument doc = document();
            doc.set(doc.pupil(0), "Surname", "  \n ");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.pupil()).isNull();
            assertThat(record.issues()).extracting(FieldIssue::field, FieldIssue::rule)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("Surname", "required"));
        }

        @Test
        void anAddressNeedsAPostCodeOrALine() {
            CtfDocument doc = document();
            doc.remove(doc.pupil(0), "Address/AddressLines").remove(doc.pupil(0), "Address/PostCode");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.pupil()).isNull();
            assertThat(record.issues()).singleElement().satisfies(issue -> {
                assertThat(issue.field()).isEqualTo("Address");
                assertThat(issue.rule()).isEqualTo("required");
                assertThat(issue.message()).isEqualTo("Address has neither a PostCode nor an address line");
            });
        }

        @Test
        void anAddressWithAPostCodeAloneIsEnough() {
            CtfDocument doc = document();
            doc.remove(doc.pupil(0), "Address/AddressLines");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.issues()).isEmpty();
            assertThat(record.pupil().getAddress().getLines()).isEmpty();
            assertThat(record.pupil().getAddress().getPostcode()).isEqualTo(CENSUS.get(0).getAddress().getPostcode());
        }

        @Test
        void everyMissingRequiredFieldOfOnePupilIsReported() {
            CtfDocument doc = document();
            Element pupil = doc.pupil(0);
            doc.remove(pupil, "UPN").remove(pupil, "DOB").remove(pupil, "BasicDetails/NCyearActual");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.issues()).extracting(FieldIssue::field).containsExactly("UPN", "DOB", "BasicDetails/NCyearActual");
            assertThat(record.upn()).isNull();
        }
    }

    @Nested
    class UnreadableValues {

        @Test
        void anImpossibleDateOfBirthNamesTheValue() {
            CtfDocument doc = document();
            doc.set(doc.pupil(3), "DOB", "2013-02-30");
            byte[] xml = doc.bytes();

            List<ParsedRecord> records = Samples.readCtf(xml);

            ParsedRecord record = records.get(3);
            assertThat(record.pupil()).isNull();
            assertThat(record.upn()).isEqualTo(CENSUS.get(3).getIdentity().getUpn());
            assertThat(record.issues()).containsExactly(new FieldIssue(CtfDocument.locationOfPupil(xml, 3), "DOB", "date",
                    "DOB '2013-02-30' is not a date (YYYY-MM-DD)"));
            othersUnchanged(records, 3);
        }

        @Test
        void aDateInAnotherFormatIsNotGuessed() {
            CtfDocument doc = document();
            doc.set(doc.pupil(0), "DOB", "05/12/2020");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.pupil()).isNull();
            assertThat(record.issues()).extracting(FieldIssue::message).containsExactly("DOB '05/12/2020' is not a date (YYYY-MM-DD)");
        }

        @Test
        void anUnreadableOptionalDateIsLeftOutAndReported() {
            CtfDocument doc = document();
            doc.set(doc.pupil(0), "BasicDetails/EntryDate", "1st September");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.pupil()).isNotNull();
            assertThat(record.pupil().getEnrolment().getEntryDate()).isNull();
            assertThat(record.issues()).extracting(FieldIssue::field, FieldIssue::rule)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("BasicDetails/EntryDate", "date"));
        }

        @Test
        void anUnreadableNumberLeavesItsItemOutAndIsReported() {
            CtfDocument doc = document();
            doc.set(doc.pupil(0), "Attendance/YearData/SessionsPossible", "lots");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.pupil()).isNotNull();
            assertThat(record.pupil().getAttendance()).isEmpty();
            assertThat(record.issues()).containsExactly(new FieldIssue(record.location(), "Attendance/YearData[1]/SessionsPossible", "integer",
                    "Attendance/YearData[1]/SessionsPossible 'lots' is not a whole number"));
        }

        @Test
        void anUnreadableFlagIsReportedAndTakenAsAbsent() {
            CtfDocument doc = document();
            doc.set(doc.pupil(0), "LookedAfter/InCare", "yes");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.pupil().getLookedAfter().getInCare()).isFalse();
            assertThat(record.issues()).containsExactly(new FieldIssue(record.location(), "LookedAfter/InCare", "boolean",
                    "LookedAfter/InCare 'yes' is not true or false"));
        }

        @Test
        void xmlSchemaBooleansAreRead() {
            CtfDocument doc = document();
            doc.set(doc.pupil(0), "LookedAfter/InCare", "1");
            doc.set(doc.pupil(0), "BasicDetails/ChildInNeed", "TRUE");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.issues()).isEmpty();
            assertThat(record.pupil().getLookedAfter().getInCare()).isTrue();
            assertThat(record.pupil().getChildInNeed()).isTrue();
        }

        @Test
        void aContactWithoutASurnameIsLeftOutWithItsPhoneAndReported() {
            int index = first(p -> p.getParents().size() == 2);
            CtfDocument doc = document();
            Element contact = CtfDocument.children(CtfDocument.element(doc.pupil(index), "Contacts"), "Contact").get(1);
            doc.remove(contact, "Surname");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(index);

            assertThat(record.issues()).containsExactly(new FieldIssue(record.location(), "Contacts/Contact[2]/Surname", "required",
                    "Contacts/Contact[2]/Surname is missing, so the contact is left out"));
            assertThat(record.pupil().getParents()).extracting(Parent::getOrder).containsExactly(1);
            assertThat(record.pupil().getTelephones()).extracting(Telephone::getContactOrder).doesNotContain(2);
        }

        @Test
        void aContactWithAnUnreadableResponsibilityIsLeftOut() {
            CtfDocument doc = document();
            Element contact = CtfDocument.element(doc.pupil(0), "Contacts/Contact");
            doc.set(contact, "Responsibility", "maybe");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.issues()).extracting(FieldIssue::field, FieldIssue::rule)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("Contacts/Contact[1]/Responsibility", "boolean"));
            assertThat(record.pupil().getParents()).extracting(Parent::getOrder).doesNotContain(1);
        }

        @Test
        void anFsmPeriodWithAnUnreadableEndIsLeftOutNotTurnedIntoAnOpenOne() {
            CtfDocument doc = document();
            Element instance = doc.append(CtfDocument.element(doc.pupil(0), "FSMhistory"), "FSMinstance");
            doc.append(instance, "FSMstartDate", "2024-09-01");
            doc.append(instance, "FSMendDate", "2025-07-32");
            doc.append(instance, "UKcountry", "ENG");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.pupil().getFreeSchoolMeals().getPeriods()).isEqualTo(CENSUS.get(0).getFreeSchoolMeals().getPeriods());
            assertThat(record.issues()).extracting(FieldIssue::field, FieldIssue::rule).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("FSMhistory/FSMinstance[" + (CENSUS.get(0).getFreeSchoolMeals().getPeriods().size() + 1) + "]/FSMendDate", "date"));
        }

        @Test
        void aLongBadValueIsCutShortInTheMessage() {
            CtfDocument doc = document();
            doc.set(doc.pupil(0), "DOB", "9".repeat(500));

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.issues()).singleElement().satisfies(issue -> assertThat(issue.message()).hasSizeLessThan(120).contains("..."));
        }
    }

    @Nested
    class Structure {

        @Test
        void theOrderOfElementsInsideAPupilDoesNotMatter() {
            CtfDocument doc = document();
            for (Element pupil : doc.pupils()) {
                doc.reverseRecords(pupil);
            }
            byte[] xml = doc.bytes();
            assertThat(new String(xml, java.nio.charset.StandardCharsets.UTF_8)).as("the test rearranged something").doesNotContain("<Pupil><UPN>");

            othersUnchanged(Samples.readCtf(xml), -1);
        }

        @Test
        void contactsAreOrderedByTheirOrderNotTheirPlaceInTheFile() {
            int index = first(p -> p.getParents().size() == 2);
            CtfDocument doc = document();
            Element second = CtfDocument.children(CtfDocument.element(doc.pupil(index), "Contacts"), "Contact").get(1);
            doc.moveFirst(second);
            // The pupil's own phones after the contacts, too.
            Element phones = CtfDocument.element(doc.pupil(index), "Phones");
            if (phones != null) {
                doc.pupil(index).appendChild(phones);
            }

            assertThat(Samples.readCtf(doc.bytes()).get(index).pupil()).isEqualTo(CENSUS.get(index));
        }

        @Test
        void elementsPupilFlowDoesNotModelAreSkippedWherever() {
            CtfDocument doc = document();
            Element pupil = doc.pupil(0);
            doc.append(doc.append(pupil, "NAWdetails"), "SpeakWelsh", "N");
            doc.append(pupil, "UniqueCandidateIdentifier", "X12345678901");
            doc.append(CtfDocument.element(pupil, "BasicDetails"), "MedicalFlag", "false");
            doc.append(CtfDocument.element(pupil, "Contacts/Contact"), "Email", "someone@example.org");
            doc.append(CtfDocument.element(pupil, "Attendance/YearData"), "AttendanceMarks", "////\\\\##");
            Element keyStage = doc.append(CtfDocument.element(pupil, "StageAssessments") != null
                    ? CtfDocument.element(pupil, "StageAssessments") : doc.append(pupil, "StageAssessments"), "KeyStage");
            doc.append(keyStage, "Stage", "KS4");
            doc.append(doc.append(keyStage, "StageAssessment"), "Result", "9");
            // Elements PupilFlow does not read outside pupils, including one holding a Pupil.
            Element extra = doc.append(doc.root(), "Extension");
            doc.append(doc.append(extra, "Pupil"), "UPN", "A000000000000");
            doc.root().insertBefore(doc.append(doc.root(), "Signature"), doc.pupilData());
            doc.pupilData().insertBefore(doc.append(doc.pupilData(), "Summary"), doc.pupil(0));
            doc.pupilData().insertBefore(doc.root().getOwnerDocument().createComment(" a comment "), doc.pupil(1));
            doc.pupilData().insertBefore(doc.root().getOwnerDocument().createProcessingInstruction("mis", "export=1"), doc.pupil(2));

            othersUnchanged(Samples.readCtf(doc.bytes()), -1);
        }

        @Test
        void aNamespaceOnTheDocumentIsIgnored() {
            String xml = new String(XML, java.nio.charset.StandardCharsets.UTF_8).replace("<CTfile>", "<CTfile xmlns=\"http://www.example.org/ctf\">");

            othersUnchanged(Samples.readCtf(Samples.utf8(xml)), -1);
        }

        @ParameterizedTest(name = "estab {0} is {1}")
        @CsvSource({"1001, NURSERY", "1999, NURSERY", "2000, PRIMARY", "3999, PRIMARY", "4000, SECONDARY", "5999, SECONDARY",
            "6001, OTHER", "7000, SPECIAL", "7999, SPECIAL", "8000, OTHER", "0999, OTHER", "LLLL, OTHER", "123, OTHER"})
        void withoutAPhaseTheSchoolsPhaseComesFromItsEstablishmentNumber(String estab, SchoolPhase phase) {
            CtfDocument doc = document();
            doc.remove(doc.pupil(0), "SchoolHistory/School/Phase");
            doc.set(doc.pupil(0), "SchoolHistory/School/Estab", estab);

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.issues()).isEmpty();
            assertThat(record.pupil().getSchool().getPhase()).isEqualTo(phase);
            assertThat(record.pupil().getSchool().getEstablishmentNumber()).isEqualTo(estab);
        }

        @Test
        void aPhaseInTheFileWinsOverTheEstablishmentNumber() {
            CtfDocument doc = document();
            doc.set(doc.pupil(0), "SchoolHistory/School/Phase", "special");

            assertThat(Samples.readCtf(doc.bytes()).get(0).pupil().getSchool().getPhase()).isEqualTo(SchoolPhase.SPECIAL);
        }

        @Test
        void anUnknownPhaseIsReportedAndTheDerivedOneUsed() {
            CtfDocument doc = document();
            doc.set(doc.pupil(0), "SchoolHistory/School/Phase", "Infant");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.pupil().getSchool().getPhase()).isEqualTo(SchoolPhase.PRIMARY);
            assertThat(record.issues()).extracting(FieldIssue::field, FieldIssue::rule)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("SchoolHistory/School/Phase", "code-list"));
        }

        @Test
        void theCurrentSchoolIsTheOneWithoutALeavingDate() {
            CtfDocument doc = document();
            Element history = CtfDocument.element(doc.pupil(0), "SchoolHistory");
            Element before = doc.append(history, "School");
            doc.append(before, "LEA", "330");
            doc.append(before, "Estab", "2100");
            doc.append(before, "SchoolName", "Earlier Infant School");
            doc.append(before, "LeavingDate", "2025-07-18");
            doc.moveFirst(before);
            Element after = (Element) before.cloneNode(true);
            history.appendChild(after);

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.issues()).isEmpty();
            assertThat(record.pupil()).isEqualTo(CENSUS.get(0));
        }

        @Test
        void aSchoolHistoryWithNoCurrentSchoolLeavesNoPupil() {
            CtfDocument doc = document();
            doc.set(doc.pupil(0), "SchoolHistory/School/LeavingDate", "2025-12-19");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.pupil()).isNull();
            assertThat(record.issues()).extracting(FieldIssue::field, FieldIssue::rule)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("SchoolHistory/School/LeavingDate", "required"));
        }

        @Test
        void twoCurrentSchoolsAreReportedAndTheLastTaken() {
            CtfDocument doc = document();
            Element history = CtfDocument.element(doc.pupil(0), "SchoolHistory");
            Element other = doc.append(history, "School");
            doc.append(other, "LEA", "330");
            doc.append(other, "Estab", "4100");
            doc.append(other, "SchoolName", "Dual Registration Academy");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.pupil().getSchool().getName()).isEqualTo("Dual Registration Academy");
            assertThat(record.pupil().getSchool().getPhase()).isEqualTo(SchoolPhase.SECONDARY);
            assertThat(record.issues()).extracting(FieldIssue::field, FieldIssue::rule)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("SchoolHistory/School", "format"));
        }

        @Test
        void theEntryDateFallsBackToTheCurrentSchoolsEntryDate() {
            CtfDocument doc = document();
            doc.remove(doc.pupil(0), "BasicDetails/EntryDate");
            doc.set(doc.pupil(0), "SchoolHistory/School/EntryDate", "2025-09-03");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.issues()).isEmpty();
            assertThat(record.pupil().getEnrolment().getEntryDate()).isEqualTo(LocalDate.of(2025, 9, 3));
        }

        @Test
        void absentOptionalPartsTakeTheDefaultsTheWriterImplies() {
            CtfDocument doc = document();
            Element pupil = doc.pupil(0);
            for (String optional : List.of("UniqueLearnerNumber", "LookedAfter", "FSMhistory", "SENhistory", "Exclusions", "Phones", "Contacts",
                    "Attendance", "StageAssessments", "BasicDetails/ChildInNeed", "BasicDetails/EntryDate", "BasicDetails/EthnicitySource",
                    "BasicDetails/MiddleNames", "SchoolHistory/School/URN", "Address/PostTown", "Address/UniquePropertyReferenceNumber")) {
                if (CtfDocument.element(pupil, optional) != null) {
                    doc.remove(pupil, optional);
                }
            }

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.issues()).isEmpty();
            CensusPupil p = record.pupil();
            assertThat(p.getIdentity().getUln()).isNull();
            assertThat(p.getLookedAfter().getInCare()).isFalse();
            assertThat(p.getLookedAfter().getCareAuthority()).isNull();
            assertThat(p.getChildInNeed()).isFalse();
            assertThat(p.getFreeSchoolMeals().getPeriods()).isEmpty();
            assertThat(p.getFreeSchoolMeals().getReviewDate()).isNull();
            assertThat(p.getSpecialEducationalNeeds().getProvision()).isEqualTo("N");
            assertThat(p.getSpecialEducationalNeeds().getNeeds()).isEmpty();
            assertThat(p.getSpecialEducationalNeeds().getStartDate()).isNull();
            assertThat(p.getExclusions()).isEmpty();
            assertThat(p.getTelephones()).isEmpty();
            assertThat(p.getParents()).isEmpty();
            assertThat(p.getAttendance()).isEmpty();
            assertThat(p.getEarlyYearsFoundationStage()).isEmpty();
            assertThat(p.getEnrolment().getEntryDate()).isNull();
            assertThat(p.getEthnicity().getSource()).isNull();
            assertThat(p.getNames().getMiddleNames()).isNull();
            assertThat(p.getSchool().getUrn()).isNull();
            assertThat(p.getAddress().getTown()).isNull();
            assertThat(p.getAddress().getUprn()).isNull();
        }

        @Test
        void senNeedsWithoutAProvisionLeaveNoPupil() {
            int index = first(p -> !p.getSpecialEducationalNeeds().getNeeds().isEmpty());
            CtfDocument doc = document();
            doc.remove(doc.pupil(index), "SENhistory/SEN");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(index);

            assertThat(record.pupil()).isNull();
            assertThat(record.issues()).extracting(FieldIssue::field, FieldIssue::rule)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("SENhistory/SEN/SENprovision", "required"));
        }

        @Test
        void ofSeveralSenEntriesTheLatestIsTheCurrentProvision() {
            CtfDocument doc = document();
            Element history = CtfDocument.element(doc.pupil(0), "SENhistory");
            Element earlier = doc.append(history, "SEN");
            doc.append(earlier, "StartDate", "2024-01-08");
            doc.append(earlier, "SENprovision", "K");
            Element later = doc.append(history, "SEN");
            doc.append(later, "StartDate", "2025-11-03");
            doc.append(later, "SENprovision", "E");
            doc.moveFirst(later);

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.issues()).isEmpty();
            assertThat(record.pupil().getSpecialEducationalNeeds().getProvision()).isEqualTo("E");
            assertThat(record.pupil().getSpecialEducationalNeeds().getStartDate()).isEqualTo(LocalDate.of(2025, 11, 3));
        }

        @Test
        void theOlderGenderElementStandsInForSex() {
            CtfDocument doc = document();
            String sex = CtfDocument.element(doc.pupil(0), "Sex").getTextContent();
            doc.remove(doc.pupil(0), "Sex");
            doc.append(doc.pupil(0), "Gender", sex);

            assertThat(Samples.readCtf(doc.bytes()).get(0).pupil()).isEqualTo(CENSUS.get(0));
        }

        @Test
        void aBs7666AddressIsFlattenedToLines() {
            CtfDocument doc = document();
            Element address = CtfDocument.element(doc.pupil(0), "Address");
            doc.remove(address, "AddressLines");
            doc.remove(address, "PostTown");
            doc.remove(address, "UniquePropertyReferenceNumber");
            Element bs7666 = doc.append(address, "BS7666Address");
            doc.append(bs7666, "SAON", "Flat 2");
            doc.append(bs7666, "PAON", "14");
            doc.append(bs7666, "Street", "High Street");
            doc.append(bs7666, "Locality", "Old Catton");
            doc.append(bs7666, "Town", "Norwich");
            doc.append(bs7666, "UniquePropertyReferenceNumber", "100090000001");

            ParsedRecord record = Samples.readCtf(doc.bytes()).get(0);

            assertThat(record.issues()).isEmpty();
            assertThat(record.pupil().getAddress().getLines()).containsExactly("Flat 2", "14 High Street", "Old Catton");
            assertThat(record.pupil().getAddress().getTown()).isEqualTo("Norwich");
            assertThat(record.pupil().getAddress().getUprn()).isEqualTo("100090000001");
            assertThat(record.pupil().getAddress().getPostcode()).isEqualTo(CENSUS.get(0).getAddress().getPostcode());
        }

        @Test
        void predefinedEntitiesAndCharacterReferencesAreText() {
            CtfDocument doc = document();
            doc.set(doc.pupil(0), "Surname", "O'Brien & <Sons>");
            String xml = new String(doc.bytes(), java.nio.charset.StandardCharsets.UTF_8).replaceFirst("<Forename>[^<]*</Forename>", "<Forename>Ren&#233;e</Forename>");

            ParsedRecord record = Samples.readCtf(Samples.utf8(xml)).get(0);

            assertThat(record.issues()).isEmpty();
            assertThat(record.pupil().getNames().getLegalSurname()).isEqualTo("O'Brien & <Sons>");
            assertThat(record.pupil().getNames().getLegalForename()).isEqualTo("Renée");
        }

        @Test
        void aReturnWithNoPupilsHasNoRecords() {
            byte[] xml = Samples.ctf(List.of());

            try (CtfXmlReader reader = new CtfXmlReader(new java.io.ByteArrayInputStream(xml), Samples.FILE_ONLY)) {
                assertThat(reader.next()).isNull();
                assertThat(reader.next()).isNull();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
