package org.pupilflow.policy.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pupilflow.policy.decide.EngineFixtures.DECIDED_AT;
import static org.pupilflow.policy.decide.EngineFixtures.bornOn;
import static org.pupilflow.policy.decide.EngineFixtures.decision;
import static org.pupilflow.policy.decide.EngineFixtures.engine;
import static org.pupilflow.policy.decide.EngineFixtures.find;
import static org.pupilflow.policy.decide.EngineFixtures.first;
import static org.pupilflow.policy.decide.EngineFixtures.objection;
import static org.pupilflow.policy.decide.EngineFixtures.sample;
import static org.pupilflow.sharing.DisclosureOutcome.DISCLOSED;
import static org.pupilflow.sharing.DisclosureOutcome.WITHHELD;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.ObjectionRaisedBy;
import org.pupilflow.census.SchoolPhase;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * The shipped rules that turn on the kind of school or on the looked-after and child-in-need flags, pupil by pupil,
 * for each kind of school the generator makes. Pupils come from the generator; a test changes only the date of birth.
 */
class EveryKindOfSchoolTest {

    private static final Path POLICIES = Path.of("..", "policies");
    private static final SharingEngine NORFOLK = engine(policy("norfolk.yaml"));
    private static final SharingEngine LANCASHIRE = engine(policy("lancashire.yaml"));
    private static final SharingEngine BARNET = engine(policy("barnet.yaml"));
    private static final SharingEngine DFE = engine(policy("dfe-onward-sharing.yaml"));

    /** Census day 15 January 2026: born on 15 January 2013 is 13 on it, born a day later is 12. */
    private static final LocalDate THIRTEEN_ON_CENSUS_DAY = LocalDate.of(2013, 1, 15);

    private static SharingPolicy policy(String file) {
        return new PolicyLoader().load(POLICIES.resolve(file));
    }

    private static Predicate<CensusPupil> at(SchoolPhase phase, String ncYear) {
        return p -> p.getSchool().getPhase() == phase && p.getEnrolment().getNcYearActual().equals(ncYear);
    }

    // ---------------------------------------------------------------- youth support: 13 or over, whatever the school

