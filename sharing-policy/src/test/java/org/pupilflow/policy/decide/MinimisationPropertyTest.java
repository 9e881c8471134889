package org.pupilflow.policy.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pupilflow.policy.decide.EngineFixtures.CENSUS_FIELDS;
import static org.pupilflow.policy.decide.EngineFixtures.DECIDED_AT;
import static org.pupilflow.policy.decide.EngineFixtures.POLICIES;
import static org.pupilflow.policy.decide.EngineFixtures.engine;
import static org.pupilflow.policy.decide.EngineFixtures.randomObjections;
import static org.pupilflow.policy.decide.EngineFixtures.sample;
import static org.pupilflow.policy.decide.EngineFixtures.scopes;
import static org.pupilflow.policy.decide.EngineFixtures.shippedPolicies;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pupilflow.census.Address;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.CensusTerm;
import org.pupilflow.census.Objection;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.policy.CensusUnits;
import org.pupilflow.policy.ObjectionRule;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.sharing.DisclosureOutcome;
import org.pupilflow.sharing.DisclosureRequest;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * Guarantee 3, minimisation, as a property over a whole census: for every shipped policy, every
 * recipient and 10,000 generated pupils (about one in ten with objections), a recipient record
 * carries only census units on that recipient's allow-list (or its restrict-to list when an
 * objection restricts it), and the audit names exactly the units sent. Census fields are taken
 * from the CensusPupil schema, so a field added to the census is covered without editing this test.
 */
class MinimisationPropertyTest {

    private static final double OBJECTION_RATE = 0.10;
    private static final int MAX_REPORTED = 20;

    static List<Path> shipped() {
        return shippedPolicies();
    }

