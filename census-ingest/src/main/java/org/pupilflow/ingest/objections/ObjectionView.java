package org.pupilflow.ingest.objections;

import java.time.LocalDate;

import org.pupilflow.census.Objection;

/** An objection as the API shows it. */
public record ObjectionView(String objectionId, String upn, String scope, String raisedBy, LocalDate receivedDate,
                            String evidenceReference, boolean withdrawn, LocalDate withdrawnDate) {

    static ObjectionView of(Objection objection) {
        return new ObjectionView(objection.getObjectionId(), objection.getUpn(), objection.getScope(), objection.getRaisedBy().name(),
                objection.getReceivedDate(), objection.getEvidenceReference(), objection.getWithdrawn(), objection.getWithdrawnDate());
    }
}
