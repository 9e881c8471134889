package org.pupilflow.policy.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pupilflow.policy.decide.EngineFixtures.CENSUS_FIELDS;
import static org.pupilflow.policy.decide.EngineFixtures.DECIDED_AT;
import static org.pupilflow.policy.decide.EngineFixtures.DECISION_DATE;
import static org.pupilflow.policy.decide.EngineFixtures.age;
import static org.pupilflow.policy.decide.EngineFixtures.decision;
import static org.pupilflow.policy.decide.EngineFixtures.engine;
import static org.pupilflow.policy.decide.EngineFixtures.first;
import static org.pupilflow.policy.decide.EngineFixtures.norfolk;
import static org.pupilflow.policy.decide.EngineFixtures.objection;
import static org.pupilflow.policy.decide.EngineFixtures.randomObjections;
import static org.pupilflow.policy.decide.EngineFixtures.sample;
import static org.pupilflow.policy.decide.EngineFixtures.scopes;
import static org.pupilflow.policy.decide.EngineFixtures.secondary;
import static org.pupilflow.policy.decide.EngineFixtures.upn;
import static org.pupilflow.policy.decide.EngineFixtures.withdrawnOn;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Month;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.census.ObjectionRaisedBy;
import org.pupilflow.policy.ObjectionRule;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.sharing.DisclosureOutcome;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * Guarantee 4, objections win: whenever an objection counts under a rule (in scope, not withdrawn
 * by the decision date, raised by someone the rule lets object at the age the pupil was), a
 * withhold rule sends nothing and a restrict rule sends only its restricted units, and the audit
 * says so with the objection. Whether an objection counts is worked out here from the policy,
 * independently of the engine, and compared with what the engine decided.
 */
class ObjectionsWinTest {

    /** Higher than the minimisation property's 10%: this test is about objections. */
    private static final double OBJECTION_RATE = 0.25;

    static List<Path> shipped() {
        return EngineFixtures.shippedPolicies();
    }

