package org.pupilflow.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Enrolment;
import org.pupilflow.census.Ethnicity;
import org.pupilflow.census.FirstLanguage;
import org.pupilflow.census.FreeSchoolMeals;
import org.pupilflow.census.FsmPeriod;
import org.pupilflow.census.SenNeed;
import org.pupilflow.census.Identity;
import org.pupilflow.census.SpecialEducationalNeeds;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.identifiers.LocalAuthorityRegister;
import org.pupilflow.identifiers.UpnValidator;
import org.pupilflow.formats.read.CensusField;
import org.pupilflow.formats.read.FieldIssue;
import org.pupilflow.formats.read.FieldNames;
import org.pupilflow.formats.read.ParsedRecord;

class CensusRecordValidatorTest {

    private static final List<CensusPupil> CENSUS = new SyntheticCensus(CensusSpec.of(6_000)).stream().toList();
    private static final LocalDate TODAY = LocalDate.of(2026, 2, 1);
    private final CensusRecordValidator validator = new CensusRecordValidator(new UpnValidator(LocalAuthorityRegister.bundled()));

    @Test
    void everyGeneratedPupilPasses() {
        assertThat(CENSUS).allSatisfy(pupil -> assertThat(issues(pupil)).isEmpty());
    }

    @Test
    void aWrongUpnCheckLetterIsReportedWithTheExpectedLetter() {
        CensusPupil pupil = withIdentity(CENSUS.get(0), id -> id.setUpn(wrongLetter(id.getUpn())));

        assertThat(issues(pupil)).singleElement().satisfies(issue -> {
            assertThat(issue.field()).isEqualTo(FIELDS.of(CensusField.UPN));
            assertThat(issue.rule()).isEqualTo("check-letter-mismatch");
            assertThat(issue.location()).isEqualTo("record 7");
        });
    }

    @Test
    void aUpnFromAnUnknownLaIsReported() {
        CensusPupil pupil = withIdentity(CENSUS.get(0), id -> id.setUpn("A999" + id.getUpn().substring(4)));

        assertThat(issues(pupil)).extracting(FieldIssue::rule).contains("unknown-local-authority");
    }

    @Test
    void aFormerUpnIsCheckedToo() {
        CensusPupil pupil = withIdentity(CENSUS.get(0), id -> id.setFormerUpn("X93512342073"));

        assertThat(issues(pupil)).singleElement().satisfies(issue -> {
            assertThat(issue.field()).isEqualTo(FIELDS.of(CensusField.FORMER_UPN));
            assertThat(issue.rule()).isEqualTo("wrong-length");
        });
    }

    @Test
    void aUlnWithAWrongCheckDigitIsReported() {
        CensusPupil pupil = withIdentity(CENSUS.get(0), id -> id.setUln("1234567890"));

        assertThat(issues(pupil)).singleElement().satisfies(issue -> {
            assertThat(issue.field()).isEqualTo(FIELDS.of(CensusField.ULN));
            assertThat(issue.rule()).isEqualTo("check-digit-mismatch");
        });
    }

    @Test
    void aDateOfBirthInTheFutureIsReported() {
        CensusPupil pupil = CensusPupil.newBuilder(CENSUS.get(0)).setDateOfBirth(TODAY.plusDays(1)).build();

        assertThat(issues(pupil)).extracting(FieldIssue::rule).containsExactly("dob-future");
    }

    @Test
    void aDateOfBirthImplausibleForTheNcYearIsReportedButOneYearOutIsAllowed() {
        CensusPupil reception = CENSUS.stream().filter(p -> p.getEnrolment().getNcYearActual().equals("R")).findFirst().orElseThrow();

        assertThat(issues(CensusPupil.newBuilder(reception).setDateOfBirth(reception.getDateOfBirth().minusYears(1)).build())).isEmpty();
        assertThat(issues(CensusPupil.newBuilder(reception).setDateOfBirth(reception.getDateOfBirth().minusYears(3)).build()))
                .singleElement().satisfies(issue -> {
                    assertThat(issue.rule()).isEqualTo("dob-nc-year");
                    assertThat(issue.message()).contains("Year 3", "not Reception");
                });
    }

    @Test
    void codesOutsideTheCensusCodeListsAreReported() {
        CensusPupil base = CENSUS.get(0);

        assertThat(issues(CensusPupil.newBuilder(base).setSex("X").build())).extracting(FieldIssue::field).containsExactly(FIELDS.of(CensusField.SEX));
        assertThat(issues(withEnrolment(base, e -> e.setNcYearActual("15")))).extracting(FieldIssue::field).contains(FIELDS.of(CensusField.NC_YEAR));
        assertThat(issues(withEnrolment(base, e -> e.setEnrolmentStatus("Z")))).extracting(FieldIssue::field).containsExactly(FIELDS.of(CensusField.ENROLMENT_STATUS));
        assertThat(issues(CensusPupil.newBuilder(base).setSpecialEducationalNeeds(
                SpecialEducationalNeeds.newBuilder(base.getSpecialEducationalNeeds()).setProvision("Q").build()).build()))
                .extracting(FieldIssue::field).containsExactly(FIELDS.of(CensusField.SEN_PROVISION));
    }

