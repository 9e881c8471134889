package org.pupilflow.ingest.objections;

import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.pupilflow.census.Objection;

/**
 * An objection as the API shows it.
 *
 * @param ageRuleChecked in the answer to recording or withdrawing it: whether the policy's rule on who may object or withdraw
 *                       at which age could be checked (false when no date of birth was given, or for scope {@code all});
 *                       absent in listings
 * @param notes          in the same answers: what could not be checked and why; absent when there is nothing to say
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectionView(String objectionId, String upn, String scope, String raisedBy, LocalDate receivedDate,
                            String evidenceReference, boolean withdrawn, LocalDate withdrawnDate, Boolean ageRuleChecked, List<String> notes) {

    static ObjectionView of(Objection objection) {
        return new ObjectionView(objection.getObjectionId(), objection.getUpn(), objection.getScope(), objection.getRaisedBy().name(),
                objection.getReceivedDate(), objection.getEvidenceReference(), objection.getWithdrawn(), objection.getWithdrawnDate(), null, null);
    }

    ObjectionView checked(boolean ageRuleChecked, List<String> notes) {
        return new ObjectionView(objectionId, upn, scope, raisedBy, receivedDate, evidenceReference, withdrawn, withdrawnDate, ageRuleChecked,
                notes.isEmpty() ? null : List.copyOf(notes));
    }
}