    /** What an objection came to under one rule, for the coverage check. */
    private enum Case { WITHHELD, RESTRICTED, STATUTORY, REFUSED_BY_WHO_OR_AGE, WITHDRAWN }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shipped")
    void anObjectionThatCountsAlwaysWithholdsOrRestrictsAndOneThatDoesNotNeverDoes(Path file) {
        SharingPolicy policy = new PolicyLoader().load(file);
        SharingEngine engine = engine(policy);
        SplittableRandom random = new SplittableRandom(4);
        Map<Case, Integer> seen = new EnumMap<>(Case.class);

        for (CensusPupil pupil : sample()) {
            List<Objection> objections = randomObjections(random, pupil, scopes(policy), DECISION_DATE, OBJECTION_RATE);
            if (objections.isEmpty()) {
                continue;
            }
            for (Decision decision : engine.evaluate(pupil, objections, DECIDED_AT).decisions()) {
                RecipientRule rule = decision.recipient();
                List<Objection> inScope = objections.stream().filter(o -> inScope(o, rule)).toList();
                List<Objection> standing = inScope.stream().filter(o -> !withdrawn(o)).toList();
                List<Objection> counting = standing.stream().filter(o -> counts(o, rule, pupil)).toList();
                String where = rule.id() + " / " + upn(pupil) + " / " + inScope;

                // The audit lists every objection it considered: in scope and not withdrawn.
                assertThat(decision.event().getObjectionIds()).as(where)
                        .containsExactlyInAnyOrderElementsOf(standing.stream().map(Objection::getObjectionId).toList());
                if (standing.size() < inScope.size()) {
                    count(seen, Case.WITHDRAWN);
                }
                if (counting.isEmpty()) {
                    assertThat(decision.outcome()).as(where).isEqualTo(DisclosureOutcome.DISCLOSED);
                    if (!standing.isEmpty()) {
                        count(seen, rule.objections().effect() == ObjectionRule.Effect.NOT_APPLICABLE ? Case.STATUTORY : Case.REFUSED_BY_WHO_OR_AGE);
                    }
                    continue;
                }
                switch (rule.objections().effect()) {
                    case WITHHOLD -> {
                        assertThat(decision.outcome()).as(where).isEqualTo(DisclosureOutcome.WITHHELD);
                        assertThat(decision.disclosure()).as(where).isNull();
                        assertThat(decision.event().getFieldsDisclosed()).as(where).isEmpty();
                        count(seen, Case.WITHHELD);
                    }
                    case RESTRICT -> {
                        assertThat(decision.outcome()).as(where).isEqualTo(DisclosureOutcome.RESTRICTED);
                        assertOnly(decision.disclosure(), rule.objections().restrictTo(), where);
                        assertThat(decision.event().getFieldsDisclosed()).as(where)
                                .containsExactlyElementsOf(CENSUS_FIELDS.stream().filter(rule.objections().restrictTo()::contains).toList());
                        count(seen, Case.RESTRICTED);
                    }
                    case NOT_APPLICABLE -> {
                        assertThat(decision.outcome()).as(where).isEqualTo(DisclosureOutcome.DISCLOSED);
                        assertThat(decision.event().getReason()).as(where).startsWith("objection not applicable: statutory");
                        count(seen, Case.STATUTORY);
                    }
                }
                assertThat(decision.event().getOutcome()).as(where).isEqualTo(decision.outcome());
                for (Objection objection : counting) {
                    // "with the reason": the DPO must be able to point at the letter.
                    assertThat(decision.event().getReason()).as(where).contains(objection.getObjectionId());
                }
            }
        }

        // Every branch the policy has was exercised, so the test cannot pass on a sample that missed it.
        assertThat(seen).as("cases exercised under %s", policy.id()).containsKeys(Case.REFUSED_BY_WHO_OR_AGE, Case.WITHDRAWN);
        for (RecipientRule rule : policy.recipients()) {
            Case expected = switch (rule.objections().effect()) {
                case WITHHOLD -> Case.WITHHELD;
                case RESTRICT -> Case.RESTRICTED;
                case NOT_APPLICABLE -> Case.STATUTORY;
            };
            if (rule.inForceOn(DECISION_DATE)) {
                assertThat(seen).as("cases exercised under %s (rule %s)", policy.id(), rule.id()).containsKey(expected);
            }
        }
    }

    @Test
    void anObjectionThatCountsWinsOverOthersThatDoNotWhateverTheirOrder() {
        SharingEngine engine = engine(norfolk());
        CensusPupil pupil = first("secondary Year 9 pupil", secondary("9"));
        // The pupil is 13 or 14: their own objection does not count yet, a withdrawn one never does.
        Objection tooYoung = objection("OBJ-O-1", pupil, "youth-support", ObjectionRaisedBy.PUPIL, LocalDate.of(2025, 12, 1));
        Objection withdrawn = withdrawnOn(objection("OBJ-O-2", pupil, "all", ObjectionRaisedBy.PARENT, LocalDate.of(2024, 5, 1)),
                LocalDate.of(2025, 1, 10));
        Objection parents = objection("OBJ-O-3", pupil, "youth-support", ObjectionRaisedBy.PARENT, LocalDate.of(2025, 11, 20));

        List<Objection> objections = new ArrayList<>(List.of(tooYoung, withdrawn, parents));
        for (int rotation = 0; rotation < objections.size(); rotation++) {
            Collections.rotate(objections, 1);
            Decision youthSupport = decision(engine.evaluate(pupil, List.copyOf(objections), DECIDED_AT), "youth-support");
            assertThat(youthSupport.outcome()).as("order %s", objections).isEqualTo(DisclosureOutcome.RESTRICTED);
            assertThat(youthSupport.event().getReason()).contains("OBJ-O-3");
        }
        // Without the parent's objection, nothing counts.
        assertThat(decision(engine.evaluate(pupil, List.of(tooYoung, withdrawn), DECIDED_AT), "youth-support").outcome())
                .isEqualTo(DisclosureOutcome.DISCLOSED);
    }

