package org.pupilflow.adapters.filedrop;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pupilflow.census.CensusPupil;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.decide.Decision;
import org.pupilflow.policy.decide.Pseudonymiser;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * Realistic disclosures: Norfolk's shipped policy applied to a synthetic census, decided at a fixed
 * time. 2,500 pupils, because schools are generated three primaries to one secondary and the first
 * secondary (youth-support, post16) only starts after ~1,000 primary pupils.
 */
final class NorfolkDisclosures {

    static final Instant DECIDED_AT = Instant.parse("2026-01-22T10:00:00Z");
    static final SharingPolicy POLICY = new PolicyLoader().load(Path.of("../policies/norfolk.yaml"));
    private static final Map<String, List<PupilDisclosure>> BY_RECIPIENT = decide();

    private NorfolkDisclosures() {
    }

    /** Fresh copies, so a test may change them. */
    static List<PupilDisclosure> of(String recipientId) {
        return BY_RECIPIENT.getOrDefault(recipientId, List.of()).stream().map(d -> PupilDisclosure.newBuilder(d).build()).toList();
    }

    static RecipientRule rule(String recipientId) {
        return POLICY.recipients().stream().filter(rule -> rule.id().equals(recipientId)).findFirst().orElseThrow();
    }

    private static Map<String, List<PupilDisclosure>> decide() {
        SharingEngine engine = new SharingEngine(POLICY, new Pseudonymiser(new byte[32]));
        Map<String, List<PupilDisclosure>> byRecipient = new LinkedHashMap<>();
        for (CensusPupil pupil : new SyntheticCensus(CensusSpec.of(2500))) {
            for (Decision decision : engine.evaluate(pupil, List.of(), DECIDED_AT).decisions()) {
                if (decision.sendsRecord()) {
                    byRecipient.computeIfAbsent(decision.recipient().id(), id -> new ArrayList<>()).add(decision.disclosure());
                }
            }
        }
        return byRecipient;
    }
}
