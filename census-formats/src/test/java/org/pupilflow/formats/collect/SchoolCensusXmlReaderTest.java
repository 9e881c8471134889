package org.pupilflow.formats.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pupilflow.census.AttendanceYear;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.CensusTerm;
import org.pupilflow.census.School;
import org.pupilflow.census.SchoolPhase;
import org.pupilflow.formats.Examples;
import org.pupilflow.formats.Samples;
import org.pupilflow.formats.census.CensusDayChoice;
import org.pupilflow.formats.census.CensusDays;
import org.pupilflow.formats.read.CensusFormatException;
import org.pupilflow.formats.read.FieldIssue;
import org.pupilflow.formats.read.ParsedRecord;
import org.pupilflow.formats.read.ReturnContext;

class SchoolCensusXmlReaderTest {

    private static final ReturnContext NOTHING_GIVEN = new ReturnContext("R-1", null, null, null, CensusDays.dfeRule(), LocalDate.of(2026, 2, 3));
    private static final School SCHOOL = School.newBuilder().setLaNumber("926").setEstablishmentNumber("2000").setUrn("100926")
            .setName("Norwich St Mary's CE Primary School").setPhase(SchoolPhase.PRIMARY).build();

    private static String handWritten() {
        return new String(Examples.bytes(Examples.SCHOOL_CENSUS_RETURN), StandardCharsets.UTF_8);
    }

    private static List<ParsedRecord> read(String xml, ReturnContext context) {
        return Samples.readAll(new SchoolCensusXmlReader(new ByteArrayInputStream(Samples.utf8(xml)), context));
    }

    private static CensusFormatException refused(String xml) {
        CensusFormatException e = catchThrowableOfType(CensusFormatException.class, () -> read(xml, NOTHING_GIVEN));
        assertThat(e).as("the file must be refused").isNotNull();
        return e;
    }

    @Test
    void aReturnWrittenByHandFromThePublicSpecificationLoadsWithItsPupilsOnRoll() {
        List<ParsedRecord> records = read(handWritten(), NOTHING_GIVEN);

        assertThat(records).allSatisfy(r -> assertThat(r.issues()).isEmpty());
        assertThat(records).extracting(ParsedRecord::upn).as("pupils on roll only").containsExactly("R926200121001", "F926200121002", "W888411019007");
        assertThat(records).extracting(ParsedRecord::location).containsExactly("PupilOnRoll[1] (line 36)", "PupilOnRoll[2] (line 81)", "PupilOnRoll[3] (line 129)");

        CensusPupil amelia = records.get(0).pupil();
        assertThat(amelia.getSchool()).isEqualTo(School.newBuilder().setLaNumber("926").setEstablishmentNumber("2001").setUrn(null)
                .setName("Hillside Primary School").setPhase(SchoolPhase.PRIMARY).build());
        assertThat(amelia.getNames().getMiddleNames()).isEqualTo("Rose");
        assertThat(amelia.getEnrolment().getNcYearActual()).isEqualTo("4");
        assertThat(amelia.getEnrolment().getEntryDate()).isEqualTo(LocalDate.of(2021, 9, 6));
        assertThat(amelia.getAddress().getLines()).containsExactly("12 Mill Lane", "Hingham");
        assertThat(amelia.getAddress().getTown()).isEqualTo("Norwich");
        assertThat(amelia.getAttendance()).singleElement().isEqualTo(AttendanceYear.newBuilder().setYear(2025)
                .setSessionsPossible(142).setSessionsAuthorised(6).setSessionsUnauthorised(1).build());
        assertThat(amelia.getCensus().getCensusDay()).isEqualTo(LocalDate.of(2026, 1, 15));
        assertThat(amelia.getCensus().getTerm()).isEqualTo(CensusTerm.SPRING);
        assertThat(amelia.getCensus().getLaNumber()).isEqualTo("926");
        assertThat(records.get(0).censusDay().source()).isEqualTo(CensusDayChoice.Source.FILE);
        assertThat(records.get(0).censusDay().explanation()).contains("Header/CollectionDetails/ReferenceDate");

        CensusPupil oliver = records.get(1).pupil();
        assertThat(oliver.getFreeSchoolMeals().getPeriods()).singleElement().satisfies(f -> {
            assertThat(f.getStartDate()).isEqualTo(LocalDate.of(2024, 4, 10));
            assertThat(f.getEndDate()).isNull();
            assertThat(f.getUkCountry()).isEqualTo("ENG");
        });
        assertThat(oliver.getSpecialEducationalNeeds().getProvision()).isEqualTo("K");
        assertThat(oliver.getSpecialEducationalNeeds().getNeeds()).singleElement().satisfies(n -> assertThat(n.getType()).isEqualTo("SLCN"));
        assertThat(oliver.getAddress().getUprn()).isEqualTo("100091234567");

        CensusPupil isla = records.get(2).pupil();
        assertThat(isla.getIdentity().getFormerUpn()).isEqualTo("X926200122015");
        assertThat(isla.getNames().getPreferredSurname()).isEqualTo("Khan-Smith");
        assertThat(isla.getFirstLanguage().getCode()).isEqualTo("URD");
        assertThat(isla.getAddress().getLines()).containsExactly("Flat 2", "41 Station Road", "Attleborough");
        assertThat(isla.getExclusions()).singleElement().satisfies(e -> {
            assertThat(e.getCategory()).isEqualTo("SUSP");
            assertThat(e.getReason()).as("the first of Reason1..3").isEqualTo("PP");
            assertThat(e.getSessions()).isEqualTo(2);
        });
        assertThat(isla.getParents()).isEmpty();
        assertThat(isla.getTelephones()).isEmpty();
    }

