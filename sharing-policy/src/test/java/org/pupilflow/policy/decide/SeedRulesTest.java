package org.pupilflow.policy.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pupilflow.policy.decide.EngineFixtures.CENSUS_DAY;
import static org.pupilflow.policy.decide.EngineFixtures.CENSUS_FIELDS;
import static org.pupilflow.policy.decide.EngineFixtures.DECIDED_AT;
import static org.pupilflow.policy.decide.EngineFixtures.DECISION_DATE;
import static org.pupilflow.policy.decide.EngineFixtures.at;
import static org.pupilflow.policy.decide.EngineFixtures.bornOn;
import static org.pupilflow.policy.decide.EngineFixtures.decision;
import static org.pupilflow.policy.decide.EngineFixtures.engine;
import static org.pupilflow.policy.decide.EngineFixtures.find;
import static org.pupilflow.policy.decide.EngineFixtures.first;
import static org.pupilflow.policy.decide.EngineFixtures.ids;
import static org.pupilflow.policy.decide.EngineFixtures.norfolk;
import static org.pupilflow.policy.decide.EngineFixtures.norfolkBytes;
import static org.pupilflow.policy.decide.EngineFixtures.objection;
import static org.pupilflow.policy.decide.EngineFixtures.policy;
import static org.pupilflow.policy.decide.EngineFixtures.primary;
import static org.pupilflow.policy.decide.EngineFixtures.sample;
import static org.pupilflow.policy.decide.EngineFixtures.secondary;
import static org.pupilflow.policy.decide.EngineFixtures.upn;
import static org.pupilflow.policy.decide.EngineFixtures.withCensusDay;
import static org.pupilflow.policy.decide.EngineFixtures.withdrawnOn;
import static org.pupilflow.sharing.DisclosureOutcome.DISCLOSED;
import static org.pupilflow.sharing.DisclosureOutcome.RESTRICTED;
import static org.pupilflow.sharing.DisclosureOutcome.WITHHELD;

import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.CensusTerm;
import org.pupilflow.census.Objection;
import org.pupilflow.census.ObjectionRaisedBy;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * The rules of the seed privacy notices (Norfolk, Lancashire, the 2011 electoral pilot) as the
 * engine applies them, each tested on both sides of its boundary. Norfolk's shipped policy is the
 * policy under test; rules Norfolk does not have come from small YAML policies written here.
 */
class SeedRulesTest {

    private static final SharingPolicy NORFOLK = norfolk();
    private static final SharingEngine ENGINE = engine(NORFOLK);

    private static final List<String> NAME_DOB_ADDRESS = List.of("names", "dateOfBirth", "address");

    // ---------------------------------------------------------------- youth support: who is in the cohort

    @Test
    void secondaryPupilWhoseThirteenthBirthdayIsCensusDayIsInTheYouthSupportCohort() {
        // Norfolk: "Once a pupil is aged 13 or over" -- age on census day, so a birthday on census day counts.
        CensusPupil pupil = bornOn(first("secondary Year 8 pupil", secondary("8")), LocalDate.of(2013, 1, 15));

        Decision youthSupport = decision(ENGINE.evaluate(pupil, List.of(), DECIDED_AT), "youth-support");

        assertThat(youthSupport.outcome()).isEqualTo(DISCLOSED);
        assertThat(youthSupport.event().getAgeMeasuredOn()).isEqualTo(CENSUS_DAY);
    }

    @Test
    void secondaryPupilWhoseThirteenthBirthdayIsTheDayAfterCensusDayIsNotInTheYouthSupportCohort() {
        CensusPupil pupil = bornOn(first("secondary Year 8 pupil", secondary("8")), LocalDate.of(2013, 1, 16));

        Evaluation evaluation = ENGINE.evaluate(pupil, List.of(), DECIDED_AT);

        assertThat(find(evaluation, "youth-support")).isEmpty();
        assertThat(ids(evaluation.outOfCohort())).contains("youth-support");
        assertThat(ids(evaluation.notInForce())).doesNotContain("youth-support");
    }

    @Test
    void youthSupportMeasuresAgeOnCensusDayEvenWhenThePupilIsThirteenByTheDecisionDate() {
        // 13 on 20 January: after census day (15th) but before the decision date (1 February).
        CensusPupil pupil = bornOn(first("secondary Year 8 pupil", secondary("8")), LocalDate.of(2013, 1, 20));

        Evaluation evaluation = ENGINE.evaluate(pupil, List.of(), DECIDED_AT);

        assertThat(find(evaluation, "youth-support")).isEmpty();
        assertThat(ids(evaluation.outOfCohort())).contains("youth-support");
    }

    @Test
    void primarySchoolPupilAgedThirteenIsInTheYouthSupportCohortAndAgedTwelveIsNot() {
        // "Once a pupil is aged 13 or over": the duty turns on age (Education Act 1996 s507B), and a pupil of 12 or over
        // receives secondary education wherever taught (ss2-3), so "For Secondary schools" adds no condition on the phase
        // (EveryKindOfSchoolTest: every other kind of school).
        CensusPupil thirteen = bornOn(first("primary Year 6 pupil", primary("6")), LocalDate.of(2013, 1, 15));
        CensusPupil twelve = bornOn(thirteen, LocalDate.of(2013, 1, 16));

        assertThat(decision(ENGINE.evaluate(thirteen, List.of(), DECIDED_AT), "youth-support").outcome()).isEqualTo(DISCLOSED);
        Evaluation evaluation = ENGINE.evaluate(twelve, List.of(), DECIDED_AT);
        assertThat(find(evaluation, "youth-support")).isEmpty();
        assertThat(ids(evaluation.outOfCohort())).contains("youth-support");
    }

