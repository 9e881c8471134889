package org.pupilflow.policy.decide;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.pupilflow.census.Address;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.census.ObjectionRaisedBy;
import org.pupilflow.policy.Cohort;
import org.pupilflow.policy.ObjectionRule;
import org.pupilflow.policy.Pseudonymisation;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.RetentionRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.sharing.DeletionDue;
import org.pupilflow.sharing.DeletionRequest;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureRequest;
import org.pupilflow.sharing.DisclosureOutcome;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * Applies a sharing policy to one pupil: the pure function
 * {@code (pupil, objections, decision time) -> decisions} that the router runs for every census
 * record and census-ingest runs for dry-run previews. No I/O, no clock, no framework: the same
 * inputs always give the same decisions (and the same disclosure ids).
 */
public final class SharingEngine {

    /** Dates in English law: the decision date is the date in London. */
    public static final ZoneId DECISION_ZONE = ZoneId.of("Europe/London");

    private final SharingPolicy policy;
    private final List<CompiledRule> rules;
    private final List<CompiledRule> onRequestRules;
    /** Each pseudonymised recipient's own pseudonymiser, by recipient id. */
    private final Map<String, Pseudonymiser> pseudonymisers;
    private final Pseudonymiser pseudonymiser;
    private final Integer pseudonymKeyVersion;

    /** An engine whose pseudonym key is version {@value #FIRST_KEY_VERSION}. */
    public SharingEngine(SharingPolicy policy, Pseudonymiser pseudonymiser) {
        this(policy, pseudonymiser, FIRST_KEY_VERSION);
    }

    /** The version of a deployment's first pseudonymisation master key; each rotation takes the next. */
    public static final int FIRST_KEY_VERSION = 1;

    /**
     * @param pseudonymiser       keyed with the master key: disclosure ids, and each pseudonymised recipient's own key
     *                            ({@link Pseudonymiser#forRecipient}); required when the policy has a pseudonymised
     *                            recipient. Without one, disclosure ids are random.
     * @param pseudonymKeyVersion the master key's version, recorded with every pseudonym (audit event and recipient
     *                            record) so a recipient can tell that a rotation changed every pseudonym
     */
    public SharingEngine(SharingPolicy policy, Pseudonymiser pseudonymiser, int pseudonymKeyVersion) {
        this.policy = Objects.requireNonNull(policy, "policy");
        List<String> pseudonymised = policy.recipients().stream().filter(RecipientRule::pseudonymised).map(RecipientRule::id).toList();
        if (!pseudonymised.isEmpty() && pseudonymiser == null) {
            throw new IllegalArgumentException("Policy " + policy.id() + " has pseudonymised recipients " + pseudonymised
                    + ": a pseudonymisation key must be configured");
        }
        if (pseudonymKeyVersion < FIRST_KEY_VERSION) {
            throw new IllegalArgumentException("The pseudonym key version must be at least " + FIRST_KEY_VERSION + ", was " + pseudonymKeyVersion);
        }
        this.pseudonymiser = pseudonymiser;
        this.pseudonymKeyVersion = pseudonymKeyVersion;
        List<CompiledRule> compiled = policy.recipients().stream().map(rule -> compile(rule, policy, pseudonymiser)).toList();
        // Case-by-case recipients never receive the census flow: only decideOnRequest reaches them.
        this.rules = compiled.stream().filter(c -> !c.rule().deliveredOnRequest()).toList();
        this.onRequestRules = compiled.stream().filter(c -> c.rule().deliveredOnRequest()).toList();
        // Recipient ids are unique in a loaded policy, so each pseudonymised recipient has exactly one entry.
        this.pseudonymisers = compiled.stream().filter(c -> c.pseudonyms() != null)
                .collect(java.util.stream.Collectors.toUnmodifiableMap(c -> c.rule().id(), CompiledRule::pseudonyms));
    }

    public SharingPolicy policy() {
        return policy;
    }

