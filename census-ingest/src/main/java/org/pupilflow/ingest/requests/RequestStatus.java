package org.pupilflow.ingest.requests;

/** Where a case-by-case disclosure request stands. */
public enum RequestStatus {
    /** Waiting for a second, different officer's approval; nothing is routed yet. */
    PENDING_APPROVAL,
    /** Every approval its rule requires is given: its named pupils are published to the router. */
    APPROVED,
    /** Refused (or withdrawn) by an officer, with the reason: nothing was routed. */
    REFUSED,
    /** Not approved within its rule's {@code onRequest.expiresAfter}: nothing was routed. */
    EXPIRED
}