    // ---------------------------------------------------------------- 29 February

    /** Two otherwise identical rules: one measures age on the decision date, the other on census day. */
    private static final String AGE_REFERENCE_POLICY = """
            id: age-reference-test
            version: "1"
            controller: Test County Council
            recipients:
              - id: on-decision-date
                name: Measures age on the decision date
                topic: recipient.on-decision-date
                purpose: Tests age on the decision date.
                legalBasis: "Test Act s1"
                cohort:
                  age: {min: 13}
                  ageMeasuredOn: decision-date
                fields: [names, dateOfBirth]
                objections:
                  effect: withhold
              - id: on-census-day
                name: Measures age on census day
                topic: recipient.on-census-day
                purpose: Tests age on census day.
                legalBasis: "Test Act s2"
                cohort:
                  age: {min: 13}
                  ageMeasuredOn: census-day
                fields: [names, dateOfBirth]
                objections:
                  effect: withhold
            """;

    @Test
    void leapDayBabyIsThirteenOnFirstMarchNotTwentyEighthFebruaryWhenAgeIsMeasuredOnTheDecisionDate() {
        SharingEngine engine = engine(policy("age-reference.yaml", AGE_REFERENCE_POLICY));
        // The spring 2025 census (census day 16 January 2025), decided on either side of the non-leap birthday.
        List<CensusPupil> spring2025 = new SyntheticCensus(new CensusSpec(CensusSpec.DEFAULT_SEED, 4000, "926", 2024, CensusTerm.SPRING, null))
                .stream().toList();
        CensusPupil pupil = bornOn(first(spring2025, "secondary Year 8 pupil", secondary("8")), LocalDate.of(2012, 2, 29));

        Evaluation onTwentyEighth = engine.evaluate(pupil, List.of(), at(LocalDate.of(2025, 2, 28)));
        Evaluation onFirstMarch = engine.evaluate(pupil, List.of(), at(LocalDate.of(2025, 3, 1)));

        assertThat(ids(onTwentyEighth.outOfCohort())).contains("on-decision-date");
        assertThat(decision(onFirstMarch, "on-decision-date").event().getAgeMeasuredOn()).isEqualTo(LocalDate.of(2025, 3, 1));
        // Census day 16 January 2025: 12 whatever the decision date, so the census-day rule ignores the date.
        assertThat(ids(onTwentyEighth.outOfCohort())).contains("on-census-day");
        assertThat(ids(onFirstMarch.outOfCohort())).contains("on-census-day");
    }

    @Test
    void leapDayBabyIsThirteenOnFirstMarchNotTwentyEighthFebruaryWhenAgeIsMeasuredOnCensusDay() {
        // No real census day falls at the end of February, so the record's census day is moved there to
        // exercise the same birthday arithmetic on the census-day path; the decision date is the same for both.
        SharingEngine engine = engine(policy("age-reference.yaml", AGE_REFERENCE_POLICY));
        CensusPupil pupil = bornOn(first("secondary Year 8 pupil", secondary("8")), LocalDate.of(2012, 2, 29));
        Instant decidedAt = at(LocalDate.of(2025, 3, 3));

        Evaluation censusOnTwentyEighth = engine.evaluate(withCensusDay(pupil, LocalDate.of(2025, 2, 28)), List.of(), decidedAt);
        Evaluation censusOnFirstMarch = engine.evaluate(withCensusDay(pupil, LocalDate.of(2025, 3, 1)), List.of(), decidedAt);

        assertThat(ids(censusOnTwentyEighth.outOfCohort())).contains("on-census-day");
        assertThat(decision(censusOnFirstMarch, "on-census-day").event().getAgeMeasuredOn()).isEqualTo(LocalDate.of(2025, 3, 1));
    }

    // ---------------------------------------------------------------- youth support: the 16th birthday

    /** A Year 11 pupil whose 16th birthday is census day, so "before 16" is 14 January 2026. */
    private static CensusPupil turnsSixteenOnCensusDay() {
        return bornOn(first("secondary Year 11 pupil", secondary("11")), LocalDate.of(2010, 1, 15));
    }

    @Test
    void parentObjectionReceivedTheDayBeforeTheSixteenthBirthdayRestrictsYouthSupportAndStaysInForceAfterIt() {
        CensusPupil pupil = turnsSixteenOnCensusDay();
        Objection parents = objection("OBJ-YS-1", pupil, "youth-support", ObjectionRaisedBy.PARENT, LocalDate.of(2026, 1, 14));

        // The pupil is 16 on census day and on the decision date: the objection made at 15 still stands.
        Decision youthSupport = decision(ENGINE.evaluate(pupil, List.of(parents), DECIDED_AT), "youth-support");

        assertRestrictedTo(youthSupport, pupil, NAME_DOB_ADDRESS);
        assertThat(youthSupport.event().getReason()).contains("OBJ-YS-1").contains("signed letter 2026-01-14");
        assertThat(youthSupport.event().getObjectionIds()).containsExactly("OBJ-YS-1");
    }

