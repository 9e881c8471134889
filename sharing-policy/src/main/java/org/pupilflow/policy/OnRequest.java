package org.pupilflow.policy;

import java.time.Period;
import java.util.List;

/**
 * How a recipient whose rule says {@code delivery: on-request} is shared with: never by the census flow, only when an
 * authorised officer asks for one disclosure of named pupils for a case.
 *
 * @param channel       how the recipient receives what a request discloses: {@code kafka} (its topic), {@code webhook} or
 *                      {@code file-drop}, exactly as a routine recipient's {@code delivery}
 * @param legalBases    the legal bases a request may rely on; a request names exactly one of them
 * @param approvals     how many different officers must agree: 1 (the requesting officer alone) or 2 (a second officer,
 *                      not the requester, must approve before anything is routed). Default {@value #DEFAULT_APPROVALS}
 * @param expiresAfter  how long a request waits for its second approval before it lapses. Default {@code P7D}
 */
public record OnRequest(String channel, List<String> legalBases, Integer approvals, Period expiresAfter) {

    public static final int DEFAULT_APPROVALS = 1;
    public static final Period DEFAULT_EXPIRY = Period.ofDays(7);

    public OnRequest {
        legalBases = legalBases == null ? List.of() : List.copyOf(legalBases);
        approvals = approvals == null ? DEFAULT_APPROVALS : approvals;
        expiresAfter = expiresAfter == null ? DEFAULT_EXPIRY : expiresAfter;
    }

    /** Whether a second officer, different from the requester, must approve a request before it is routed. */
    public boolean needsSecondApprover() {
        return approvals >= 2;
    }

    /** Whether a request may rely on this legal basis (exactly as the policy words it). */
    public boolean allows(String legalBasis) {
        return legalBasis != null && legalBases.contains(legalBasis);
    }
}
