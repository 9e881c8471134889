package org.pupilflow.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.fixtures.census.SyntheticCensus;

/**
 * The main correctness check: every pupil of a generated census, written by the fixtures'
 * writers, reads back equal field by field. The context gives only the return id, so the
 * census context comes from the file.
 */
class RoundTripTest {

    private static final int PUPILS = 3_000;

    private static byte[] ctf;
    private static String csv;

    @BeforeAll
    static void writeCensus() {
        ctf = Fixtures.ctf(PUPILS);
        csv = Fixtures.csv(PUPILS);
    }

    @Test
    void everyPupilOfAGeneratedCensusReadsBackFromCtfUnchanged() throws Exception {
        Iterator<CensusPupil> originals = census();
        long count = 0;
        try (CtfXmlReader reader = new CtfXmlReader(new ByteArrayInputStream(ctf), Fixtures.FILE_ONLY)) {
            for (ParsedRecord record = reader.next(); record != null; record = reader.next()) {
                CensusPupil original = originals.next();
                count++;
                assertThat(record.issues()).as("record %d", count).isEmpty();
                assertThat(record.pupil()).as("record %d", count).isEqualTo(original);
                assertThat(record.upn()).isEqualTo(original.getIdentity().getUpn());
                assertThat(record.index()).isEqualTo(count);
                assertThat(record.location()).startsWith("Pupil[" + count + "] (line ");
            }
            assertThat(reader.next()).as("after the end").isNull();
        }
        assertThat(count).isEqualTo(PUPILS);
    }

    @Test
    void everyPupilOfAGeneratedCensusReadsBackFromCsvUnchangedExceptWhatTheCsvCannotCarry() throws Exception {
        Iterator<CensusPupil> originals = census();
        long count = 0;
        try (CensusCsvReader reader = new CensusCsvReader(new StringReader(csv), Fixtures.FILE_ONLY)) {
            for (ParsedRecord record = reader.next(); record != null; record = reader.next()) {
                CensusPupil original = Fixtures.asCsvCarriesIt(originals.next());
                count++;
                assertThat(record.issues()).as("record %d", count).isEmpty();
                assertThat(record.pupil()).as("record %d", count).isEqualTo(original);
                assertThat(record.upn()).isEqualTo(original.getIdentity().getUpn());
                assertThat(record.index()).isEqualTo(count);
                assertThat(record.location()).as("one line per row after the header").isEqualTo("line " + (count + 1));
            }
            assertThat(reader.next()).as("after the end").isNull();
        }
        assertThat(count).isEqualTo(PUPILS);
    }

    @Test
    void theCensusRoundTrippedExercisesEveryPartOfTheRecord() {
        List<CensusPupil> pupils = Fixtures.pupils(PUPILS);
        List<Predicate<CensusPupil>> parts = List.of(
                p -> p.getIdentity().getUln() != null,
                p -> p.getIdentity().getFormerUpn() != null,
                p -> p.getIdentity().getUpn().matches(".*[A-Z]$"),
                p -> p.getNames().getMiddleNames() != null,
                p -> p.getNames().getPreferredForename() != null,
                p -> p.getNames().getPreferredSurname() != null,
                p -> p.getNames().getFormerSurname() != null,
                p -> p.getDateOfBirth().getMonthValue() == 2 && p.getDateOfBirth().getDayOfMonth() == 29,
                p -> p.getAddress().getLines().size() > 1,
                p -> p.getAddress().getUprn() == null,
                p -> p.getParents().size() == 2,
                p -> p.getParents().stream().anyMatch(parent -> parent.getAddress() != null),
                p -> p.getParents().stream().anyMatch(parent -> !parent.getParentalResponsibility()),
                p -> p.getTelephones().stream().noneMatch(t -> t.getContactOrder() == null),
                p -> !p.getFreeSchoolMeals().getPeriods().isEmpty(),
                p -> p.getFreeSchoolMeals().getPeriods().stream().anyMatch(f -> f.getEndDate() != null),
                p -> p.getSpecialEducationalNeeds().getNeeds().size() == 2,
                p -> p.getSpecialEducationalNeeds().getProvision().equals("E"),
                p -> !p.getExclusions().isEmpty(),
                p -> !p.getEarlyYearsFoundationStage().isEmpty(),
                p -> !p.getPhonics().isEmpty(),
                p -> !p.getKeyStage1().isEmpty(),
                p -> !p.getKeyStage2().isEmpty(),
                p -> p.getLookedAfter().getInCare(),
                p -> p.getChildInNeed(),
                p -> p.getEnrolment().getEnrolmentStatus().equals("M"),
                p -> p.getSchool().getPhase() == org.pupilflow.census.SchoolPhase.SECONDARY,
                p -> p.getEthnicity().getSource().equals("C"));
        for (int i = 0; i < parts.size(); i++) {
            assertThat(pupils).as("part %d occurs in the census", i).anyMatch(parts.get(i));
        }
    }

    private static Iterator<CensusPupil> census() {
        return new SyntheticCensus(Fixtures.spec(PUPILS)).iterator();
    }
}