    @Test
    void parentObjectionReceivedOnTheSixteenthBirthdayIsNotApplied() {
        CensusPupil pupil = turnsSixteenOnCensusDay();
        Objection parents = objection("OBJ-YS-2", pupil, "youth-support", ObjectionRaisedBy.PARENT, LocalDate.of(2026, 1, 15));

        Decision youthSupport = decision(ENGINE.evaluate(pupil, List.of(parents), DECIDED_AT), "youth-support");

        assertThat(youthSupport.outcome()).isEqualTo(DISCLOSED);
        assertThat(youthSupport.disclosure().getDisclosedFields()).isEqualTo(youthSupport.recipient().fields());
        // The audit must say why the objection was recorded but not honoured.
        assertThat(youthSupport.event().getReason()).contains("OBJ-YS-2").contains("not applied").contains("only the pupil may object");
        assertThat(youthSupport.event().getObjectionIds()).containsExactly("OBJ-YS-2");
    }

    @Test
    void pupilsOwnObjectionReceivedOnTheSixteenthBirthdayRestrictsYouthSupport() {
        CensusPupil pupil = turnsSixteenOnCensusDay();
        Objection own = objection("OBJ-YS-3", pupil, "youth-support", ObjectionRaisedBy.PUPIL, LocalDate.of(2026, 1, 15));

        Decision youthSupport = decision(ENGINE.evaluate(pupil, List.of(own), DECIDED_AT), "youth-support");

        assertRestrictedTo(youthSupport, pupil, NAME_DOB_ADDRESS);
        assertThat(youthSupport.event().getReason()).contains("OBJ-YS-3");
    }

    @Test
    void pupilsOwnObjectionReceivedBeforeTheSixteenthBirthdayIsNotApplied() {
        CensusPupil pupil = turnsSixteenOnCensusDay();
        Objection own = objection("OBJ-YS-4", pupil, "youth-support", ObjectionRaisedBy.PUPIL, LocalDate.of(2026, 1, 14));

        Decision youthSupport = decision(ENGINE.evaluate(pupil, List.of(own), DECIDED_AT), "youth-support");

        assertThat(youthSupport.outcome()).isEqualTo(DISCLOSED);
        assertThat(youthSupport.event().getReason()).contains("OBJ-YS-4").contains("not applied").contains("pupils may object from age 16");
        assertThat(youthSupport.event().getObjectionIds()).containsExactly("OBJ-YS-4");
    }

    /** Norfolk's youth-support rule with the non-default "a parent's objection lapses at 16". */
    private static final String LAPSING_POLICY = """
            id: lapsing-test
            version: "1"
            controller: Test County Council
            recipients:
              - id: youth-support
                name: Youth Support Services
                topic: recipient.youth-support
                purpose: Tests a parent's objection that lapses at 16.
                legalBasis: "Education and Skills Act 2008 s68(1)"
                cohort:
                  age: {min: 13}
                  schoolPhases: [SECONDARY]
                fields: [identity, names, dateOfBirth, address, school]
                objections:
                  effect: restrict
                  restrictTo: [names, dateOfBirth, address]
                  parentMayObjectBelowAge: 16
                  pupilMayObjectFromAge: 16
                  parentObjectionLapsesAtAge: 16
            """;

    @Test
    void parentObjectionLapsesAtSixteenOnlyWhenTheRuleSaysSo() {
        SharingEngine engine = engine(policy("lapsing.yaml", LAPSING_POLICY));
        CensusPupil sixteen = turnsSixteenOnCensusDay();
        CensusPupil fifteen = bornOn(sixteen, LocalDate.of(2010, 1, 16));
        LocalDate atFourteen = LocalDate.of(2024, 6, 1);

        Decision stillFifteen = decision(engine.evaluate(fifteen,
                List.of(objection("OBJ-L-1", fifteen, "youth-support", ObjectionRaisedBy.PARENT, atFourteen)), DECIDED_AT), "youth-support");
        Decision nowSixteen = decision(engine.evaluate(sixteen,
                List.of(objection("OBJ-L-2", sixteen, "youth-support", ObjectionRaisedBy.PARENT, atFourteen)), DECIDED_AT), "youth-support");

        assertThat(stillFifteen.outcome()).isEqualTo(RESTRICTED);
        assertThat(nowSixteen.outcome()).isEqualTo(DISCLOSED);
        assertThat(nowSixteen.event().getReason()).contains("OBJ-L-2").contains("lapses");
        // And under Norfolk's default the same objection still stands at 16.
        assertThat(decision(ENGINE.evaluate(sixteen,
                List.of(objection("OBJ-L-3", sixteen, "youth-support", ObjectionRaisedBy.PARENT, atFourteen)), DECIDED_AT), "youth-support")
                .outcome()).isEqualTo(RESTRICTED);
    }

    // ---------------------------------------------------------------- withdrawn objections

