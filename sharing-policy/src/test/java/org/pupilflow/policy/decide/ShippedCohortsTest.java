package org.pupilflow.policy.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pupilflow.policy.decide.EngineFixtures.DECIDED_AT;
import static org.pupilflow.policy.decide.EngineFixtures.age;
import static org.pupilflow.policy.decide.EngineFixtures.at;
import static org.pupilflow.policy.decide.EngineFixtures.engine;
import static org.pupilflow.policy.decide.EngineFixtures.find;
import static org.pupilflow.policy.decide.EngineFixtures.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.CensusTerm;
import org.pupilflow.census.SchoolPhase;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;

/**
 * Who each recipient of each shipped policy receives: for every rule of every policy in {@code policies/} and the
 * deploy overlays, the pupils of a generated census (every kind of school, looked-after children and children in
 * need among them) that get a decision are exactly those the expectation below, written from the privacy notice and
 * independently of the engine, says. A rule without an expectation fails {@link #everyShippedRuleHasACohortAssertion()}
 * by name. Rules delivered only on request ({@code delivery: on-request}) get no census decision at all.
 */
class ShippedCohortsTest {

    /** policies/ and the deploy overlays' copies, relative to the module directory surefire runs in. */
    private static final List<Path> POLICY_DIRECTORIES = List.of(Path.of("..", "policies"),
            Path.of("..", "deploy", "overlays", "dev", "policy"), Path.of("..", "deploy", "overlays", "production", "policy"));

    /** A case-by-case recipient: never part of a census flow. */
    private static final String ON_REQUEST = "on-request";

    /** The spring 2026 census's day, on which the census-day age rules are measured. */
    private static final LocalDate CENSUS_DAY = EngineFixtures.CENSUS_DAY;

    /**
     * The autumn 2011 census (6 October 2011), decided on 10 October 2011: inside the Cabinet Office's 2011 pilot.
     * Big enough to reach the sixth forms and the special school's Year 14.
     */
    private static final CensusSpec AUTUMN_2011 = new CensusSpec(CensusSpec.DEFAULT_SEED, 6_000, "926", 2011, CensusTerm.AUTUMN, null);
    private static final Instant DECIDED_IN_2011 = at(LocalDate.of(2011, 10, 10));
    private static List<CensusPupil> autumn2011;

    /** What one rule's cohort is, from its notice; {@code census} says which census and decision time exercise it. */
    private record Expectation(String description, Predicate<CensusPupil> inCohort, boolean in2011) {
    }

    private static final Map<String, Expectation> EXPECTED = new LinkedHashMap<>();

    private static void expect(String policyId, String recipientId, String description, Predicate<CensusPupil> inCohort) {
        EXPECTED.put(policyId + "/" + recipientId, new Expectation(description, inCohort, false));
    }