    /**
     * @param objections the pupil's objections (others are ignored), withdrawn ones included
     * @param decidedAt  when the decision is made: sets the decision date for validity windows,
     *                   withdrawals and delete-by periods
     */
    public Evaluation evaluate(CensusPupil pupil, List<Objection> objections, Instant decidedAt) {
        LocalDate decisionDate = decisionDate(decidedAt);
        String upn = pupil.getIdentity().getUpn();
        List<Decision> decisions = new ArrayList<>(rules.size());
        List<RecipientRule> outOfCohort = new ArrayList<>(rules.size());
        List<RecipientRule> notInForce = new ArrayList<>(0);
        // The same for every recipient: computed once per pupil, when the first decision needs it.
        LocalDate retainUntil = null;
        boolean retainUntilKnown = false;
        Pseudonymiser.IdPrefix ids = null;
        for (CompiledRule compiled : rules) {
            RecipientRule rule = compiled.rule();
            if (!rule.inForceOn(decisionDate)) {
                notInForce.add(rule);
                continue;
            }
            LocalDate ageDate = ageMeasuredOn(rule.cohort(), pupil, decisionDate);
            if (!inCohort(rule.cohort(), pupil, ageDate)) {
                outOfCohort.add(rule);
                continue;
            }
            if (!retainUntilKnown) {
                retainUntil = retainUntil(pupil, decisionDate);
                retainUntilKnown = true;
                ids = pseudonymiser == null ? null : pseudonymiser.idPrefix(pupil.getCensus().getReturnId() + '|' + upn);
            }
            decisions.add(decide(compiled, pupil, upn, relevant(objections, upn, rule, decisionDate), ageDate, decisionDate, decidedAt, retainUntil, ids));
        }
        return new Evaluation(decisions, outOfCohort, notInForce);
    }

    /** Why a named pupil of a case-by-case request cannot be routed at all (the router dead-letters it), or empty. */
    public java.util.Optional<String> unroutableRequest(DisclosureRequest request) {
        RecipientRule rule = policy.recipient(request.getRecipientId()).orElse(null);
        if (rule == null) {
            return java.util.Optional.of("recipient '" + request.getRecipientId() + "' is not in policy " + policy.id() + " " + policy.version());
        }
        if (!rule.deliveredOnRequest()) {
            return java.util.Optional.of("recipient '" + rule.id() + "' receives the census flow (delivery: " + rule.delivery()
                    + "), not case-by-case disclosures (delivery: on-request)");
        }
        return java.util.Optional.empty();
    }