    @ParameterizedTest(name = "withdrawn {0} day(s) from the decision date -> {1}")
    @CsvSource({"-30, DISCLOSED", "0, DISCLOSED", "1, WITHHELD", "30, WITHHELD"})
    void objectionWithdrawnOnOrBeforeTheDecisionDateIsIgnoredButOneWithdrawnLaterStillApplies(int daysFromDecision, DisclosureOutcome expected) {
        CensusPupil pupil = first("secondary Year 11 pupil", secondary("11"));
        Objection letter = withdrawnOn(objection("OBJ-W-1", pupil, "post16", ObjectionRaisedBy.PARENT, LocalDate.of(2025, 9, 10)),
                DECISION_DATE.plusDays(daysFromDecision));

        Decision post16 = decision(ENGINE.evaluate(pupil, List.of(letter), DECIDED_AT), "post16");

        assertThat(post16.outcome()).isEqualTo(expected);
        if (expected == DISCLOSED) {
            // A withdrawn objection is no objection: nothing to consider, nothing to explain.
            assertThat(post16.event().getObjectionIds()).isEmpty();
            assertThat(post16.event().getReason()).isEqualTo("in cohort");
        } else {
            assertThat(post16.event().getObjectionIds()).containsExactly("OBJ-W-1");
        }
    }

    // ---------------------------------------------------------------- post-16 providers and the statutory DfE return

    @Test
    void year11ObjectionToPost16WithholdsPost16OnlyAndLeavesDfeAndYouthSupportAlone() {
        CensusPupil pupil = first("secondary Year 11 pupil", secondary("11"));
        Objection letter = Objection.newBuilder(objection("OBJ-P16-1", pupil, "post16", ObjectionRaisedBy.PARENT, LocalDate.of(2025, 11, 3)))
                .setEvidenceReference("signed letter to EET 11-19 Commissioning Team, ref EET/2025/0412")
                .build();

        Evaluation evaluation = ENGINE.evaluate(pupil, List.of(letter), DECIDED_AT);

        Decision post16 = decision(evaluation, "post16");
        assertThat(post16.outcome()).isEqualTo(WITHHELD);
        assertThat(post16.disclosure()).isNull();
        assertThat(post16.sendsRecord()).isFalse();
        assertThat(post16.event().getOutcome()).isEqualTo(WITHHELD);
        assertThat(post16.event().getFieldsDisclosed()).isEmpty();
        assertThat(post16.event().getRecipientKey()).isNull();
        assertThat(post16.event().getReason()).contains("OBJ-P16-1").contains("EET/2025/0412");
        assertThat(post16.event().getObjectionIds()).containsExactly("OBJ-P16-1");
        for (String unaffected : List.of("dfe", "youth-support")) {
            Decision other = decision(evaluation, unaffected);
            assertThat(other.outcome()).as(unaffected).isEqualTo(DISCLOSED);
            assertThat(other.event().getReason()).as(unaffected).isEqualTo("in cohort");
            assertThat(other.event().getObjectionIds()).as(unaffected).isEmpty();
            assertThat(other.disclosure().getDisclosedFields()).as(unaffected).isEqualTo(CENSUS_FIELDS.stream().filter(other.recipient().fields()::contains).toList());
        }
    }

    @Test
    void post16ProvidersReceiveYear11Only() {
        // "Post 16 Providers (for Year 11 pupils)": Year 10 and Year 12 on either side are out.
        Map<String, Boolean> hasPost16Decision = new TreeMap<>();
        for (String year : List.of("10", "11", "12")) {
            CensusPupil pupil = first("secondary Year " + year + " pupil", secondary(year));
            hasPost16Decision.put(year, find(ENGINE.evaluate(pupil, List.of(), DECIDED_AT), "post16").isPresent());
        }

        assertThat(hasPost16Decision).isEqualTo(Map.of("10", false, "11", true, "12", false));
    }

    @Test
    void objectionToEveryRecipientDoesNotStopTheStatutoryDfeReturnButIsAuditedThere() {
        CensusPupil pupil = bornOn(first("secondary Year 11 pupil", secondary("11")), LocalDate.of(2010, 3, 1));
        Objection all = objection("OBJ-ALL-1", pupil, "all", ObjectionRaisedBy.PARENT, LocalDate.of(2025, 6, 1));

        Evaluation evaluation = ENGINE.evaluate(pupil, List.of(all), DECIDED_AT);

        Decision dfe = decision(evaluation, "dfe");
        assertThat(dfe.outcome()).isEqualTo(DISCLOSED);
        assertThat(dfe.disclosure().getIdentity()).isEqualTo(pupil.getIdentity());
        assertThat(dfe.event().getReason()).startsWith("objection not applicable: statutory").contains("OBJ-ALL-1");
        assertThat(dfe.event().getObjectionIds()).containsExactly("OBJ-ALL-1");
        // The same objection does bind the non-statutory recipients the pupil is in the cohort of.
        assertThat(decision(evaluation, "post16").outcome()).isEqualTo(WITHHELD);
        assertThat(decision(evaluation, "youth-support").outcome()).isEqualTo(RESTRICTED);
    }

    // ---------------------------------------------------------------- Sure Start children's centres

    @Test
    void parentObjectionWithholdsChildrensCentresRecordOfAPrimaryPupil() {
        CensusPupil pupil = first("primary Year 3 pupil", primary("3"));
        Objection parents = objection("OBJ-CC-1", pupil, "childrens-centres", ObjectionRaisedBy.PARENT, LocalDate.of(2025, 9, 20));

        Decision without = decision(ENGINE.evaluate(pupil, List.of(), DECIDED_AT), "childrens-centres");
        Decision with = decision(ENGINE.evaluate(pupil, List.of(parents), DECIDED_AT), "childrens-centres");

        assertThat(without.outcome()).isEqualTo(DISCLOSED);
        assertThat(with.outcome()).isEqualTo(WITHHELD);
        assertThat(with.disclosure()).isNull();
        assertThat(with.event().getReason()).contains("OBJ-CC-1");
    }

