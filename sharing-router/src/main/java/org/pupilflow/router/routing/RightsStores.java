package org.pupilflow.router.routing;

/**
 * The router's own state about what recipients hold. Persistent and changelogged: each commits with the transaction
 * that produced the records it describes, and a new instance (empty disk) restores them before it processes a record.
 */
final class RightsStores {

    /** {@code <UPN>|<recipient id>} → {@link Holding} (JSON). */
    static final String HELD = "held-disclosures";
    /** {@code <UPN>} → the pupil's latest census record, to re-decide when an objection arrives. */
    static final String LATEST_CENSUS = "latest-census";
    /** {@code <delete-by date>|<UPN>|<recipient id>|<disclosure id>} → {@link CensusRecordRouter.Deadline}: ordered by date. */
    static final String DELETE_BY = "delete-by";
    /** {@code <UPN>|<objection id>} → followed up (or considered by a decision): never followed up twice. */
    static final String FOLLOWED = "objections-followed";

    static final String[] ALL = {HELD, LATEST_CENSUS, DELETE_BY, FOLLOWED};

    private RightsStores() {
    }
}
