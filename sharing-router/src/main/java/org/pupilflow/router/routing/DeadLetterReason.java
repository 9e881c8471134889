package org.pupilflow.router.routing;

/** Why the router could not decide on a census record or a requested pupil; the {@code reason} tag of the dead-letter metric. */
enum DeadLetterReason {
    /** No value (a tombstone or an empty record). */
    EMPTY,
    /** The value is not a CensusPupil in the contract's encoding. */
    UNDECODABLE,
    /** The record key is not the pupil's UPN, so partitioning and objection lookup would be wrong. */
    KEY_MISMATCH,
    /** The UPN fails its check letter or names an unknown LA. */
    INVALID_UPN,
    /** An objection stored for this pupil cannot be read: deciding without it could disclose against an objection. */
    UNREADABLE_OBJECTION,
    /** A requested pupil names a recipient that is not in the policy or receives the census flow rather than case-by-case requests. */
    NOT_ON_REQUEST
}