    /**
     * The decision on one named pupil of an approved case-by-case request to a recipient whose rule says
     * {@code delivery: on-request}: the same decision as for a census record (the rule's validity, cohort, allow-list,
     * objections and audit), on the pupil's latest census record. Withheld, with the reason, when the request does not
     * meet its rule (a legal basis the rule does not allow, no case reference, too few different approvers) or when
     * there is no census record of the pupil. Every event carries the request id, case reference, purpose, requester
     * and approvers.
     *
     * @param pupil the pupil's latest census record, or null when there is none
     * @throws IllegalArgumentException when {@link #unroutableRequest} says why
     */
    public Decision decideOnRequest(DisclosureRequest request, CensusPupil pupil, List<Objection> objections, Instant decidedAt) {
        unroutableRequest(request).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        CompiledRule compiled = onRequestRules.stream().filter(c -> c.rule().id().equals(request.getRecipientId())).findFirst().orElseThrow();
        RecipientRule rule = compiled.rule();
        LocalDate decisionDate = LocalDate.ofInstant(decidedAt, DECISION_ZONE);
        String upn = request.getUpn();
        long approvers = request.getApprovedBy().stream().distinct().count();
        String refusal = null;
        if (!rule.onRequest().allows(request.getLegalBasis())) {
            refusal = "the request relies on '" + request.getLegalBasis() + "', which is not a legal basis rule " + rule.id() + " allows ("
                    + String.join("; ", rule.onRequest().legalBases()) + ")";
        } else if (request.getCaseReference() == null || request.getCaseReference().isBlank()) {
            refusal = "the request has no case reference";
        } else if (approvers < rule.onRequest().approvals()) {
            refusal = "rule " + rule.id() + " needs the approval of " + rule.onRequest().approvals() + " different officers, the request has " + approvers;
        } else if (pupil == null) {
            refusal = "no census record of this pupil, so there is nothing to disclose";
        } else if (!upn.equals(pupil.getIdentity().getUpn())) {
            throw new IllegalArgumentException("census record of " + pupil.getIdentity().getUpn() + " given for requested pupil " + upn);
        } else if (!rule.inForceOn(decisionDate)) {
            refusal = "the agreement with " + rule.id() + " is not in force on " + decisionDate;
        }
        Decision decision;
        if (refusal != null) {
            DisclosureEvent event = followUpEvent(rule, upn, disclosureId(idPrefix("request:" + request.getRequestId(), upn), compiled, DisclosureOutcome.WITHHELD, List.of()),
                    DisclosureOutcome.WITHHELD, "withheld: " + refusal, pupil == null ? NO_RETURN : pupil.getCensus().getReturnId(), decidedAt);
            event.setPupilPseudonym(null);
            event.setPseudonymised(false);
            event.setRetainUntil(pupil == null ? null : retainUntil(pupil, decisionDate));
            decision = new Decision(rule, DisclosureOutcome.WITHHELD, null, null, event);
        } else {
            LocalDate ageDate = ageMeasuredOn(rule.cohort(), pupil, decisionDate);
            if (!inCohort(rule.cohort(), pupil, ageDate)) {
                DisclosureEvent event = followUpEvent(rule, upn, disclosureId(idPrefix("request:" + request.getRequestId(), upn), compiled,
                        DisclosureOutcome.WITHHELD, List.of()), DisclosureOutcome.WITHHELD, "withheld: the pupil is not in the cohort of rule " + rule.id(), pupil.getCensus().getReturnId(), decidedAt);
                event.setPupilPseudonym(null);
                event.setPseudonymised(false);
                event.setAgeMeasuredOn(ageDate);
                event.setRetainUntil(retainUntil(pupil, decisionDate));
                decision = new Decision(rule, DisclosureOutcome.WITHHELD, null, null, event);
            } else {
                decision = decide(compiled, pupil, upn, relevant(objections, upn, rule, decisionDate), ageDate, decisionDate, decidedAt,
                        retainUntil(pupil, decisionDate), idPrefix("request:" + request.getRequestId(), upn));
            }
        }
        String context = "case-by-case request " + request.getRequestId() + " (case " + request.getCaseReference() + ", legal basis " + request.getLegalBasis() + "): ";
        DisclosureEvent event = decision.event();
        event.setReason(context + event.getReason());
        event.setLegalBasis(request.getLegalBasis());
        event.setRequestId(request.getRequestId());
        event.setCaseReference(request.getCaseReference());
        event.setRequestPurpose(request.getPurpose());
        event.setRequestedBy(request.getRequestedBy());
        event.setApprovedBy(List.copyOf(request.getApprovedBy()));
        if (decision.disclosure() != null) {
            decision.disclosure().setLegalBasis(request.getLegalBasis());
            decision.disclosure().setRequestId(request.getRequestId());
            decision.disclosure().setCaseReference(request.getCaseReference());
        }
        return decision;
    }

    /**
     * What a case-by-case recipient that holds a disclosure about the pupil may still hold now, under the pupil's current
     * objections: the rule's allow-list, restricted or withheld as any decision. The router uses it to follow an objection
     * up (a deletion request, or a restricted replacement); it is never a new disclosure for a case.
     */
    public Decision reconsiderOnRequest(RecipientRule rule, CensusPupil pupil, List<Objection> objections, Instant decidedAt) {
        CompiledRule compiled = onRequestRules.stream().filter(c -> c.rule().id().equals(rule.id())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("recipient '" + rule.id() + "' is not a case-by-case recipient"));
        LocalDate decisionDate = LocalDate.ofInstant(decidedAt, DECISION_ZONE);
        String upn = pupil.getIdentity().getUpn();
        return decide(compiled, pupil, upn, relevant(objections, upn, rule, decisionDate), ageMeasuredOn(rule.cohort(), pupil, decisionDate),
                decisionDate, decidedAt, retainUntil(pupil, decisionDate), idPrefix("held-by-on-request-recipient", upn));
    }