    @Test
    void receptionPupilsEarlyYearsFoundationStageResultsReachChildrensCentres() {
        CensusPupil pupil = first("primary Reception pupil with EYFSP results",
                primary("R").and(p -> !p.getEarlyYearsFoundationStage().isEmpty()));

        Decision centres = decision(ENGINE.evaluate(pupil, List.of(), DECIDED_AT), "childrens-centres");

        // "the pupil's name, current school, Early Years Foundation Stage results"
        PupilDisclosure record = centres.disclosure();
        assertThat(record.getEarlyYearsFoundationStage()).isEqualTo(pupil.getEarlyYearsFoundationStage());
        assertThat(record.getNames()).isEqualTo(pupil.getNames());
        assertThat(record.getSchool()).isEqualTo(pupil.getSchool());
        assertThat(record.getDisclosedFields()).containsExactly("names", "school", "earlyYearsFoundationStage");
        assertThat(record.getIdentity()).isNull();
        assertThat(record.getDateOfBirth()).isNull();
    }

    @Test
    void secondaryPupilGetsNoChildrensCentresDecision() {
        CensusPupil pupil = first("secondary Year 7 pupil", secondary("7"));

        Evaluation evaluation = ENGINE.evaluate(pupil, List.of(), DECIDED_AT);

        assertThat(find(evaluation, "childrens-centres")).isEmpty();
        assertThat(ids(evaluation.outOfCohort())).contains("childrens-centres");
    }

    // ---------------------------------------------------------------- National Child Measurement Programme

    @Test
    void onlyReceptionAndYear6PupilsGetNcmpDecisions() {
        Set<String> yearsWithNcmp = new HashSet<>();
        Set<String> yearsWithout = new HashSet<>();
        for (CensusPupil pupil : sample()) {
            Evaluation evaluation = ENGINE.evaluate(pupil, List.of(), DECIDED_AT);
            boolean identified = find(evaluation, "nhs-ncmp").isPresent();
            boolean research = find(evaluation, "nhs-ncmp-research").isPresent();
            assertThat(research).as("research and identified NCMP decisions go together for %s", upn(pupil)).isEqualTo(identified);
            (identified ? yearsWithNcmp : yearsWithout).add(pupil.getEnrolment().getNcYearActual());
        }

        assertThat(yearsWithNcmp).containsExactlyInAnyOrder("R", "6");
        // The sample spans the neighbouring years too, so the property is not vacuous.
        assertThat(yearsWithout).contains("1", "5", "7").doesNotContain("R", "6");
    }

    // ---------------------------------------------------------------- Lancashire: restriction keeps the parents' details

    /** Lancashire's notice: "no information beyond their children's name, address and date of birth (and their own name and address)". */
    private static final String LANCASHIRE_STYLE_POLICY = """
            id: lancashire-style-test
            version: "1"
            controller: Test County Council
            recipients:
              - id: youth-support
                name: Youth Support Services
                topic: recipient.youth-support
                purpose: Support for young people aged 13 to 19.
                legalBasis: "Education and Skills Act 2008 s68; Education Act 1996 s507B"
                cohort:
                  age: {min: 13}
                  schoolPhases: [SECONDARY]
                fields: [identity, names, dateOfBirth, sex, address, parents, telephones, school, enrolment]
                objections:
                  effect: restrict
                  restrictTo: [names, dateOfBirth, address, parents]
                  parentMayObjectBelowAge: 16
                  pupilMayObjectFromAge: 16
            """;

    @Test
    void lancashireStyleParentObjectionRestrictsYouthSupportToNameAddressDateOfBirthAndParentsNamesAndAddresses() {
        SharingEngine engine = engine(policy("lancashire-style.yaml", LANCASHIRE_STYLE_POLICY));
        // A pupil with a parent living elsewhere, so the parent's own address is part of what is kept.
        CensusPupil pupil = first("secondary Year 9 pupil with a parent at another address",
                secondary("9").and(p -> p.getParents().stream().anyMatch(parent -> parent.getAddress() != null)));
        Objection parents = objection("OBJ-LANC-1", pupil, "youth-support", ObjectionRaisedBy.PARENT, LocalDate.of(2025, 10, 1));

        Decision youthSupport = decision(engine.evaluate(pupil, List.of(parents), DECIDED_AT), "youth-support");

        assertRestrictedTo(youthSupport, pupil, List.of("names", "dateOfBirth", "address", "parents"));
        assertThat(youthSupport.disclosure().getParents()).isEqualTo(pupil.getParents())
                .anySatisfy(parent -> assertThat(parent.getAddress()).isNotNull());
        assertThat(youthSupport.disclosure().getTelephones()).isNull();
    }

    // ---------------------------------------------------------------- time-boxed agreements and delete-by

    /** The 2011 Cabinet Office electoral registration pilot: 16-18 year olds, June-November 2011, destroyed by 1 March 2012. */
    private static final String ELECTORAL_PILOT_POLICY = """
            id: electoral-pilot-test
            version: "2011.1"
            controller: Test County Council
            recipients:
              - id: electoral-pilot
                name: Cabinet Office electoral registration pilot
                topic: recipient.electoral-pilot
                purpose: Matching young people to the electoral register in a time-limited pilot.
                legalBasis: "Electoral Registration Data Schemes Order 2011"
                cohort:
                  age: {min: 16, max: 18}
                  ageMeasuredOn: decision-date
                fields: [names, dateOfBirth, address]
                objections:
                  effect: withhold
                validFrom: 2011-06-01
                validUntil: 2011-11-30
                deleteBy:
                  date: 2012-03-01
            """;

