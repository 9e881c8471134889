package org.pupilflow.ingest.requests;

import org.pupilflow.policy.SharingPolicy;

/**
 * The policy requests are checked against: the one seam between case-by-case requests and where census-ingest gets its
 * policy from (today its own policy file; the policy the router publishes once that is built). Asked on every request,
 * so a policy that changes is seen at once.
 */
@FunctionalInterface
public interface PolicyForRequests {

    SharingPolicy current();
}
