package org.pupilflow.policy.decide;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
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
import org.pupilflow.sharing.DisclosureEvent;
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
    private final Pseudonymiser pseudonymiser;

    /**
     * @param pseudonymiser keyed pseudonyms and disclosure ids; required when the policy has a
     *                      pseudonymised recipient. Without one, disclosure ids are random.
     */
    public SharingEngine(SharingPolicy policy, Pseudonymiser pseudonymiser) {
        this.policy = Objects.requireNonNull(policy, "policy");
        List<String> pseudonymised = policy.recipients().stream().filter(RecipientRule::pseudonymised).map(RecipientRule::id).toList();
        if (!pseudonymised.isEmpty() && pseudonymiser == null) {
            throw new IllegalArgumentException("Policy " + policy.id() + " has pseudonymised recipients " + pseudonymised
                    + ": a pseudonymisation key must be configured");
        }
        this.pseudonymiser = pseudonymiser;
        this.rules = policy.recipients().stream().map(CompiledRule::new).toList();
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
        LocalDate decisionDate = LocalDate.ofInstant(decidedAt, DECISION_ZONE);
        String upn = pupil.getIdentity().getUpn();
        List<Decision> decisions = new ArrayList<>(rules.size());
        List<RecipientRule> outOfCohort = new ArrayList<>(rules.size());
        List<RecipientRule> notInForce = new ArrayList<>(0);
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
            decisions.add(decide(compiled, pupil, upn, relevant(objections, upn, rule, decisionDate), ageDate, decisionDate, decidedAt));
        }
        return new Evaluation(decisions, outOfCohort, notInForce);
    }

    private Decision decide(CompiledRule compiled, CensusPupil pupil, String upn, List<Objection> objections,
                            LocalDate ageDate, LocalDate decisionDate, Instant decidedAt) {
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

        String disclosureId = disclosureId(pupil.getCensus().getReturnId(), upn, rule.id(), outcome, objectionIds);
        String pseudonym = rule.pseudonymised() ? pseudonymiser.pseudonym(upn) : null;
        String recordKey = pseudonym != null ? pseudonym : projection != null && projection.fields().contains("identity") ? upn : disclosureId;
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
            if (pseudonym != null && disclosure.getAddress() != null) {
                disclosure.setAddress(reduce(disclosure.getAddress(), rule.pseudonymise().address()));
            }
        }

        DisclosureEvent event = new DisclosureEvent();
        event.setDisclosureId(disclosureId);
        event.setUpn(upn);
        event.setPseudonymised(pseudonym != null);
        event.setPupilPseudonym(pseudonym);
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
        event.setRetainUntil(retainUntil(pupil, decisionDate));
        return new Decision(rule, outcome, recordKey, disclosure, event);
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
        return Period.between(dateOfBirth, date).getYears();
    }

    /**
     * Keyed, so a recipient cannot recover the UPN behind a record by hashing candidate UPNs; and
     * deterministic, so processing the same census record again gives the same id (idempotent
     * audit). Without a key the id is random: still unlinkable, no longer repeatable.
     */
    private String disclosureId(String returnId, String upn, String recipientId, DisclosureOutcome outcome, List<String> objectionIds) {
        if (pseudonymiser == null) {
            return UUID.randomUUID().toString();
        }
        // The outcome and the objections considered are part of the name: deciding the same record again
        // under a different objection state is a different decision and must not be deduplicated away.
        String objectionPart = objectionIds.isEmpty() ? "" : String.join(",", objectionIds.stream().sorted().toList());
        return pseudonymiser.keyedId(returnId + '|' + upn + '|' + recipientId + '|' + policy.contentHash() + '|' + outcome
                + '|' + objectionPart).toString();
    }

    private static Address reduce(Address address, Pseudonymisation.AddressDetail detail) {
        if (detail == Pseudonymisation.AddressDetail.NONE || address.getPostcode() == null) {
            return null;
        }
        String postcode = address.getPostcode().strip();
        int space = postcode.indexOf(' ');
        String district = space > 0 ? postcode.substring(0, space) : postcode.length() > 3 ? postcode.substring(0, postcode.length() - 3) : postcode;
        return Address.newBuilder().setLines(List.of()).setTown(null).setPostcode(district).setUprn(null).build();
    }

    /** A rule with its allow-lists resolved to schema positions once, not per pupil. */
    private record CompiledRule(RecipientRule rule, Projection full, Projection restricted) {
        CompiledRule(RecipientRule rule) {
            this(rule, new Projection(rule.fields()),
                    rule.objections().effect() == ObjectionRule.Effect.RESTRICT ? new Projection(rule.objections().restrictTo()) : null);
        }
    }
}
