package org.pupilflow.formats.ctf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.CensusTerm;
import org.pupilflow.census.SchoolPhase;
import org.pupilflow.formats.Examples;
import org.pupilflow.formats.Samples;
import org.pupilflow.formats.census.CensusDayChoice;
import org.pupilflow.formats.census.CensusDays;
import org.pupilflow.formats.read.ParsedRecord;
import org.pupilflow.formats.read.ReturnContext;

/**
 * A CTF 25.0 written by hand as a school's MIS sends it ({@code school-mis-ctf-25.xml}): the school
 * only in {@code Header/SourceSchool}, no census date, nothing PupilFlow adds. It loads without
 * any upload parameter, its census day is the DfE rule's, and a configured override wins.
 */
class CtfAsSchoolsSendItTest {

    private static final LocalDate RECEIVED = LocalDate.of(2026, 2, 3);
    private static final ReturnContext NOTHING_GIVEN = new ReturnContext("R-1", null, null, null, CensusDays.dfeRule(), RECEIVED);

    private static byte[] sample() {
        return Examples.bytes(Examples.SCHOOL_MIS_CTF);
    }

    @Test
    void itLoadsWithTheExpectedPupilsAtTheSendingSchool() {
        List<ParsedRecord> records = Samples.readCtf(sample(), NOTHING_GIVEN);

        assertThat(records).allSatisfy(r -> assertThat(r.issues()).isEmpty());
        assertThat(records).extracting(ParsedRecord::upn).containsExactly("H926200119031", "P888411018112");
        CensusPupil evie = records.get(0).pupil();
        assertThat(evie.getSchool().getLaNumber()).isEqualTo("926");
        assertThat(evie.getSchool().getEstablishmentNumber()).isEqualTo("2001");
        assertThat(evie.getSchool().getUrn()).isEqualTo("121001");
        assertThat(evie.getSchool().getName()).isEqualTo("Hillside Primary School");
        assertThat(evie.getSchool().getPhase()).isEqualTo(SchoolPhase.PRIMARY);
        assertThat(evie.getAddress().getLines()).containsExactly("7 Orchard Way");
        assertThat(evie.getAddress().getTown()).isEqualTo("Wymondham");
        assertThat(evie.getParents()).singleElement().satisfies(p -> assertThat(p.getAddressSameAsPupil()).isTrue());
        assertThat(evie.getTelephones()).singleElement().satisfies(t -> assertThat(t.getContactOrder()).isEqualTo(1));
        assertThat(evie.getFreeSchoolMeals().getPeriods()).singleElement().satisfies(f -> assertThat(f.getEndDate()).isNull());
        CensusPupil arjun = records.get(1).pupil();
        assertThat(arjun.getSpecialEducationalNeeds().getProvision()).isEqualTo("K");
        assertThat(arjun.getFirstLanguage().getCode()).isEqualTo("GUJ");
        assertThat(arjun.getCensus().getLaNumber()).as("the LA of the return, from SourceSchool").isEqualTo("926");
    }

    @Test
    void withoutACensusDateTheDayIsTheDfeRulesForTheTermTheFileWasMadeInAndItsAcademicYear() {
        List<ParsedRecord> records = Samples.readCtf(sample(), NOTHING_GIVEN);

        assertThat(records).allSatisfy(r -> {
            assertThat(r.pupil().getCensus().getTerm()).isEqualTo(CensusTerm.SPRING);
            assertThat(r.pupil().getCensus().getCensusDay()).as("third Thursday of January 2026").isEqualTo(LocalDate.of(2026, 1, 15));
            assertThat(r.censusDay().source()).isEqualTo(CensusDayChoice.Source.RULE);
            assertThat(r.censusDay().explanation()).isEqualTo("the DfE rule for the spring census of 2025/26, the third Thursday of January"
                    + " (term from Header/DateTime 2026-01-20T10:30:00, academic year from Header/SourceSchool/AcademicYear 2025)");
        });
    }

    @Test
    void aConfiguredOverrideForThatYearWins() {
        CensusDays moved = CensusDays.withOverrides(Map.of(2025, Map.of(CensusTerm.SPRING, LocalDate.of(2026, 1, 22))));
        ReturnContext context = new ReturnContext("R-1", null, null, null, moved, RECEIVED);

        List<ParsedRecord> records = Samples.readCtf(sample(), context);

        assertThat(records).allSatisfy(r -> {
            assertThat(r.issues()).isEmpty();
            assertThat(r.pupil().getCensus().getCensusDay()).isEqualTo(LocalDate.of(2026, 1, 22));
            assertThat(r.censusDay().source()).isEqualTo(CensusDayChoice.Source.CONFIGURED);
            assertThat(r.censusDay().explanation()).contains("instead of the DfE rule's 2026-01-15");
        });
    }

    @Test
    void anOverrideForAnotherYearDoesNotApply() {
        CensusDays moved = CensusDays.withOverrides(Map.of(2024, Map.of(CensusTerm.SPRING, LocalDate.of(2025, 1, 23))));

        List<ParsedRecord> records = Samples.readCtf(sample(), new ReturnContext("R-1", null, null, null, moved, RECEIVED));

        assertThat(records.get(0).censusDay().source()).isEqualTo(CensusDayChoice.Source.RULE);
        assertThat(records.get(0).pupil().getCensus().getCensusDay()).isEqualTo(LocalDate.of(2026, 1, 15));
    }

    @Test
    void theUploadsCensusDayAndTermOverrideTheRule() {
        ReturnContext given = new ReturnContext("R-1", CensusTerm.SUMMER, LocalDate.of(2026, 5, 21), null, CensusDays.dfeRule(), RECEIVED);

        ParsedRecord record = Samples.readCtf(sample(), given).get(0);

        assertThat(record.pupil().getCensus().getTerm()).isEqualTo(CensusTerm.SUMMER);
        assertThat(record.pupil().getCensus().getCensusDay()).isEqualTo(LocalDate.of(2026, 5, 21));
        assertThat(record.censusDay().source()).isEqualTo(CensusDayChoice.Source.REQUEST);
    }

    @Test
    void anLaSendingTheCtfIsNotThePupilsSchool() {
        String fromTheLa = new String(sample(), java.nio.charset.StandardCharsets.UTF_8)
                .replace("<Estab>2001</Estab>", "<Estab>LLLL</Estab>");

        ParsedRecord record = Samples.readCtf(Samples.utf8(fromTheLa), NOTHING_GIVEN).get(0);

        assertThat(record.pupil()).isNull();
        assertThat(record.issues()).singleElement().satisfies(issue -> {
            assertThat(issue.field()).isEqualTo("SchoolHistory/School");
            assertThat(issue.rule()).isEqualTo("required");
            assertThat(issue.message()).contains("sent by an LA");
        });
    }
}
