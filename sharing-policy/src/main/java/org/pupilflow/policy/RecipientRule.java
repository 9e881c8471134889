package org.pupilflow.policy;

import java.time.LocalDate;
import java.util.List;

/**
 * What one recipient gets: the whole of this record is one paragraph of the privacy notice.
 *
 * @param id            recipient id used in topics, objections and audit ({@code youth-support})
 * @param name          display name ({@code Norfolk County Council Youth Support Services})
 * @param topic         Kafka topic the recipient reads
 * @param purpose       why the recipient receives the data, in the notice's words
 * @param legalBasis    the law the sharing rests on; carried by every audit event
 * @param statutory     true when the law requires the sharing, so objections cannot stop it
 * @param cohort        which pupils the recipient receives; empty = every pupil
 * @param fields        census units the recipient may receive (top-level fields of {@code CensusPupil})
 * @param objections    what an objection does, and who may raise one
 * @param validFrom     first day the agreement applies (decision date), or null
 * @param validUntil    last day the agreement applies (decision date), or null
 * @param deleteBy      when the recipient must destroy what it received, or null
 * @param pseudonymise  replace the UPN with a keyed pseudonym and strip direct identifiers, or null
 * @param delivery      how the recipient receives records: {@code kafka} (its topic), {@code webhook} or {@code file-drop};
 *                      or {@code on-request}: never by the census flow, only by case-by-case requests ({@code onRequest})
 * @param variantOf     for a second feed to the same organisation (e.g. a pseudonymised research extract), the id of the main rule
 * @param onRequest     for {@code delivery: on-request}: the legal bases a request may rely on, approvals, the channel
 */
public record RecipientRule(String id, String name, String topic, String purpose, String legalBasis, boolean statutory,
                            Cohort cohort, List<String> fields, ObjectionRule objections,
                            LocalDate validFrom, LocalDate validUntil, DeleteBy deleteBy, Pseudonymisation pseudonymise,
                            String delivery, String variantOf, OnRequest onRequest) {

    /** The {@code delivery} of a recipient that receives nothing from the census flow, only case-by-case disclosures. */
    public static final String ON_REQUEST = "on-request";

    public RecipientRule {
        cohort = cohort == null ? Cohort.EVERYONE : cohort;
        fields = fields == null ? List.of() : List.copyOf(fields);
        objections = objections == null ? ObjectionRule.NOT_APPLICABLE : objections;
        delivery = delivery == null ? "kafka" : delivery;
    }

    /** Whether the recipient reads its topic from Kafka itself (channel {@code kafka}), rather than through recipient-adapters. */
    public boolean readFromKafka() {
        return "kafka".equals(channel());
    }

    /** Whether the recipient receives no census flow, only disclosures an authorised officer requests for a case. */
    public boolean deliveredOnRequest() {
        return ON_REQUEST.equals(delivery);
    }

    /**
     * How records reach the recipient from its topic: {@code kafka}, {@code webhook} or {@code file-drop}. The rule's
     * {@code delivery}, or for an on-request recipient its {@code onRequest.channel}.
     */
    public String channel() {
        return deliveredOnRequest() ? (onRequest == null || onRequest.channel() == null ? "kafka" : onRequest.channel()) : delivery;
    }

    public boolean pseudonymised() {
        return pseudonymise != null;
    }

    /**
     * Whether the agreement is in force on {@code date}: inside its validity window, and not after
     * a fixed delete-by date (nothing may be sent that the recipient would already have to destroy).
     */
    public boolean inForceOn(LocalDate date) {
        return (validFrom == null || !date.isBefore(validFrom)) && (validUntil == null || !date.isAfter(validUntil))
                && (deleteBy == null || deleteBy.date() == null || !date.isAfter(deleteBy.date()));
    }

    /** Whether an objection with this scope applies to this rule: its own id, its main rule's id (for a variant), or "all". */
    public boolean coveredByObjectionScope(String scope) {
        return scope.equals("all") || scope.equals(id) || scope.equals(variantOf);
    }
}