    private Decision decide(CompiledRule compiled, CensusPupil pupil, String upn, List<Objection> objections,
                            LocalDate ageDate, LocalDate decisionDate, Instant decidedAt, LocalDate retainUntil, Pseudonymiser.IdPrefix ids) {
        RecipientRule rule = compiled.rule();
        ObjectionRule objectionRule = rule.objections();
        // Most pupils have no objection: skip building anything for them on this hot path.
        List<String> objectionIds = objections.isEmpty() ? List.of() : objections.stream().map(Objection::getObjectionId).toList();

        DisclosureOutcome outcome = DisclosureOutcome.DISCLOSED;
        Projection projection = compiled.full();
        String reason = "in cohort";
        if (!objections.isEmpty()) {
            if (objectionRule.effect() == ObjectionRule.Effect.NOT_APPLICABLE) {
                reason = "objection not applicable: statutory (" + describe(objections) + ")";
            } else {
                List<Objection> standing = new ArrayList<>(objections.size());
                List<String> notApplied = new ArrayList<>(0);
                for (Objection objection : objections) {
                    String refusal = refusal(objection, objectionRule, pupil.getDateOfBirth(), ageDate);
                    if (refusal == null) {
                        standing.add(objection);
                    } else {
                        notApplied.add("objection " + objection.getObjectionId() + " not applied: " + refusal);
                    }
                }
                if (!standing.isEmpty()) {
                    if (objectionRule.effect() == ObjectionRule.Effect.WITHHOLD) {
                        outcome = DisclosureOutcome.WITHHELD;
                        projection = null;
                        reason = describe(standing) + ": withheld";
                    } else {
                        outcome = DisclosureOutcome.RESTRICTED;
                        projection = compiled.restricted();
                        reason = describe(standing) + ": restricted to " + String.join(", ", projection.fields());
                    }
                } else {
                    reason = "in cohort; " + String.join("; ", notApplied);
                }
            }
        }

        String disclosureId = disclosureId(ids, compiled, outcome, objectionIds);
        String pseudonym = compiled.pseudonyms() != null ? compiled.pseudonyms().pseudonym(upn) : null;
        String recordKey = pseudonym != null ? pseudonym : projection != null && projection.hasIdentity() ? upn : disclosureId;
        LocalDate deleteBy = rule.deleteBy() == null ? null : rule.deleteBy().forDisclosureOn(decisionDate);

        PupilDisclosure disclosure = null;
        if (projection != null) {
            disclosure = projection.project(pupil);
            disclosure.setDisclosureId(disclosureId);
            disclosure.setRecipientId(rule.id());
            disclosure.setPolicyId(policy.id());
            disclosure.setPolicyVersion(policy.version());
            disclosure.setPolicyContentHash(policy.contentHash());
            disclosure.setLegalBasis(rule.legalBasis());
            disclosure.setReturnId(pupil.getCensus().getReturnId());
            disclosure.setDisclosedFields(projection.fields());
            disclosure.setDeleteBy(deleteBy);
            disclosure.setPseudonymised(pseudonym != null);
            disclosure.setPupilPseudonym(pseudonym);
            disclosure.setPseudonymKeyVersion(pseudonym == null ? null : pseudonymKeyVersion);
            if (pseudonym != null && disclosure.getAddress() != null) {
                disclosure.setAddress(reduce(disclosure.getAddress(), rule.pseudonymise().address()));
            }
        }

        DisclosureEvent event = new DisclosureEvent();
        event.setApprovedBy(List.of());   // the census flow: no request, no approvers
        event.setDisclosureId(disclosureId);
        event.setUpn(upn);
        event.setPseudonymised(pseudonym != null);
        event.setPupilPseudonym(pseudonym);
        event.setPseudonymKeyVersion(pseudonym == null ? null : pseudonymKeyVersion);
        event.setRecipientKey(projection == null ? null : recordKey);
        event.setRecipientId(rule.id());
        event.setOutcome(outcome);
        event.setFieldsDisclosed(projection == null ? List.of() : projection.fields());
        event.setReason(reason);
        event.setObjectionIds(objectionIds);
        event.setPolicyId(policy.id());
        event.setPolicyVersion(policy.version());
        event.setPolicyContentHash(policy.contentHash());
        event.setLegalBasis(rule.legalBasis());
        event.setReturnId(pupil.getCensus().getReturnId());
        event.setAgeMeasuredOn(ageDate);
        event.setDeleteBy(projection == null ? null : deleteBy);
        event.setDecidedAt(decidedAt);
        event.setRelatesTo(List.of());
        event.setRetainUntil(retainUntil);
        return new Decision(rule, outcome, recordKey, disclosure, event);
    }