    @Test
    void everySamplePupilWrittenAsASchoolsReturnReadsBackAsTheReturnCarriesIt() {
        List<CensusPupil> pupils = Samples.pupils(300);
        byte[] xml = Samples.bytes(out -> new SchoolCensusXmlWriter(out, Samples.HEADER, SCHOOL), pupils);

        List<ParsedRecord> records = Samples.readAll(new SchoolCensusXmlReader(new ByteArrayInputStream(xml), Samples.FILE_ONLY));

        assertThat(records).hasSize(300);
        for (int i = 0; i < 300; i++) {
            assertThat(records.get(i).issues()).as("record %d", i).isEmpty();
            assertThat(records.get(i).pupil()).as("record %d", i).isEqualTo(asTheReturnCarriesIt(pupils.get(i)));
        }
    }

    /** What a pupil looks like after a trip through a school census return: census-formats/README.md. */
    static CensusPupil asTheReturnCarriesIt(CensusPupil pupil) {
        return SchoolCensusProjection.of(pupil, SCHOOL, Samples.HEADER);
    }

    @Test
    void withoutAReferenceDateTheDayIsTheRulesForTheTermAndYear() {
        String xml = handWritten().replace("<ReferenceDate>2026-01-15</ReferenceDate>", "");

        ParsedRecord record = read(xml, NOTHING_GIVEN).get(0);

        assertThat(record.issues()).isEmpty();
        assertThat(record.pupil().getCensus().getCensusDay()).isEqualTo(LocalDate.of(2026, 1, 15));
        assertThat(record.censusDay().source()).isEqualTo(CensusDayChoice.Source.RULE);
        assertThat(record.censusDay().explanation()).contains("Header/CollectionDetails/Term", "Header/CollectionDetails/Year 2026");
    }

    @Test
    void anotherCollectionIsRefused() {
        String cin = handWritten().replace("<Collection>SC</Collection>", "<Collection>CIN</Collection>");

        assertThat(refused(cin).getMessage()).isEqualTo("This COLLECT return is of the 'CIN' collection, not the school census (SC)");
    }

    @Test
    void anotherRootIsRefusedNamingIt() {
        assertThat(refused("<CTfile><Header/></CTfile>").getMessage())
                .isEqualTo("Not a school census return: the root element is <CTfile>, expected <Message>");
    }

    @Test
    void aDoctypeIsRefusedBeforeAnythingIsResolved() {
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE Message [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<Message>&x;</Message>";

        assertThat(refused(xxe).getMessage()).startsWith("DTDs are not allowed");
    }

    @Test
    void aSchoolWithoutItsNumbersGivesEveryPupilAnIssue() {
        String xml = handWritten().replace("<Estab>2001</Estab>", "");

        List<ParsedRecord> records = read(xml, NOTHING_GIVEN);

        assertThat(records).allSatisfy(r -> {
            assertThat(r.pupil()).isNull();
            assertThat(r.issues()).extracting(FieldIssue::field, FieldIssue::rule)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("SchoolInformation/Estab", "required"));
        });
    }

    @Test
    void aPupilWithoutAFirstLanguageIsReportedWhereItShouldBe() {
        String xml = handWritten().replaceFirst("<Language>ENG</Language>", "");

        ParsedRecord record = read(xml, NOTHING_GIVEN).get(0);

        assertThat(record.pupil()).isNull();
        assertThat(record.issues()).extracting(FieldIssue::field, FieldIssue::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Languages/Type/Language", "required"));
    }

    @Test
    void valuesAreNamedWhereTheyWereFound() {
        String xml = handWritten().replaceFirst("<DOB>2017-03-14</DOB>", "<DOB>14/03/2017</DOB>");

        ParsedRecord record = read(xml, NOTHING_GIVEN).get(0);

        assertThat(record.issues()).extracting(FieldIssue::field, FieldIssue::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("PupilIdentifiers/DOB", "date"));
    }
}