    /** A generated pupil re-dated to be 16 throughout the 2011 pilot (born 1 September 1994). */
    private static CensusPupil sixteenIn2011() {
        return bornOn(first("secondary Year 11 pupil", secondary("11")), LocalDate.of(1994, 9, 1));
    }

    @ParameterizedTest(name = "decided {0}")
    @CsvSource({"2011-05-31T12:00:00Z", "2011-12-01T12:00:00Z", "2026-02-01T10:00:00Z"})
    void timeBoxedRecipientGetsNothingOutsideItsWindow(Instant decidedAt) {
        SharingPolicy pilot = policy("electoral-pilot.yaml", ELECTORAL_PILOT_POLICY);

        Evaluation evaluation = engine(pilot).evaluate(sixteenIn2011(), List.of(), decidedAt);

        assertThat(evaluation.decisions()).isEmpty();
        assertThat(ids(evaluation.notInForce())).containsExactly("electoral-pilot");
        assertThat(evaluation.outOfCohort()).isEmpty();
    }

    @ParameterizedTest(name = "decided {0}")
    @CsvSource({"2011-06-01T12:00:00Z", "2011-09-15T12:00:00Z", "2011-11-30T12:00:00Z",
        // 00:30 on 1 June in London (BST) is still 31 May in UTC: the window follows the London date.
        "2011-05-31T23:30:00Z"})
    void timeBoxedRecipientInsideItsWindowGetsARecordCarryingItsDeleteByDate(Instant decidedAt) {
        SharingPolicy pilot = policy("electoral-pilot.yaml", ELECTORAL_PILOT_POLICY);
        CensusPupil pupil = sixteenIn2011();

        Decision decision = decision(engine(pilot).evaluate(pupil, List.of(), decidedAt), "electoral-pilot");

        assertThat(decision.outcome()).isEqualTo(DISCLOSED);
        assertThat(decision.disclosure().getDeleteBy()).isEqualTo(LocalDate.of(2012, 3, 1));
        assertThat(decision.event().getDeleteBy()).isEqualTo(LocalDate.of(2012, 3, 1));
        assertThat(decision.disclosure().getNames()).isEqualTo(pupil.getNames());
    }

    @Test
    void timeBoxedRecipientMeasuresTheEighteenMaximumOnTheDecisionDate() {
        SharingEngine pilot = engine(policy("electoral-pilot.yaml", ELECTORAL_PILOT_POLICY));
        // 18 until 31 August 2011, 19 from 1 September: both days are inside the window.
        CensusPupil pupil = bornOn(first("secondary Year 13 pupil", secondary("13")), LocalDate.of(1992, 9, 1));

        Evaluation stillEighteen = pilot.evaluate(pupil, List.of(), at(LocalDate.of(2011, 8, 31)));
        Evaluation nineteen = pilot.evaluate(pupil, List.of(), at(LocalDate.of(2011, 9, 1)));

        assertThat(decision(stillEighteen, "electoral-pilot").event().getAgeMeasuredOn()).isEqualTo(LocalDate.of(2011, 8, 31));
        assertThat(ids(nineteen.outOfCohort())).containsExactly("electoral-pilot");
    }

    @Test
    void deleteByAPeriodAfterDisclosureIsCountedFromTheDecisionDate() {
        // Norfolk's NCMP rule: deleteBy {afterDisclosure: P1Y}; the research variant has no delete-by.
        CensusPupil pupil = first("primary Year 6 pupil", primary("6"));

        Evaluation evaluation = ENGINE.evaluate(pupil, List.of(), DECIDED_AT);

        Decision ncmp = decision(evaluation, "nhs-ncmp");
        assertThat(ncmp.disclosure().getDeleteBy()).isEqualTo(LocalDate.of(2027, 2, 1));
        assertThat(ncmp.event().getDeleteBy()).isEqualTo(LocalDate.of(2027, 2, 1));
        Decision later = decision(ENGINE.evaluate(pupil, List.of(), at(LocalDate.of(2026, 3, 10))), "nhs-ncmp");
        assertThat(later.disclosure().getDeleteBy()).isEqualTo(LocalDate.of(2027, 3, 10));
        assertThat(decision(evaluation, "nhs-ncmp-research").disclosure().getDeleteBy()).isNull();
        assertThat(decision(evaluation, "nhs-ncmp-research").event().getDeleteBy()).isNull();
    }

    @Test
    void noRecordIsSentOnceItsFixedDeleteByDateHasPassed() {
        SharingPolicy open = policy("open-ended.yaml", """
                id: open-ended-test
                version: "1"
                controller: Test County Council
                recipients:
                  - id: pilot
                    name: A pilot whose window was never closed
                    topic: recipient.pilot
                    purpose: A data-matching pilot.
                    legalBasis: "Test Act s3"
                    fields: [names, dateOfBirth, address]
                    objections:
                      effect: withhold
                    validFrom: 2011-06-01
                    deleteBy:
                      date: 2012-03-01
                """);

        Evaluation evaluation = engine(open).evaluate(first("secondary Year 11 pupil", secondary("11")), List.of(), DECIDED_AT);

        assertThat(evaluation.decisions()).noneMatch(Decision::sendsRecord);
    }