    static {
        Predicate<CensusPupil> everyone = p -> true;
        Predicate<CensusPupil> ncmpYears = ncYears("R", "6");
        Predicate<CensusPupil> thirteenPlus = p -> age(p.getDateOfBirth(), CENSUS_DAY) >= 13;
        Predicate<CensusPupil> fourteenPlus = p -> age(p.getDateOfBirth(), CENSUS_DAY) >= 14;

        // seeds/001 (Norfolk) and seeds/000.
        expect("norfolk-census-sharing", "dfe", "every pupil (statutory census return)", everyone);
        expect("norfolk-census-sharing", "nhs-ncmp", "Reception and Year 6 (NCMP)", ncmpYears);
        expect("norfolk-census-sharing", "nhs-ncmp-research", "Reception and Year 6 (NCMP research)", ncmpYears);
        expect("norfolk-census-sharing", "youth-support", "aged 13 or over on census day, any kind of school", thirteenPlus);
        expect("norfolk-census-sharing", "post16", "Year 11, any kind of school", ncYears("11"));
        expect("norfolk-census-sharing", "childrens-centres", "pupils of primary (first, infant) schools only",
                phases(SchoolPhase.PRIMARY));

        // seeds/003 (Lancashire).
        expect("lancashire-census-sharing", "dfe", "every pupil (statutory census return)", everyone);
        expect("lancashire-census-sharing", "nhs-ncmp", "Reception and Year 6 (NCMP)", ncmpYears);
        expect("lancashire-census-sharing", "nhs-ncmp-research", "Reception and Year 6 (NCMP research)", ncmpYears);
        expect("lancashire-census-sharing", "youth-support", "aged 13 or over on census day, any kind of school", thirteenPlus);
        expect("lancashire-census-sharing", "childrens-trust", "every pupil, pseudonymised statistics", everyone);

        // seeds/004 (Barnet).
        expect("barnet-census-sharing", "youth-support", "aged 13 or over on census day, any kind of school", thirteenPlus);
        expect("barnet-census-sharing", "virtual-school", "looked-after children, any kind of school", p -> p.getLookedAfter().getInCare());
        expect("barnet-census-sharing", "virtual-school-social-worker", "children in need who are not looked after",
                p -> p.getChildInNeed() && !p.getLookedAfter().getInCare());
        expect("barnet-census-sharing", "dfe", "every pupil (statutory census return)", everyone);
        expect("barnet-census-sharing", "post16", "Year 11, any kind of school", ncYears("11"));
        expect("barnet-census-sharing", "nhs-research", "every pupil, pseudonymised statistics", everyone);

        // seeds/002 and seeds/000 (the DfE's onward sharing).
        expect("dfe-onward-sharing", "dh-ncmp", "Reception and Year 6 in primary and middle schools (\"collected in primary and middle schools\")",
                ncmpYears.and(phases(SchoolPhase.PRIMARY, SchoolPhase.MIDDLE_DEEMED_PRIMARY, SchoolPhase.MIDDLE_DEEMED_SECONDARY)));
        expect("dfe-onward-sharing", "ofsted", "every pupil, pseudonymised", everyone);
        expect("dfe-onward-sharing", "skills-funding", "aged 14 or over on census day", fourteenPlus);
        expect("dfe-onward-sharing", "learning-records-service", "aged 14 or over on census day (ULN)", fourteenPlus);
        expect("dfe-onward-sharing", "qcda", "Years 1 to 9 (key stages 1 to 3)", ncYears("1", "2", "3", "4", "5", "6", "7", "8", "9"));
        EXPECTED.put("dfe-onward-sharing/cabinet-office-electoral-pilot", new Expectation(
                "aged 16 to 18 on the decision date, June to November 2011 only",
                p -> {
                    int age = age(p.getDateOfBirth(), LocalDate.of(2011, 10, 10));
                    return age >= 16 && age <= 18;
                }, true));
    }

    private static Predicate<CensusPupil> ncYears(String... years) {
        Set<String> set = Set.of(years);
        return p -> set.contains(p.getEnrolment().getNcYearActual());
    }

    private static Predicate<CensusPupil> phases(SchoolPhase... phases) {
        Set<SchoolPhase> set = EnumSet.copyOf(List.of(phases));
        return p -> set.contains(p.getSchool().getPhase());
    }

    // ---------------------------------------------------------------- the shipped policies