    /** The London day of the last decision time seen, with the instants it starts and ends: most decisions fall in it. */
    private record DecisionDay(long startSecond, long endSecond, LocalDate date) {
    }

    private volatile DecisionDay decisionDay = new DecisionDay(0, 0, null);

    /** {@code LocalDate.ofInstant(decidedAt, DECISION_ZONE)}, without a look-up in the zone's rules for every pupil. */
    private LocalDate decisionDate(Instant decidedAt) {
        DecisionDay day = decisionDay;
        long second = decidedAt.getEpochSecond();
        if (second >= day.startSecond() && second < day.endSecond()) {
            return day.date();
        }
        LocalDate date = LocalDate.ofInstant(decidedAt, DECISION_ZONE);
        decisionDay = new DecisionDay(date.atStartOfDay(DECISION_ZONE).toEpochSecond(), date.plusDays(1).atStartOfDay(DECISION_ZONE).toEpochSecond(), date);
        return date;
    }

    /** A request to delete disclosures a recipient holds, and its audit event (same id). */
    public record DeletionRequested(DeletionRequest request, DisclosureEvent event) {
    }

    /** A notice that disclosures' delete-by date passed, and its audit event (same id). */
    public record DeletionNoticed(DeletionDue notice, DisclosureEvent event) {
    }

    /**
     * The audit event of a decision that sends nothing because the recipient already holds this exact record: the
     * decision's own id, outcome UNCHANGED, and the disclosure it holds in {@code relatesTo}.
     */
    public DisclosureEvent unchanged(Decision decision, String heldDisclosureId, String heldReturnId) {
        DisclosureEvent event = DisclosureEvent.newBuilder(decision.event()).build();
        event.setOutcome(DisclosureOutcome.UNCHANGED);
        event.setFieldsDisclosed(List.of());
        event.setDeleteBy(null);
        event.setRelatesTo(List.of(heldDisclosureId));
        event.setReason("unchanged: the recipient already holds this record as disclosure " + heldDisclosureId + " (return " + heldReturnId
                + "); " + decision.event().getReason());
        return event;
    }

    /**
     * The audit event of an objection that changes nothing a recipient holds: it holds nothing about the pupil, or the
     * objection does not apply to it (a statutory recipient; an objection the rule does not accept).
     *
     * @param decision        the pupil re-decided with the objection, or null when the router holds no census record of the pupil
     * @param heldDisclosureId the disclosure the recipient holds, or null
     */
    public DisclosureEvent objectionChangesNothing(RecipientRule rule, String upn, Objection objection, Decision decision, String heldDisclosureId,
                                                   String returnId, Instant decidedAt) {
        String why = heldDisclosureId == null
                ? "the recipient holds nothing about this pupil from the router, so there is nothing to revoke"
                : decision != null && decision.event().getReason().startsWith("objection not applicable") ? decision.event().getReason()
                : "what the recipient holds is unaffected (" + (decision == null ? "no decision" : decision.event().getReason()) + ")";
        DisclosureEvent event = followUpEvent(rule, upn, followUpId("objection", objection.getObjectionId(), rule.id(), upn), DisclosureOutcome.UNCHANGED,
                "objection " + objection.getObjectionId() + " recorded: " + why, returnId, decidedAt);
        event.setObjectionIds(List.of(objection.getObjectionId()));
        event.setRelatesTo(heldDisclosureId == null ? List.of() : List.of(heldDisclosureId));
        event.setRetainUntil(decision == null ? null : decision.event().getRetainUntil());
        return event;
    }

