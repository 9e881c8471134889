package org.pupilflow.ingest.requests;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A case-by-case disclosure request and where it stands: the value (JSON) of its entry in the compacted
 * {@code disclosure.requests} topic, and what the API answers.
 *
 * @param requestId       {@code DR-} and a UUID
 * @param recipientId     the on-request recipient
 * @param upns            the named pupils
 * @param caseReference   the case
 * @param purpose         why
 * @param legalBasis      the legal basis relied on
 * @param requestedBy     the requesting officer (the token's subject)
 * @param requestedAt     when it was asked
 * @param approvalsNeeded how many different officers must agree (the rule's {@code onRequest.approvals})
 * @param approvedBy      the officers who agreed, the requester first
 * @param approvedAt      when the last approval needed was given; null until then
 * @param expiresAt       when a pending request lapses
 * @param status          where it stands
 * @param refusedBy       who refused it, if refused
 * @param refusalReason   why it was refused or expired
 * @param policyId        the policy it was checked against
 * @param policyVersion   that policy's version
 */
public record DisclosureRequestState(String requestId, String recipientId, List<String> upns, String caseReference, String purpose, String legalBasis,
                                     String requestedBy, Instant requestedAt, int approvalsNeeded, List<String> approvedBy, Instant approvedAt,
                                     Instant expiresAt, RequestStatus status, String refusedBy, String refusalReason, String policyId,
                                     String policyVersion) {

    public DisclosureRequestState {
        upns = upns == null ? List.of() : List.copyOf(upns);
        approvedBy = approvedBy == null ? List.of() : List.copyOf(approvedBy);
    }

    /** Whether every approval the rule requires is given. */
    public boolean fullyApproved() {
        return approvedBy.stream().distinct().count() >= approvalsNeeded;
    }

    DisclosureRequestState approvedBy(String officer, Instant at) {
        List<String> officers = new ArrayList<>(approvedBy);
        officers.add(officer);
        DisclosureRequestState more = with(officers, null, RequestStatus.PENDING_APPROVAL, null, null);
        return more.fullyApproved() ? more.with(officers, at, RequestStatus.APPROVED, null, null) : more;
    }

    DisclosureRequestState refused(String officer, String reason) {
        return with(approvedBy, null, RequestStatus.REFUSED, officer, reason);
    }

    DisclosureRequestState expired() {
        return with(approvedBy, null, RequestStatus.EXPIRED, null, "not approved by a second officer before " + expiresAt);
    }

    private DisclosureRequestState with(List<String> officers, Instant approved, RequestStatus newStatus, String by, String reason) {
        return new DisclosureRequestState(requestId, recipientId, upns, caseReference, purpose, legalBasis, requestedBy, requestedAt, approvalsNeeded,
                officers, approved, expiresAt, newStatus, by, reason, policyId, policyVersion);
    }
}