    static List<Path> shippedPolicyFiles() {
        List<Path> files = new ArrayList<>();
        for (Path directory : POLICY_DIRECTORIES) {
            try (Stream<Path> list = Files.list(directory)) {
                list.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private static SharingPolicy load(Path file) {
        return new PolicyLoader().load(file);
    }

    private static synchronized List<CensusPupil> autumn2011() {
        if (autumn2011 == null) {
            autumn2011 = new SyntheticCensus(AUTUMN_2011).stream().toList();
        }
        return autumn2011;
    }

    @Test
    void everyShippedRuleHasACohortAssertion() {
        List<String> missing = new ArrayList<>();
        Set<String> shipped = new TreeSet<>();
        for (Path file : shippedPolicyFiles()) {
            SharingPolicy policy = load(file);
            for (RecipientRule rule : policy.recipients()) {
                String key = policy.id() + "/" + rule.id();
                shipped.add(key);
                if (!EXPECTED.containsKey(key) && !ON_REQUEST.equals(rule.delivery())) {
                    missing.add(file + ": recipient '" + rule.id() + "' (" + rule.name() + ")");
                }
            }
        }

        assertThat(missing).as("shipped rules with no cohort assertion in ShippedCohortsTest.EXPECTED").isEmpty();
        assertThat(EXPECTED.keySet()).as("cohort assertions for rules no shipped policy has").allMatch(shipped::contains);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shippedPolicyFiles")
    void eachRecipientDecidesOnExactlyThePupilsItsNoticeNames(Path file) {
        SharingPolicy policy = load(file);
        SharingEngine engine = engine(policy);
        // One evaluation per pupil and census, checked against every rule.
        List<Evaluation> in2026 = sample().stream().map(pupil -> engine.evaluate(pupil, List.of(), DECIDED_AT)).toList();
        List<Evaluation> in2011 = new ArrayList<>();
        for (RecipientRule rule : policy.recipients()) {
            Expectation expected = EXPECTED.get(policy.id() + "/" + rule.id());
            boolean onRequest = ON_REQUEST.equals(rule.delivery());
            if (expected == null && !onRequest) {
                continue; // named by everyShippedRuleHasACohortAssertion
            }
            boolean of2011 = expected != null && expected.in2011();
            List<CensusPupil> census = of2011 ? autumn2011() : sample();
            if (of2011 && in2011.isEmpty()) {
                census.forEach(pupil -> in2011.add(engine.evaluate(pupil, List.of(), DECIDED_IN_2011)));
            }
            List<Evaluation> evaluations = of2011 ? in2011 : in2026;
            List<String> wrong = new ArrayList<>();
            int in = 0;
            int out = 0;
            for (int i = 0; i < census.size(); i++) {
                CensusPupil pupil = census.get(i);
                boolean decided = find(evaluations.get(i), rule.id()).isPresent();
                // A case-by-case recipient is never part of a census flow, whoever the pupil is.
                boolean shouldBe = !onRequest && expected.inCohort().test(pupil);
                if (decided != shouldBe && wrong.size() < 5) {
                    wrong.add(describe(pupil) + (decided ? " got a decision" : " got none"));
                }
                if (shouldBe) {
                    in++;
                } else {
                    out++;
                }
            }
            String what = file.getFileName() + " " + rule.id() + (onRequest ? " (on request: no census decisions)" : ": " + expected.description());
            assertThat(wrong).as(what).isEmpty();
            if (!onRequest) {
                assertThat(in).as("pupils in the cohort of %s", what).isPositive();
            }
            assertThat(in + out).isEqualTo(census.size());
        }
    }

    @Test
    void theSampleHasEveryKindOfSchoolAndLookedAfterChildrenAndChildrenInNeedInEachKindOfCohort() {
        assertThat(sample()).extracting(p -> p.getSchool().getPhase()).contains(SchoolPhase.PRIMARY, SchoolPhase.MIDDLE_DEEMED_PRIMARY,
                SchoolPhase.MIDDLE_DEEMED_SECONDARY, SchoolPhase.SECONDARY, SchoolPhase.ALL_THROUGH, SchoolPhase.SPECIAL,
                SchoolPhase.ALTERNATIVE_PROVISION);
        assertThat(sample()).filteredOn(p -> p.getLookedAfter().getInCare()).hasSizeGreaterThan(20);
        assertThat(sample()).filteredOn(p -> p.getChildInNeed() && !p.getLookedAfter().getInCare()).hasSizeGreaterThan(100);
        // The edges the age rules turn on are in the 2011 census too.
        assertThat(autumn2011()).anySatisfy(p -> assertThat(age(p.getDateOfBirth(), LocalDate.of(2011, 10, 10))).isEqualTo(18));
        assertThat(autumn2011()).anySatisfy(p -> assertThat(age(p.getDateOfBirth(), LocalDate.of(2011, 10, 10))).isEqualTo(19));
    }

    @Test
    void theElectoralPilotGetsNothingFromA2026Census() {
        SharingEngine engine = engine(load(Path.of("..", "policies", "dfe-onward-sharing.yaml")));

        assertThat(sample()).allSatisfy(pupil ->
                assertThat(find(engine.evaluate(pupil, List.of(), DECIDED_AT), "cabinet-office-electoral-pilot")).isEmpty());
    }

    private static String describe(CensusPupil pupil) {
        return pupil.getIdentity().getUpn() + " (" + pupil.getSchool().getPhase() + ", NC year " + pupil.getEnrolment().getNcYearActual()
                + ", born " + pupil.getDateOfBirth() + (pupil.getLookedAfter().getInCare() ? ", looked after" : "")
                + (pupil.getChildInNeed() ? ", child in need" : "") + ")";
    }
}