    /**
     * Asks a recipient to delete what it holds about a pupil.
     *
     * @param disclosureIds the disclosures it holds
     * @param replacedBy    the restricted replacement sent with the request, or null
     */
    public DeletionRequested deletionRequest(RecipientRule rule, String upn, String recordKey, String returnId, List<String> disclosureIds,
                                             String reason, List<String> objectionIds, String replacedBy, LocalDate retainUntil, Instant requestedAt) {
        List<String> ids = disclosureIds.stream().sorted().toList();
        String id = followUpId("deletion-request", upn, rule.id(), String.join(",", ids));
        DeletionRequest request = DeletionRequest.newBuilder().setRequestId(id).setRecipientId(rule.id()).setDisclosureIds(ids).setReason(reason)
                .setLegalBasis(rule.legalBasis()).setObjectionIds(objectionIds).setPolicyId(policy.id()).setPolicyVersion(policy.version())
                .setReplacedBy(replacedBy).setRequestedAt(requestedAt).build();
        DisclosureEvent event = followUpEvent(rule, upn, id, DisclosureOutcome.DELETION_REQUESTED, "deletion requested: " + reason, returnId, requestedAt);
        event.setRecipientKey(recordKey);
        event.setObjectionIds(objectionIds);
        event.setRelatesTo(ids);
        event.setRetainUntil(retainUntil);
        return new DeletionRequested(request, event);
    }

    /** Tells a recipient that a disclosure's delete-by date has passed. */
    public DeletionNoticed deletionDue(RecipientRule rule, String upn, String recordKey, String returnId, String disclosureId, LocalDate deleteBy,
                                       LocalDate retainUntil, Instant issuedAt) {
        String id = followUpId("deletion-due", disclosureId);
        DeletionDue notice = DeletionDue.newBuilder().setNoticeId(id).setRecipientId(rule.id()).setDisclosureIds(List.of(disclosureId))
                .setDeleteBy(deleteBy).setLegalBasis(rule.legalBasis()).setPolicyId(policy.id()).setPolicyVersion(policy.version())
                .setIssuedAt(issuedAt).build();
        DisclosureEvent event = followUpEvent(rule, upn, id, DisclosureOutcome.DELETION_DUE,
                "delete-by date " + deleteBy + " passed: the recipient must have destroyed disclosure " + disclosureId, returnId, issuedAt);
        event.setRecipientKey(recordKey);
        event.setRelatesTo(List.of(disclosureId));
        event.setRetainUntil(retainUntil);
        return new DeletionNoticed(notice, event);
    }

    private DisclosureEvent followUpEvent(RecipientRule rule, String upn, String id, DisclosureOutcome outcome, String reason, String returnId,
                                          Instant decidedAt) {
        Pseudonymiser pseudonyms = pseudonymisers.get(rule.id());
        String pseudonym = rule.pseudonymised() && pseudonyms != null ? pseudonyms.pseudonym(upn) : null;
        DisclosureEvent event = new DisclosureEvent();
        event.setApprovedBy(List.of());   // the census flow: no request, no approvers
        event.setDisclosureId(id);
        event.setUpn(upn);
        event.setPseudonymised(pseudonym != null);
        event.setPupilPseudonym(pseudonym);
        event.setPseudonymKeyVersion(pseudonym == null ? null : pseudonymKeyVersion);
        event.setRecipientId(rule.id());
        event.setOutcome(outcome);
        event.setFieldsDisclosed(List.of());
        event.setReason(reason);
        event.setObjectionIds(List.of());
        event.setPolicyId(policy.id());
        event.setPolicyVersion(policy.version());
        event.setPolicyContentHash(policy.contentHash());
        event.setLegalBasis(rule.legalBasis());
        event.setReturnId(returnId == null ? NO_RETURN : returnId);
        event.setDecidedAt(decidedAt);
        event.setRelatesTo(List.of());
        return event;
    }

    /** The return id of an audit event about a pupil the router has no census record of. */
    public static final String NO_RETURN = "none";

    /** Keyed like disclosure ids: repeatable, so processing the same follow-up again is deduplicated by the audit trail. */
    private String followUpId(String kind, String... parts) {
        if (pseudonymiser == null) {
            return UUID.randomUUID().toString();
        }
        return pseudonymiser.keyedId(kind + '|' + String.join("|", parts) + '|' + policy.contentHash()).toString();
    }

    /**
     * Until when the LA must keep records of decisions about this pupil under the policy's retention rules that
     * PupilFlow can apply (the latest of them), or null when only the default retention applies.
     */
    public LocalDate retainUntil(CensusPupil pupil, LocalDate decisionDate) {
        LocalDate until = null;
        for (RetentionRule rule : policy.retention()) {
            LocalDate keep = rule.keepUntil(pupil.getDateOfBirth(), pupil.getLookedAfter() != null && pupil.getLookedAfter().getInCare(),
                    Boolean.TRUE.equals(pupil.getChildInNeed()), decisionDate);
            if (keep != null && (until == null || keep.isAfter(until))) {
                until = keep;
            }
        }
        return until;
    }