    @Test
    void norfolkIsAmongTheShippedPoliciesAndCanRestrict() {
        // The property below must at least run on the reference policy, which has a restricting rule.
        assertThat(shippedPolicies()).contains(POLICIES.resolve("norfolk.yaml"));
        assertThat(EngineFixtures.norfolk().recipients()).anyMatch(r -> r.objections().effect() == ObjectionRule.Effect.RESTRICT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shipped")
    void everyRecipientRecordCarriesOnlyItsAllowListAndTheAuditNamesExactlyWhatWasSent(Path file) {
        SharingPolicy policy = new PolicyLoader().load(file);
        SharingEngine engine = engine(policy);
        Coverage coverage = new Coverage(policy);
        List<String> violations = new ArrayList<>();

        for (Run run : runs(policy)) {
            SplittableRandom random = new SplittableRandom(20260201L + run.decisionDate().toEpochDay());
            for (CensusPupil pupil : run.census()) {
                List<Objection> objections = randomObjections(random, pupil, scopes(policy), run.decisionDate(), OBJECTION_RATE);
                coverage.pupil(!objections.isEmpty());
                for (Decision decision : engine.evaluate(pupil, objections, run.decidedAt()).decisions()) {
                    coverage.decision(decision);
                    check(decision, pupil, violations);
                }
                // Case-by-case recipients get nothing from the census flow; a request about the pupil is minimised the same way.
                if (random.nextInt(20) == 0) {
                    for (RecipientRule rule : policy.recipients().stream().filter(RecipientRule::deliveredOnRequest).toList()) {
                        Decision decision = engine.decideOnRequest(request(rule, pupil, run.decidedAt()), pupil, objections, run.decidedAt());
                        coverage.decision(decision);
                        check(decision, pupil, violations);
                    }
                }
            }
        }

        assertThat(violations).as("minimisation violations in %s (first %d)", file.getFileName(), MAX_REPORTED).isEmpty();
        coverage.assertNotVacuous();
    }

    /** An approved request about the pupil relying on the rule's first legal basis, with as many officers as the rule needs. */
    private static DisclosureRequest request(RecipientRule rule, CensusPupil pupil, Instant at) {
        List<String> officers = rule.onRequest().needsSecondApprover() ? List.of("officer-1", "officer-2") : List.of("officer-1");
        return DisclosureRequest.newBuilder().setRequestId("REQ-" + pupil.getIdentity().getUpn()).setUpn(pupil.getIdentity().getUpn())
                .setRecipientId(rule.id()).setCaseReference("CASE-1").setPurpose("property test").setLegalBasis(rule.onRequest().legalBases().get(0))
                .setRequestedBy("officer-1").setApprovedBy(officers).setPupilCount(1).setRequestedAt(at).setApprovedAt(at).build();
    }

    /** The property for one decision; violations are collected so a failure shows several examples. */
    private static void check(Decision decision, CensusPupil pupil, List<String> violations) {
        RecipientRule rule = decision.recipient();
        String where = rule.id() + " / " + pupil.getIdentity().getUpn() + " / " + decision.outcome();
        PupilDisclosure record = decision.disclosure();
        List<String> fieldsDisclosed = decision.event().getFieldsDisclosed();

        if (decision.outcome() == DisclosureOutcome.WITHHELD) {
            expect(record == null, where + ": a WITHHELD decision sent a record", violations);
            expect(fieldsDisclosed.isEmpty(), where + ": a WITHHELD decision audits fields " + fieldsDisclosed, violations);
            return;
        }
        if (record == null) {
            violations.add(where + ": no record although not withheld");
            return;
        }
        List<String> allowed = decision.outcome() == DisclosureOutcome.RESTRICTED ? rule.objections().restrictTo() : rule.fields();
        for (String field : CENSUS_FIELDS) {
            if (!allowed.contains(field) && record.getSchema().getField(field) != null && record.get(field) != null) {
                violations.add(where + ": carries '" + field + "', which is not on its list " + allowed);
            }
        }
        for (String field : record.getDisclosedFields()) {
            expect(allowed.contains(field), where + ": lists '" + field + "' as disclosed, which is not on its list " + allowed, violations);
            // What the record says it carries, it carries: the pupil's own value (the address of a
            // pseudonymised record is reduced, checked below).
            Object sent = record.getSchema().getField(field) == null ? null : record.get(field);
            boolean same = rule.pseudonymised() && field.equals("address") ? sent != null : Objects.equals(sent, pupil.get(field));
            expect(same, where + ": '" + field + "' is listed but not the pupil's value", violations);
        }
        expect(record.getDisclosedFields().equals(fieldsDisclosed),
                where + ": the audit names " + fieldsDisclosed + " but the record lists " + record.getDisclosedFields(), violations);
        if (rule.pseudonymised()) {
            for (String identifier : CensusUnits.DIRECT_IDENTIFIERS) {
                expect(record.get(identifier) == null, where + ": pseudonymised record carries " + identifier, violations);
            }
            Address address = record.getAddress();
            expect(address == null || (address.getLines().isEmpty() && address.getTown() == null && address.getUprn() == null),
                    where + ": pseudonymised record carries more than a postcode district: " + address, violations);
            expect(record.getPupilPseudonym() != null && !record.getPupilPseudonym().equals(pupil.getIdentity().getUpn()),
                    where + ": pseudonymised record without a pseudonym", violations);
        } else {
            expect(record.getPupilPseudonym() == null, where + ": identified record carries a pseudonym", violations);
        }
    }

    private static void expect(boolean holds, String violation, List<String> violations) {
        if (!holds && violations.size() < MAX_REPORTED) {
            violations.add(violation);
        }
    }

    /**
     * When to decide: on the fixed decision date against the spring 2026 census, plus, for every
     * time-boxed recipient not in force then (the 2011 electoral pilot), a date inside its window
     * against the census of that academic year, so every recipient is exercised.
     */
    private static List<Run> runs(SharingPolicy policy) {
        Map<LocalDate, Run> runs = new LinkedHashMap<>();
        runs.put(EngineFixtures.DECISION_DATE, new Run(DECIDED_AT, EngineFixtures.DECISION_DATE, sample()));
        for (RecipientRule rule : policy.recipients()) {
            if (!rule.inForceOn(EngineFixtures.DECISION_DATE)) {
                LocalDate inWindow = rule.validFrom() != null ? rule.validFrom() : rule.validUntil();
                int academicYear = inWindow.getMonthValue() >= 9 ? inWindow.getYear() : inWindow.getYear() - 1;
                runs.computeIfAbsent(inWindow, date -> new Run(EngineFixtures.at(date), date,
                        new SyntheticCensus(new CensusSpec(CensusSpec.DEFAULT_SEED, sample().size(), CensusSpec.DEFAULT_LA, academicYear,
                                CensusTerm.SPRING, null)).stream().toList()));
            }
        }
        return List.copyOf(runs.values());
    }

    private record Run(Instant decidedAt, LocalDate decisionDate, List<CensusPupil> census) {
    }

    /** What the run exercised, so the property cannot pass on an empty or one-sided sample. */
    private static final class Coverage {
        private final SharingPolicy policy;
        private final Map<String, Integer> recordsByRecipient = new TreeMap<>();
        private final Set<DisclosureOutcome> outcomes = EnumSet.noneOf(DisclosureOutcome.class);
        private int pupils;
        private int pupilsWithObjections;
        private int restricted;

        Coverage(SharingPolicy policy) {
            this.policy = policy;
            policy.recipients().forEach(r -> recordsByRecipient.put(r.id(), 0));
        }

        void pupil(boolean withObjections) {
            pupils++;
            if (withObjections) {
                pupilsWithObjections++;
            }
        }

        void decision(Decision decision) {
            outcomes.add(decision.outcome());
            if (decision.sendsRecord()) {
                recordsByRecipient.merge(decision.recipient().id(), 1, Integer::sum);
            }
            if (decision.outcome() == DisclosureOutcome.RESTRICTED) {
                restricted++;
            }
        }

        void assertNotVacuous() {
            assertThat(pupilsWithObjections).as("pupils with objections out of %d", pupils)
                    .isBetween((int) (pupils * OBJECTION_RATE * 0.8), (int) (pupils * OBJECTION_RATE * 1.2));
            assertThat(recordsByRecipient).as("records sent per recipient of %s", policy.id()).allSatisfy((id, records) -> assertThat(records).as(id).isPositive());
            Set<DisclosureOutcome> possible = new LinkedHashSet<>(List.of(DisclosureOutcome.DISCLOSED));
            for (RecipientRule rule : policy.recipients()) {
                if (rule.objections().effect() == ObjectionRule.Effect.WITHHOLD) {
                    possible.add(DisclosureOutcome.WITHHELD);
                }
                if (rule.objections().effect() == ObjectionRule.Effect.RESTRICT) {
                    possible.add(DisclosureOutcome.RESTRICTED);
                }
            }
            assertThat(outcomes).as("outcomes produced under %s", policy.id()).containsAll(possible);
            if (possible.contains(DisclosureOutcome.RESTRICTED)) {
                assertThat(restricted).as("restricted records under %s", policy.id()).isPositive();
            }
        }
    }
}
