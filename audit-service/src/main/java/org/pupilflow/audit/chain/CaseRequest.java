package org.pupilflow.audit.chain;

import java.util.List;
import java.util.Objects;

/**
 * The case-by-case disclosure request a decision answers (a recipient whose rule says {@code delivery: on-request};
 * contract release 3).
 *
 * @param requestId     the request's id, the same on every decision of the request
 * @param caseReference the case the disclosure is for
 * @param purpose       the purpose the requesting officer gave
 * @param requestedBy   the officer who asked
 * @param approvedBy    the officers who approved it, the requester first
 */
public record CaseRequest(String requestId, String caseReference, String purpose, String requestedBy, List<String> approvedBy) {

    public CaseRequest {
        Objects.requireNonNull(requestId, "requestId");
        approvedBy = approvedBy == null ? List.of() : List.copyOf(approvedBy);
    }
}