    @Test
    void theRouterMayPassEveryLoadedObjectionAndEachPupilIsDecidedOnlyByTheirOwn() {
        // The router's objection store holds everyone's objections; the engine must pick the pupil's by UPN.
        SharingPolicy norfolk = norfolk();
        SharingEngine engine = engine(norfolk);
        List<CensusPupil> pupils = sample().subList(0, 2000);
        SplittableRandom random = new SplittableRandom(7);
        List<List<Objection>> own = pupils.stream().map(p -> randomObjections(random, p, scopes(norfolk), DECISION_DATE, OBJECTION_RATE)).toList();
        List<Objection> everyone = own.stream().flatMap(List::stream).toList();

        int affected = 0;
        for (int i = 0; i < pupils.size(); i++) {
            List<Decision> alone = engine.evaluate(pupils.get(i), own.get(i), DECIDED_AT).decisions();
            List<Decision> amongAll = engine.evaluate(pupils.get(i), everyone, DECIDED_AT).decisions();
            assertThat(amongAll).extracting(Decision::event).as(upn(pupils.get(i))).isEqualTo(alone.stream().map(Decision::event).toList());
            if (alone.stream().anyMatch(d -> d.outcome() != DisclosureOutcome.DISCLOSED)) {
                affected++;
            }
        }

        assertThat(everyone).hasSizeGreaterThan(400);
        assertThat(affected).isGreaterThan(50);
    }

    private static void assertOnly(PupilDisclosure record, List<String> units, String where) {
        assertThat(record).as(where).isNotNull();
        for (String field : CENSUS_FIELDS) {
            if (!units.contains(field) && record.getSchema().getField(field) != null) {
                assertThat(record.get(field)).as(where + ": " + field).isNull();
            }
        }
        assertThat(units).as(where).containsAll(record.getDisclosedFields());
    }

    private static boolean inScope(Objection objection, RecipientRule rule) {
        // A variant (e.g. a pseudonymised research extract) is covered by an objection to its main rule.
        return objection.getScope().equals(rule.id()) || objection.getScope().equals("all") || objection.getScope().equals(rule.variantOf());
    }

    /** Withdrawn on or before the decision date (a withdrawal with no date counts as already withdrawn). */
    private static boolean withdrawn(Objection objection) {
        return objection.getWithdrawn() && (objection.getWithdrawnDate() == null || !objection.getWithdrawnDate().isAfter(DECISION_DATE));
    }

    /** Whether the rule lets whoever raised the objection object, at the pupil's age when it was received. */
    private static boolean counts(Objection objection, RecipientRule rule, CensusPupil pupil) {
        ObjectionRule who = rule.objections();
        LocalDate born = pupil.getDateOfBirth();
        int ageWhenReceived = age(born, objection.getReceivedDate());
        if (objection.getRaisedBy() == ObjectionRaisedBy.PARENT) {
            boolean inTime = who.parentMayObjectBelowAge() == null || ageWhenReceived < who.parentMayObjectBelowAge();
            boolean notLapsed = who.parentObjectionLapsesAtAge() == null || age(born, ageDate(rule, pupil)) < who.parentObjectionLapsesAtAge();
            return inTime && notLapsed;
        }
        return who.pupilMayObjectFromAge() != null && ageWhenReceived >= who.pupilMayObjectFromAge();
    }

    private static LocalDate ageDate(RecipientRule rule, CensusPupil pupil) {
        LocalDate censusDay = pupil.getCensus().getCensusDay();
        return switch (rule.cohort().ageMeasuredOn()) {
            case CENSUS_DAY -> censusDay;
            case DECISION_DATE -> DECISION_DATE;
            case START_OF_ACADEMIC_YEAR -> LocalDate.of(censusDay.getMonthValue() >= 9 ? censusDay.getYear() : censusDay.getYear() - 1, Month.AUGUST, 31);
        };
    }

    private static void count(Map<Case, Integer> seen, Case kind) {
        seen.merge(kind, 1, Integer::sum);
    }
}
