package org.pupilflow.ingest.requests;

import org.pupilflow.policy.SharingPolicy;

/**
 * The policy requests are checked against: the one seam between case-by-case requests and where census-ingest gets its
 * policy from (the policy in force, as the router publishes it). Asked on every request, so a policy that changes is seen
 * at once; with no policy in force yet it throws {@code NoPolicyInForceException} (503).
 */
@FunctionalInterface
public interface PolicyForRequests {

    SharingPolicy current();
}