    // ---------------------------------------------------------------- the audit event

    @Test
    void everyEventCarriesThePolicyItsContentHashTheRulesLegalBasisTheReturnTheAgeDateAndTheDecisionTime() throws Exception {
        String fileHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(norfolkBytes()));
        CensusPupil year6 = first("primary Year 6 pupil", primary("6"));
        CensusPupil year11 = first("secondary Year 11 pupil", secondary("11"));
        // An objection too, so WITHHELD events are checked as well as disclosures.
        Objection letter = objection("OBJ-EV-1", year11, "post16", ObjectionRaisedBy.PARENT, LocalDate.of(2025, 11, 3));
        List<Decision> decisions = new ArrayList<>(ENGINE.evaluate(year6, List.of(), DECIDED_AT).decisions());
        decisions.addAll(ENGINE.evaluate(year11, List.of(letter), DECIDED_AT).decisions());

        assertThat(NORFOLK.contentHash()).isEqualTo(fileHash);
        assertThat(decisions).extracting(d -> d.recipient().id())
                .containsExactlyInAnyOrder("dfe", "nhs-ncmp", "nhs-ncmp-research", "childrens-centres", "dfe", "youth-support", "post16");
        assertThat(decisions).extracting(Decision::outcome).contains(WITHHELD, DISCLOSED);
        for (Decision decision : decisions) {
            CensusPupil pupil = decision.event().getUpn().equals(upn(year6)) ? year6 : year11;
            String rule = decision.recipient().id();
            DisclosureEvent event = decision.event();
            assertThat(event.getPolicyId()).as(rule).isEqualTo("norfolk-census-sharing");
            assertThat(event.getPolicyVersion()).as(rule).isEqualTo("2026.1");
            assertThat(event.getPolicyContentHash()).as(rule).isEqualTo(fileHash);
            assertThat(event.getLegalBasis()).as(rule).isEqualTo(NORFOLK.recipient(rule).orElseThrow().legalBasis()).isNotBlank();
            assertThat(event.getReturnId()).as(rule).isEqualTo(pupil.getCensus().getReturnId());
            assertThat(event.getAgeMeasuredOn()).as(rule).isEqualTo(CENSUS_DAY);
            assertThat(event.getDecidedAt()).as(rule).isEqualTo(DECIDED_AT);
            assertThat(event.getRecipientId()).as(rule).isEqualTo(rule);
            assertThat(event.getUpn()).as(rule).isEqualTo(upn(pupil));
            assertThat(event.getOutcome()).as(rule).isEqualTo(decision.outcome());
            PupilDisclosure record = decision.disclosure();
            if (record != null) {
                // The record's envelope tells the recipient the same story as the audit.
                assertThat(List.of(record.getPolicyId(), record.getPolicyVersion(), record.getPolicyContentHash(), record.getLegalBasis(),
                        record.getReturnId(), record.getRecipientId()))
                        .as(rule)
                        .containsExactly(event.getPolicyId(), event.getPolicyVersion(), event.getPolicyContentHash(), event.getLegalBasis(),
                                event.getReturnId(), event.getRecipientId());
            }
        }
    }

    // ---------------------------------------------------------------- disclosure ids and record keys

    @Test
    void disclosureIdsAreDeterministicAndSharedByTheRecordAndItsEvent() {
        CensusPupil pupil = first("primary Year 6 pupil", primary("6"));

        Evaluation once = ENGINE.evaluate(pupil, List.of(), DECIDED_AT);
        Evaluation again = engine(norfolk()).evaluate(CensusPupil.newBuilder(pupil).build(), List.of(), DECIDED_AT);

        assertThat(again.decisions()).extracting(d -> d.event().getDisclosureId())
                .containsExactlyElementsOf(once.decisions().stream().map(d -> d.event().getDisclosureId()).toList());
        for (Decision decision : once.decisions()) {
            assertThat(decision.disclosure().getDisclosureId()).as(decision.recipient().id()).isEqualTo(decision.event().getDisclosureId());
        }
    }

    /**
     * Ids are kept by the audit trail and the router's state: they must stay what they always were, whatever the
     * implementation, or reprocessing a census record after an upgrade would not be recognised as the same decision.
     * The formula: HMAC-SHA256(key, "disclosure-id|" + returnId|upn|recipientId|policy content hash|outcome|objection
     * ids sorted and comma-separated) as an RFC 9562 version-8 UUID.
     */
    @Test
    void disclosureIdsAreTheKeyedHashOfTheirNameAsAlways() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(EngineFixtures.KEY, "HmacSHA256"));
        int checked = 0;
        int withObjections = 0;
        int i = 0;
        for (CensusPupil pupil : sample()) {
            String upn = pupil.getIdentity().getUpn();
            List<org.pupilflow.census.Objection> objections = i++ % 4 != 0 ? List.of() : List.of(
                    org.pupilflow.census.Objection.newBuilder().setObjectionId("o-b-" + i).setUpn(upn).setScope("all")
                            .setRaisedBy(org.pupilflow.census.ObjectionRaisedBy.PARENT).setReceivedDate(java.time.LocalDate.of(2025, 10, 1))
                            .setEvidenceReference("letter").setWithdrawn(false).build(),
                    org.pupilflow.census.Objection.newBuilder().setObjectionId("o-a-" + i).setUpn(upn).setScope("all")
                            .setRaisedBy(org.pupilflow.census.ObjectionRaisedBy.PARENT).setReceivedDate(java.time.LocalDate.of(2025, 10, 2))
                            .setEvidenceReference("letter").setWithdrawn(false).build());
            for (Decision decision : ENGINE.evaluate(pupil, objections, DECIDED_AT).decisions()) {
                List<String> considered = decision.event().getObjectionIds();
                String name = pupil.getCensus().getReturnId() + '|' + upn + '|' + decision.recipient().id() + '|' + ENGINE.policy().contentHash() + '|'
                        + decision.outcome() + '|' + String.join(",", considered.stream().sorted().toList());
                byte[] hash = mac.doFinal(("disclosure-id|" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(hash);
                long high = (bytes.getLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000008000L;
                long low = (bytes.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
                assertThat(decision.event().getDisclosureId()).as(name).isEqualTo(new java.util.UUID(high, low).toString());
                checked++;
                if (!considered.isEmpty()) {
                    withObjections++;
                }
            }
        }
        assertThat(checked).isGreaterThan(100);
        assertThat(withObjections).isGreaterThan(10);
    }

    @Test
    void disclosureIdsAreUniquePerPupilAndRecipient() {
        Set<String> ids = new HashSet<>();
        int decisions = 0;
        for (CensusPupil pupil : sample()) {
            for (Decision decision : ENGINE.evaluate(pupil, List.of(), DECIDED_AT).decisions()) {
                ids.add(decision.event().getDisclosureId());
                decisions++;
            }
        }

        assertThat(decisions).isGreaterThan(2 * sample().size());
        assertThat(ids).hasSize(decisions);
    }

    @Test
    void recordKeyIsTheUpnWhenIdentityIsDisclosedAndTheDisclosureIdWhenItIsNot() {
        CensusPupil pupil = first("secondary Year 9 pupil", secondary("9"));
        Objection parents = objection("OBJ-KEY-1", pupil, "youth-support", ObjectionRaisedBy.PARENT, LocalDate.of(2025, 10, 1));
        Evaluation secondary = ENGINE.evaluate(pupil, List.of(parents), DECIDED_AT);
        Decision centres = decision(ENGINE.evaluate(first("primary Year 2 pupil", primary("2")), List.of(), DECIDED_AT), "childrens-centres");

        Decision dfe = decision(secondary, "dfe");
        assertThat(dfe.recordKey()).isEqualTo(upn(pupil));
        assertThat(dfe.event().getRecipientKey()).isEqualTo(upn(pupil));
        // A restricted youth-support record has no identity, so its key must not be the UPN either.
        Decision restricted = decision(secondary, "youth-support");
        assertThat(restricted.outcome()).isEqualTo(RESTRICTED);
        assertThat(restricted.recordKey()).isEqualTo(restricted.event().getDisclosureId()).isNotEqualTo(upn(pupil));
        assertThat(restricted.event().getRecipientKey()).isEqualTo(restricted.recordKey());
        // Children's centres never get the UPN.
        assertThat(centres.recordKey()).isEqualTo(centres.event().getDisclosureId());
        assertThat(centres.event().getRecipientKey()).isEqualTo(centres.recordKey());
    }

    @Test
    void acrossACensusTheKeyIsTheUpnExactlyWhenTheRecordCarriesIdentity() {
        int byUpn = 0;
        int byDisclosureId = 0;
        for (CensusPupil pupil : sample()) {
            for (Decision decision : ENGINE.evaluate(pupil, List.of(), DECIDED_AT).decisions()) {
                PupilDisclosure record = decision.disclosure();
                if (record.getPseudonymised()) {
                    assertThat(decision.recordKey()).isEqualTo(record.getPupilPseudonym());
                } else if (record.getIdentity() != null) {
                    assertThat(decision.recordKey()).isEqualTo(record.getIdentity().getUpn());
                    byUpn++;
                } else {
                    assertThat(decision.recordKey()).isEqualTo(record.getDisclosureId());
                    byDisclosureId++;
                }
            }
        }

        assertThat(byUpn).isPositive();
        assertThat(byDisclosureId).isPositive();
    }

    // ---------------------------------------------------------------- helpers

    /** RESTRICTED, carrying exactly {@code units} (equal to the pupil's), every other census field null, audited alike. */
    private static void assertRestrictedTo(Decision decision, CensusPupil pupil, List<String> units) {
        assertThat(decision.outcome()).isEqualTo(RESTRICTED);
        assertThat(decision.event().getOutcome()).isEqualTo(RESTRICTED);
        PupilDisclosure record = decision.disclosure();
        assertThat(record).isNotNull();
        for (String field : CENSUS_FIELDS) {
            if (units.contains(field)) {
                assertThat(record.get(field)).as(field).isNotNull().isEqualTo(pupil.get(field));
            } else {
                assertThat(record.get(field)).as(field).isNull();
            }
        }
        assertThat(record.getDisclosedFields()).containsExactlyElementsOf(units);
        assertThat(decision.event().getFieldsDisclosed()).containsExactlyElementsOf(units);
        assertThat(decision.recordKey()).isEqualTo(record.getDisclosureId());
    }
}