    @Test
    void anEthnicityCodeNotOnTheDfeListIsReportedNamingTheFieldAndTheCodes() {
        CensusPupil base = CENSUS.get(0);

        List<FieldIssue> issues = issues(CensusPupil.newBuilder(base).setEthnicity(Ethnicity.newBuilder(base.getEthnicity()).setCode("XXXX").build()).build());

        assertThat(issues).singleElement().satisfies(issue -> {
            assertThat(issue.field()).isEqualTo(FIELDS.of(CensusField.ETHNICITY));
            assertThat(issue.rule()).isEqualTo("code-list");
            assertThat(issue.message()).contains("'XXXX'", "WBRI", "REFU", "NOBT");
        });
    }

    @Test
    void everyOtherFieldWithADfeCodeListIsCheckedAgainstIt() {
        CensusPupil base = CENSUS.stream().filter(p -> !p.getSpecialEducationalNeeds().getNeeds().isEmpty() && !p.getFreeSchoolMeals().getPeriods().isEmpty())
                .findFirst().orElseThrow();
        SpecialEducationalNeeds sen = base.getSpecialEducationalNeeds();
        List<SenNeed> needs = new java.util.ArrayList<>(sen.getNeeds());
        needs.set(0, SenNeed.newBuilder(needs.get(0)).setType("DYSL").build());
        List<FsmPeriod> periods = new java.util.ArrayList<>(base.getFreeSchoolMeals().getPeriods());
        periods.set(0, FsmPeriod.newBuilder(periods.get(0)).setUkCountry("FRA").build());

        assertThat(issues(CensusPupil.newBuilder(base).setFirstLanguage(FirstLanguage.newBuilder(base.getFirstLanguage()).setCode("KLINGON").build()).build()))
                .extracting(FieldIssue::field).containsExactly(FIELDS.of(CensusField.FIRST_LANGUAGE));
        assertThat(issues(CensusPupil.newBuilder(base).setSpecialEducationalNeeds(SpecialEducationalNeeds.newBuilder(sen).setNeeds(needs).build()).build()))
                .extracting(FieldIssue::field).containsExactly(FIELDS.of(CensusField.SEN_NEED_TYPE));
        assertThat(issues(CensusPupil.newBuilder(base).setFreeSchoolMeals(FreeSchoolMeals.newBuilder(base.getFreeSchoolMeals()).setPeriods(periods).build()).build()))
                .extracting(FieldIssue::field).containsExactly(FIELDS.of(CensusField.FSM_UK_COUNTRY));
    }

    @Test
    void anExtendedLanguageCodeIsAcceptedAsItsMainCode() {
        CensusPupil base = CENSUS.get(0);

        assertThat(issues(CensusPupil.newBuilder(base).setFirstLanguage(FirstLanguage.newBuilder(base.getFirstLanguage()).setCode("CHIC").build()).build()))
                .as("Chinese (Cantonese): CHI and a letter").isEmpty();
        assertThat(issues(CensusPupil.newBuilder(base).setFirstLanguage(FirstLanguage.newBuilder(base.getFirstLanguage()).setCode("XYZA").build()).build()))
                .as("not an extension of a DfE code").hasSize(1);
    }

    @Test
    void aUpnSeenTwiceInOneReturnIsReportedWithTheFirstLocation() {
        DuplicateUpns duplicates = new DuplicateUpns();

        assertThat(duplicates.check(record(1, "J935123420731", "line 2"))).isNull();
        assertThat(duplicates.check(record(2, "V93512342073A", "line 3"))).as("a temporary UPN").isNull();
        assertThat(duplicates.check(record(3, "not-a-upn", "line 4"))).as("a UPN of no known shape").isNull();
        assertThat(duplicates.check(record(8, "J935123420731", "line 9"))).satisfies(issue -> {
            assertThat(issue.rule()).isEqualTo("duplicate-upn");
            assertThat(issue.field()).isEqualTo(FIELDS.of(CensusField.UPN));
            assertThat(issue.location()).isEqualTo("line 9");
            assertThat(issue.message()).isEqualTo("UPN J935123420731 already appears in this return, in its record 1 (the 1st pupil of the file)");
        });
        assertThat(duplicates.check(record(9, "V93512342073A", "line 10")).message()).contains("record 2 (the 2nd pupil");
        assertThat(duplicates.check(record(10, "not-a-upn", "line 11")).message()).contains("record 3 (the 3rd pupil");
        assertThat(duplicates.check(record(11, "J935123420732", "line 12"))).as("another UPN").isNull();
    }

    /** Each value is named after the field, so an issue shows which field the validator reported. */
    private static final FieldNames FIELDS = field -> "field " + field.name();

    private static ParsedRecord record(long index, String upn, String location) {
        return new ParsedRecord(index, location, null, List.of(), upn, FIELDS, null);
    }

    private List<FieldIssue> issues(CensusPupil pupil) {
        return validator.validate(new ParsedRecord(7, "record 7", pupil, List.of(), pupil.getIdentity().getUpn(), FIELDS, null), TODAY);
    }

    private static CensusPupil withIdentity(CensusPupil pupil, UnaryOperator<Identity.Builder> edit) {
        return CensusPupil.newBuilder(pupil).setIdentity(edit.apply(Identity.newBuilder(pupil.getIdentity())).build()).build();
    }

    private static CensusPupil withEnrolment(CensusPupil pupil, UnaryOperator<Enrolment.Builder> edit) {
        return CensusPupil.newBuilder(pupil).setEnrolment(edit.apply(Enrolment.newBuilder(pupil.getEnrolment())).build()).build();
    }

    private static String wrongLetter(String upn) {
        return (upn.charAt(0) == 'A' ? 'B' : 'A') + upn.substring(1);
    }
}