    /**
     * Why an objection does not count under this rule, or null if it does. The rule decides who
     * may object: by default a parent's objection made before the pupil's 16th birthday stands
     * until withdrawn, and from 16 only the pupil's own objection counts.
     */
    private static String refusal(Objection objection, ObjectionRule rule, LocalDate dateOfBirth, LocalDate ageDate) {
        int ageWhenReceived = ageOn(dateOfBirth, objection.getReceivedDate());
        if (objection.getRaisedBy() == ObjectionRaisedBy.PARENT) {
            if (rule.parentMayObjectBelowAge() != null && ageWhenReceived >= rule.parentMayObjectBelowAge()) {
                return "raised by a parent on " + objection.getReceivedDate() + " when the pupil was " + ageWhenReceived
                        + "; from age " + rule.parentMayObjectBelowAge() + " only the pupil may object";
            }
            if (rule.parentObjectionLapsesAtAge() != null && ageOn(dateOfBirth, ageDate) >= rule.parentObjectionLapsesAtAge()) {
                return "a parent's objection lapses when the pupil reaches " + rule.parentObjectionLapsesAtAge();
            }
            return null;
        }
        if (rule.pupilMayObjectFromAge() == null) {
            return "raised by the pupil, but only a parent may object to this sharing";
        }
        if (ageWhenReceived < rule.pupilMayObjectFromAge()) {
            return "raised by the pupil on " + objection.getReceivedDate() + " aged " + ageWhenReceived
                    + "; pupils may object from age " + rule.pupilMayObjectFromAge();
        }
        return null;
    }

    private static List<Objection> relevant(List<Objection> objections, String upn, RecipientRule rule, LocalDate decisionDate) {
        if (objections.isEmpty()) {
            return List.of();
        }
        List<Objection> relevant = new ArrayList<>(objections.size());
        for (Objection objection : objections) {
            boolean inScope = rule.coveredByObjectionScope(objection.getScope());
            boolean withdrawn = objection.getWithdrawn()
                    && (objection.getWithdrawnDate() == null || !objection.getWithdrawnDate().isAfter(decisionDate));
            if (inScope && !withdrawn && objection.getUpn().equals(upn)) {
                relevant.add(objection);
            }
        }
        return relevant;
    }

    private static String describe(List<Objection> objections) {
        StringBuilder text = new StringBuilder();
        for (Objection objection : objections) {
            if (!text.isEmpty()) {
                text.append("; ");
            }
            text.append("objection ").append(objection.getObjectionId()).append(" by ")
                    .append(objection.getRaisedBy() == ObjectionRaisedBy.PARENT ? "parent" : "pupil")
                    .append(" (").append(objection.getEvidenceReference()).append(')');
        }
        return text.toString();
    }

    private static boolean inCohort(Cohort cohort, CensusPupil pupil, LocalDate ageDate) {
        if (cohort.age() != null && !cohort.age().contains(ageOn(pupil.getDateOfBirth(), ageDate))) {
            return false;
        }
        if (!cohort.ncYears().isEmpty() && !cohort.ncYears().contains(pupil.getEnrolment().getNcYearActual())) {
            return false;
        }
        if (!cohort.schoolPhases().isEmpty() && !cohort.schoolPhases().contains(pupil.getSchool().getPhase())) {
            return false;
        }
        if (cohort.lookedAfter() != null && cohort.lookedAfter() != pupil.getLookedAfter().getInCare()) {
            return false;
        }
        return cohort.childInNeed() == null || cohort.childInNeed() == pupil.getChildInNeed();
    }

    private static LocalDate ageMeasuredOn(Cohort cohort, CensusPupil pupil, LocalDate decisionDate) {
        LocalDate censusDay = pupil.getCensus().getCensusDay();
        return switch (cohort.ageMeasuredOn()) {
            case CENSUS_DAY -> censusDay;
            case DECISION_DATE -> decisionDate;
            case START_OF_ACADEMIC_YEAR -> LocalDate.of(censusDay.getMonthValue() >= 9 ? censusDay.getYear() : censusDay.getYear() - 1, Month.AUGUST, 31);
        };
    }

