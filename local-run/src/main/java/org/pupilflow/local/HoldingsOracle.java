package org.pupilflow.local;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.pupilflow.census.CensusContext;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.decide.Decision;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * The local run's prediction of the audit trail, from the policy alone: what each decision's outcome is, which
 * recipients already hold a pupil's record (so a second identical record is UNCHANGED), and which deletion requests
 * objections after sharing cause. It runs the same pure policy engine as the router but keeps its own account of what
 * is held (the last record sent, without its envelope), so the end-to-end test checks the router's state against an
 * independent reckoning (it compares records field by field, the router compares digests). Counts are by return, as {@code /audit/summary?returnId=} reports them: a follow-up about a
 * disclosure counts under that disclosure's return.
 */
final class HoldingsOracle {

    /** What a recipient holds: the record's content without its envelope, its fields, and the return it came from. */
    private record Held(byte[] content, List<String> fields, String returnId) {
    }

    private final SharingEngine engine;
    private final Map<String, Held> held = new HashMap<>();
    private final Map<String, CensusPupil> latest = new HashMap<>();
    private final Map<String, Map<String, Map<String, Long>>> byReturn = new TreeMap<>();

    HoldingsOracle(SharingEngine engine) {
        this.engine = engine;
    }

    /** A return routed: every pupil decided with its objections. */
    void routed(List<CensusPupil> pupils, Map<String, List<Objection>> objectionsByUpn, Instant now) {
        for (CensusPupil pupil : pupils) {
            String upn = pupil.getIdentity().getUpn();
            String returnId = pupil.getCensus().getReturnId();
            for (Decision decision : engine.evaluate(pupil, objectionsByUpn.getOrDefault(upn, List.of()), now).decisions()) {
                String key = upn + '|' + decision.recipient().id();
                Held holding = held.get(key);
                if (decision.sendsRecord()) {
                    List<String> fields = decision.disclosure().getDisclosedFields();
                    byte[] content = content(decision.disclosure());
                    if (holding != null && java.util.Arrays.equals(holding.content(), content)) {
                        count(returnId, decision.recipient(), "UNCHANGED");
                        continue;
                    }
                    count(returnId, decision.recipient(), decision.outcome().name());
                    if (holding != null && !fields.containsAll(holding.fields())) {
                        count(holding.returnId(), decision.recipient(), "DELETION_REQUESTED");
                    }
                    held.put(key, new Held(content, fields, returnId));
                } else {
                    count(returnId, decision.recipient(), decision.outcome().name());
                    if (holding != null) {
                        count(holding.returnId(), decision.recipient(), "DELETION_REQUESTED");
                        held.remove(key);
                    }
                }
            }
            latest.put(upn, pupil);
        }
    }

    /** Objections recorded after the pupils were routed: each re-decides the pupil for the recipients in its scope. */
    void objected(List<Objection> objections, Map<String, List<Objection>> objectionsByUpn, Instant now) {
        for (Objection objection : objections) {
            CensusPupil pupil = latest.get(objection.getUpn());
            if (pupil == null) {
                continue;   // audited with no return: nothing held
            }
            Map<String, Decision> decisions = new HashMap<>();
            engine.evaluate(pupil, objectionsByUpn.getOrDefault(objection.getUpn(), List.of()), now).decisions()
                    .forEach(decision -> decisions.put(decision.recipient().id(), decision));
            for (RecipientRule rule : engine.policy().recipients()) {
                if (!rule.coveredByObjectionScope(objection.getScope())) {
                    continue;
                }
                String key = objection.getUpn() + '|' + rule.id();
                Held holding = held.get(key);
                Decision decision = decisions.get(rule.id());
                if (holding == null) {
                    continue;   // nothing held: audited with no return
                }
                if (decision != null && !decision.sendsRecord()) {
                    count(holding.returnId(), rule, "DELETION_REQUESTED");
                    held.remove(key);
                } else if (decision != null && !decision.disclosure().getDisclosedFields().containsAll(holding.fields())) {
                    count(pupil.getCensus().getReturnId(), rule, decision.outcome().name());
                    count(holding.returnId(), rule, "DELETION_REQUESTED");
                    held.put(key, new Held(content(decision.disclosure()), decision.disclosure().getDisclosedFields(), pupil.getCensus().getReturnId()));
                } else {
                    count(holding.returnId(), rule, "UNCHANGED");
                }
            }
        }
    }

    /** Recipient → outcome → audit events, for the return. */
    Map<String, Map<String, Long>> expected(String returnId) {
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        byReturn.getOrDefault(returnId, Map.of()).forEach((recipient, outcomes) -> copy.put(recipient, new TreeMap<>(outcomes)));
        return copy;
    }

    long events(String returnId) {
        return expected(returnId).values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    }

    /** Pupils of a return whose record a recipient that withholds or restricts on objection holds now. */
    List<String> heldByObjectableRecipients(List<CensusPupil> pupils) {
        List<String> upns = new ArrayList<>();
        for (CensusPupil pupil : pupils) {
            String upn = pupil.getIdentity().getUpn();
            boolean objectable = engine.policy().recipients().stream().anyMatch(rule -> held.containsKey(upn + '|' + rule.id())
                    && rule.objections().effect() != org.pupilflow.policy.ObjectionRule.Effect.NOT_APPLICABLE);
            if (objectable) {
                upns.add(upn);
            }
        }
        return upns;
    }

    /**
     * The record without what differs between two sendings of the same content (ids, return, policy version, delete-by),
     * as the contract's bytes: Avro's own equals cannot compare the dates inside these records.
     */
    private static byte[] content(PupilDisclosure disclosure) {
        PupilDisclosure content = PupilDisclosure.newBuilder(disclosure).setDisclosureId("").setReturnId("").setPolicyVersion("")
                .setPolicyContentHash("").setDeleteBy(null).build();
        if (content.getCensus() != null) {
            content.setCensus(CensusContext.newBuilder(content.getCensus()).setReturnId("").build());
        }
        return CONTENT.serialize("oracle", content);
    }

    private static final org.pupilflow.schemas.kafka.AvroSingleObjectSerializer<PupilDisclosure> CONTENT =
            new org.pupilflow.schemas.kafka.AvroSingleObjectSerializer<>(PupilDisclosure.class);

    private void count(String returnId, RecipientRule rule, String outcome) {
        byReturn.computeIfAbsent(returnId, r -> new TreeMap<>()).computeIfAbsent(rule.id(), r -> new TreeMap<>()).merge(outcome, 1L, Long::sum);
    }
}
