package org.pupilflow.ingest.returns;

/** What happened to an uploaded return. */
public enum ReturnStatus {
    /** Published to census.pupil-records in one transaction. */
    PUBLISHED,
    /** Strict mode and at least one invalid record, or no valid record at all: nothing published. */
    REJECTED,
    /** Same content as an earlier published return: nothing published. */
    DUPLICATE,
    /**
     * Schools and census day already have a published return, and the upload's {@code replaces} does not name exactly
     * those returns: nothing published (upload again with {@code replaces=<returnId>}).
     */
    REPLACEMENT_MISMATCH,
    /** The file could not be read as a census return (malformed, DTD, too large, wrong format): nothing published. */
    MALFORMED,
    /** Validated and previewed against the policy; nothing published. */
    DRY_RUN,
    /** Being read in the background (an upload sent with {@code Prefer: respond-async}); the counts are so far. */
    PROCESSING
}