    /** Whole years; a 29 February birthday counts on 1 March in non-leap years (as {@link Period} does). */
    static int ageOn(LocalDate dateOfBirth, LocalDate date) {
        if (dateOfBirth.isAfter(date)) {
            return Period.between(dateOfBirth, date).getYears();
        }
        // Period.between(...).getYears() without a Period per rule and pupil: a birthday not yet reached this year
        // (month and day compared, so 29 February counts from 1 March) has not added its year.
        int years = date.getYear() - dateOfBirth.getYear();
        if (date.getMonthValue() < dateOfBirth.getMonthValue()
                || (date.getMonthValue() == dateOfBirth.getMonthValue() && date.getDayOfMonth() < dateOfBirth.getDayOfMonth())) {
            years--;
        }
        return years;
    }

    /**
     * Keyed, so a recipient cannot recover the UPN behind a record by hashing candidate UPNs; and
     * deterministic, so processing the same census record again gives the same id (idempotent
     * audit). Without a key the id is random: still unlinkable, no longer repeatable.
     */
    private String disclosureId(Pseudonymiser.IdPrefix ids, CompiledRule rule, DisclosureOutcome outcome, List<String> objectionIds) {
        if (ids == null) {
            return UUID.randomUUID().toString();
        }
        // The name is returnId|upn|recipientId|policy content hash|outcome|objections (sorted, comma-separated); the
        // pupil's part was hashed once for all its decisions, the rule's part is kept as bytes.
        // The outcome and the objections considered are part of the name: deciding the same record again
        // under a different objection state is a different decision and must not be deduplicated away.
        byte[] objectionPart = objectionIds.isEmpty() ? NO_BYTES
                : String.join(",", objectionIds.stream().sorted().toList()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return ids.keyedId(rule.idInfix(), OUTCOME_NAMES[outcome.ordinal()], objectionPart).toString();
    }

    /** The pupil's part of its disclosure ids' names: {@code <census return id>|<upn>}, or {@code request:<request id>|<upn>}. */
    private Pseudonymiser.IdPrefix idPrefix(String seed, String upn) {
        return pseudonymiser == null ? null : pseudonymiser.idPrefix(seed + '|' + upn);
    }

    private static final byte[] NO_BYTES = new byte[0];
    /** {@code <outcome>|} for each outcome, as the id's name has it. */
    private static final byte[][] OUTCOME_NAMES = java.util.Arrays.stream(DisclosureOutcome.values())
            .map(outcome -> (outcome.name() + '|').getBytes(java.nio.charset.StandardCharsets.UTF_8)).toArray(byte[][]::new);

    private static Address reduce(Address address, Pseudonymisation.AddressDetail detail) {
        if (detail == Pseudonymisation.AddressDetail.NONE || address.getPostcode() == null) {
            return null;
        }
        String postcode = address.getPostcode().strip();
        int space = postcode.indexOf(' ');
        String district = space > 0 ? postcode.substring(0, space) : postcode.length() > 3 ? postcode.substring(0, postcode.length() - 3) : postcode;
        return Address.newBuilder().setLines(List.of()).setTown(null).setPostcode(district).setUprn(null).build();
    }

    private static CompiledRule compile(RecipientRule rule, SharingPolicy policy, Pseudonymiser master) {
        return new CompiledRule(rule, new Projection(rule.fields()),
                rule.objections().effect() == ObjectionRule.Effect.RESTRICT ? new Projection(rule.objections().restrictTo()) : null,
                ("|" + rule.id() + '|' + policy.contentHash() + '|').getBytes(java.nio.charset.StandardCharsets.UTF_8),
                rule.pseudonymised() ? master.forRecipient(rule.id()) : null);
    }

    /**
     * A rule with its allow-lists resolved to schema positions once, not per pupil, its part of disclosure ids' names
     * ({@code |<recipientId>|<policy content hash>|}) as bytes, and its recipient's own pseudonymiser (or null).
     */
    private record CompiledRule(RecipientRule rule, Projection full, Projection restricted, byte[] idInfix, Pseudonymiser pseudonyms) {
    }
}