    /**
     * Norfolk's notice heads youth support "For Secondary schools", but the duty is to pupils aged 13 and over
     * (Education Act 1996 s507B), and the education of a pupil of 12 or over is secondary education wherever it is
     * given (Education Act 1996 ss2-3): a 13-year-old is in the cohort in every kind of school, a 12-year-old in none.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SchoolPhase.class, names = {"MIDDLE_DEEMED_SECONDARY", "SECONDARY", "ALL_THROUGH", "SPECIAL", "ALTERNATIVE_PROVISION"})
    void aThirteenYearOldIsInNorfolksYouthSupportCohortWhateverTheKindOfSchoolAndATwelveYearOldIsNot(SchoolPhase phase) {
        CensusPupil year8 = first(phase + " Year 8 pupil", at(phase, "8"));
        CensusPupil thirteen = bornOn(year8, THIRTEEN_ON_CENSUS_DAY);
        CensusPupil twelve = bornOn(year8, THIRTEEN_ON_CENSUS_DAY.plusDays(1));

        assertThat(decision(NORFOLK.evaluate(thirteen, List.of(), DECIDED_AT), "youth-support").outcome()).isEqualTo(DISCLOSED);
        assertThat(find(NORFOLK.evaluate(twelve, List.of(), DECIDED_AT), "youth-support")).isEmpty();
        // Lancashire's and Barnet's rules never limited the phase.
        assertThat(find(LANCASHIRE.evaluate(thirteen, List.of(), DECIDED_AT), "youth-support")).isPresent();
        assertThat(find(BARNET.evaluate(thirteen, List.of(), DECIDED_AT), "youth-support")).isPresent();
        assertThat(find(LANCASHIRE.evaluate(twelve, List.of(), DECIDED_AT), "youth-support")).isEmpty();
    }

    @Test
    void aThirteenYearOldTaughtOutOfYearGroupInAPrimaryOrMiddleDeemedPrimarySchoolIsInTheCohortToo() {
        // Rare (a pupil taught two years below their age group) but the law makes no exception for the school.
        CensusPupil primary = bornOn(first("primary Year 6 pupil", at(SchoolPhase.PRIMARY, "6")), THIRTEEN_ON_CENSUS_DAY);
        CensusPupil middle = bornOn(first("middle deemed primary Year 7 pupil", at(SchoolPhase.MIDDLE_DEEMED_PRIMARY, "7")), THIRTEEN_ON_CENSUS_DAY);

        assertThat(find(NORFOLK.evaluate(primary, List.of(), DECIDED_AT), "youth-support")).isPresent();
        assertThat(find(NORFOLK.evaluate(middle, List.of(), DECIDED_AT), "youth-support")).isPresent();
    }

    @Test
    void everyGeneratedPupilAgedThirteenOrOverIsInNorfolksYouthSupportCohortInEveryKindOfSchool() {
        List<CensusPupil> thirteenPlus = sample().stream()
                .filter(p -> EngineFixtures.age(p.getDateOfBirth(), EngineFixtures.CENSUS_DAY) >= 13).toList();

        assertThat(thirteenPlus).extracting(p -> p.getSchool().getPhase()).contains(SchoolPhase.MIDDLE_DEEMED_SECONDARY, SchoolPhase.SECONDARY,
                SchoolPhase.ALL_THROUGH, SchoolPhase.SPECIAL, SchoolPhase.ALTERNATIVE_PROVISION);
        assertThat(thirteenPlus).allSatisfy(p -> assertThat(find(NORFOLK.evaluate(p, List.of(), DECIDED_AT), "youth-support"))
                .as("%s in %s", p.getIdentity().getUpn(), p.getSchool().getPhase()).isPresent());
    }

    @Test
    void aParentsObjectionRestrictsYouthSupportInASpecialSchoolAsInASecondary() {
        CensusPupil pupil = bornOn(first("special school Year 8 pupil", at(SchoolPhase.SPECIAL, "8")), THIRTEEN_ON_CENSUS_DAY);

        Decision youthSupport = decision(NORFOLK.evaluate(pupil,
                List.of(objection("OBJ-SP-1", pupil, "youth-support", ObjectionRaisedBy.PARENT, LocalDate.of(2025, 11, 1))), DECIDED_AT), "youth-support");

        assertThat(youthSupport.disclosure().getDisclosedFields()).containsExactly("names", "dateOfBirth", "address");
    }

    // ---------------------------------------------------------------- post-16 and QCDA: by NC year, whatever the school

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SchoolPhase.class, names = {"SECONDARY", "ALL_THROUGH", "SPECIAL", "ALTERNATIVE_PROVISION"})
    void year11PupilsReachPost16ProvidersFromEveryKindOfSchoolThatTeachesYear11(SchoolPhase phase) {
        CensusPupil year11 = first(phase + " Year 11 pupil", at(phase, "11"));
        CensusPupil year10 = first(phase + " Year 10 pupil", at(phase, "10"));

        assertThat(decision(NORFOLK.evaluate(year11, List.of(), DECIDED_AT), "post16").outcome()).isEqualTo(DISCLOSED);
        assertThat(decision(BARNET.evaluate(year11, List.of(), DECIDED_AT), "post16").outcome()).isEqualTo(DISCLOSED);
        assertThat(find(NORFOLK.evaluate(year10, List.of(), DECIDED_AT), "post16")).isEmpty();
    }

    @Test
    void qcdaReceivesKeyStage3PupilsOfAPupilReferralUnitButNotItsKeyStage4Pupils() {
        assertThat(find(DFE.evaluate(first("PRU Year 9 pupil", at(SchoolPhase.ALTERNATIVE_PROVISION, "9")), List.of(), DECIDED_AT), "qcda")).isPresent();
        assertThat(find(DFE.evaluate(first("PRU Year 10 pupil", at(SchoolPhase.ALTERNATIVE_PROVISION, "10")), List.of(), DECIDED_AT), "qcda")).isEmpty();
    }

    // ---------------------------------------------------------------- rules that name the kind of school

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SchoolPhase.class, names = {"ALL_THROUGH", "SPECIAL"})
    void childrensCentresReceivePrimarySchoolPupilsOnlyNotThePrimaryYearsOfAllThroughOrSpecialSchools(SchoolPhase phase) {
        // seeds/001: "For Primary/First/Infant Schools: Sure Start Children's Centres".
        assertThat(find(NORFOLK.evaluate(first("primary Reception pupil", at(SchoolPhase.PRIMARY, "R")), List.of(), DECIDED_AT),
                "childrens-centres")).isPresent();
        assertThat(find(NORFOLK.evaluate(first(phase + " Reception pupil", at(phase, "R")), List.of(), DECIDED_AT), "childrens-centres")).isEmpty();
        assertThat(find(NORFOLK.evaluate(first("middle deemed primary Year 4 pupil", at(SchoolPhase.MIDDLE_DEEMED_PRIMARY, "4")), List.of(), DECIDED_AT),
                "childrens-centres")).isEmpty();
    }

    @Test
    void theDepartmentOfHealthReceivesYear6FromPrimaryAndBothKindsOfMiddleSchoolOnly() {
        // seeds/002: "height and weight collected in primary and middle schools".
        for (SchoolPhase phase : List.of(SchoolPhase.PRIMARY, SchoolPhase.MIDDLE_DEEMED_PRIMARY, SchoolPhase.MIDDLE_DEEMED_SECONDARY)) {
            assertThat(find(DFE.evaluate(first(phase + " Year 6 pupil", at(phase, "6")), List.of(), DECIDED_AT), "dh-ncmp")).as(phase.name()).isPresent();
        }
        for (SchoolPhase phase : List.of(SchoolPhase.ALL_THROUGH, SchoolPhase.SPECIAL)) {
            assertThat(find(DFE.evaluate(first(phase + " Year 6 pupil", at(phase, "6")), List.of(), DECIDED_AT), "dh-ncmp")).as(phase.name()).isEmpty();
        }
        // The LA's own NCMP feed is by year group alone.
        assertThat(find(NORFOLK.evaluate(first("special school Year 6 pupil", at(SchoolPhase.SPECIAL, "6")), List.of(), DECIDED_AT), "nhs-ncmp")).isPresent();
    }

    // ---------------------------------------------------------------- the DfE's 14+ recipients and the ULN

    @Test
    void theLearningRecordsServiceReceivesEveryPupilAgedFourteenOrOverWithTheirUlnAndNoOneYounger() {
        int withUln = 0;
        for (CensusPupil pupil : sample()) {
            boolean fourteenPlus = EngineFixtures.age(pupil.getDateOfBirth(), EngineFixtures.CENSUS_DAY) >= 14;
            Evaluation evaluation = DFE.evaluate(pupil, List.of(), DECIDED_AT);
            assertThat(find(evaluation, "learning-records-service").isPresent()).as(pupil.getIdentity().getUpn()).isEqualTo(fourteenPlus);
            assertThat(find(evaluation, "skills-funding").isPresent()).as(pupil.getIdentity().getUpn()).isEqualTo(fourteenPlus);
            if (fourteenPlus) {
                PupilDisclosure record = decision(evaluation, "learning-records-service").disclosure();
                assertThat(record.getIdentity().getUln()).isEqualTo(pupil.getIdentity().getUln());
                withUln += record.getIdentity().getUln() != null ? 1 : 0;
                // Skills Funding's statistics are pseudonymised: no identity, names or address.
                PupilDisclosure statistics = decision(evaluation, "skills-funding").disclosure();
                assertThat(statistics.getPseudonymised()).isTrue();
                assertThat(statistics.getIdentity()).isNull();
                assertThat(statistics.getNames()).isNull();
            }
        }
        assertThat(withUln).isGreaterThan(100);
    }

    // ---------------------------------------------------------------- looked-after children and children in need

    @Test
    void barnetsVirtualSchoolReceivesEveryLookedAfterPupilWhateverTheirSchoolAndObjectionsDoNotStopIt() {
        List<CensusPupil> lookedAfter = sample().stream().filter(p -> p.getLookedAfter().getInCare()).toList();

        assertThat(lookedAfter).extracting(p -> p.getSchool().getPhase()).contains(SchoolPhase.PRIMARY, SchoolPhase.SECONDARY);
        for (CensusPupil pupil : lookedAfter) {
            Decision virtualSchool = decision(BARNET.evaluate(pupil,
                    List.of(objection("OBJ-VS-" + pupil.getIdentity().getUpn(), pupil, "all", ObjectionRaisedBy.PARENT, LocalDate.of(2025, 10, 1))),
                    DECIDED_AT), "virtual-school");
            assertThat(virtualSchool.outcome()).isEqualTo(DISCLOSED);
            assertThat(virtualSchool.event().getReason()).contains("statutory");
            assertThat(virtualSchool.disclosure().getLookedAfter()).isEqualTo(pupil.getLookedAfter());
            assertThat(virtualSchool.disclosure().getAttendance()).isEqualTo(pupil.getAttendance());
            assertThat(virtualSchool.disclosure().getAddress()).as("no address: the virtual school has the care record").isNull();
            assertThat(find(BARNET.evaluate(pupil, List.of(), DECIDED_AT), "virtual-school-social-worker")).isEmpty();
        }
    }

    @Test
    void barnetsVirtualSchoolReceivesChildrenInNeedWhoAreNotLookedAfterAsASeparateFeedThatAnObjectionWithholds() {
        CensusPupil childInNeed = first("child in need who is not looked after", p -> p.getChildInNeed() && !p.getLookedAfter().getInCare());
        CensusPupil neither = first("pupil neither looked after nor in need", p -> !p.getChildInNeed());

        Evaluation evaluation = BARNET.evaluate(childInNeed, List.of(), DECIDED_AT);
        assertThat(find(evaluation, "virtual-school")).isEmpty();
        assertThat(decision(evaluation, "virtual-school-social-worker").disclosure().getChildInNeed()).isTrue();
        // An objection to the virtual school covers its second feed (variantOf).
        assertThat(decision(BARNET.evaluate(childInNeed,
                List.of(objection("OBJ-VS-CIN", childInNeed, "virtual-school", ObjectionRaisedBy.PARENT, LocalDate.of(2025, 10, 1))), DECIDED_AT),
                "virtual-school-social-worker").outcome()).isEqualTo(WITHHELD);
        Evaluation other = BARNET.evaluate(neither, List.of(), DECIDED_AT);
        assertThat(find(other, "virtual-school")).isEmpty();
        assertThat(find(other, "virtual-school-social-worker")).isEmpty();
    }

    @Test
    void lookedAfterChildrenAndChildrenInNeedAreFlaggedInSpecialSchoolsAndPupilReferralUnitsToo() {
        List<CensusPupil> census = EngineFixtures.census(60_000);
        for (SchoolPhase phase : List.of(SchoolPhase.SPECIAL, SchoolPhase.ALTERNATIVE_PROVISION)) {
            assertThat(census).as(phase.name()).anySatisfy(p -> {
                assertThat(p.getSchool().getPhase()).isEqualTo(phase);
                assertThat(p.getLookedAfter().getInCare()).isTrue();
            });
            assertThat(census).as(phase.name()).anySatisfy(p -> {
                assertThat(p.getSchool().getPhase()).isEqualTo(phase);
                assertThat(p.getChildInNeed()).isTrue();
                assertThat(p.getLookedAfter().getInCare()).isFalse();
            });
        }
    }

    // ---------------------------------------------------------------- Lancashire's Children's Trust as shipped

    @Test
    void lancashiresChildrensTrustReceivesEveryPupilAsPseudonymisedStatisticsWithNoNameAddressOrUpn() {
        // As shipped here: the Trust's statistical feed. Case-by-case sharing between Trust partners is an on-request
        // rule, which ShippedCohortsTest checks gets no census flow.
        if (policy("lancashire.yaml").recipient("childrens-trust").filter(rule -> "on-request".equals(rule.delivery())).isPresent()) {
            return;
        }
        for (SchoolPhase phase : SchoolPhase.values()) {
            sample().stream().filter(p -> p.getSchool().getPhase() == phase).findFirst().ifPresent(pupil -> {
                PupilDisclosure record = decision(LANCASHIRE.evaluate(pupil, List.of(), DECIDED_AT), "childrens-trust").disclosure();
                assertThat(record.getPseudonymised()).as(phase.name()).isTrue();
                assertThat(record.getPupilPseudonym()).isNotBlank().isNotEqualTo(pupil.getIdentity().getUpn());
                assertThat(record.getIdentity()).isNull();
                assertThat(record.getNames()).isNull();
                assertThat(record.getAddress()).isNull();
                assertThat(record.getDisclosedFields()).containsExactly("sex", "school", "enrolment", "freeSchoolMeals", "specialEducationalNeeds");
            });
        }
    }
}
