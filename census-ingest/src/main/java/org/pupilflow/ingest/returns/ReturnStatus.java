package org.pupilflow.ingest.returns;

/** What happened to an uploaded return. */
public enum ReturnStatus {
    /** Published to census.pupil-records in one transaction. */
    PUBLISHED,
    /** Strict mode and at least one invalid record, or no valid record at all: nothing published. */
    REJECTED,
    /** Same content as an earlier published return: nothing published. */
    DUPLICATE,
    /** The file could not be read as a census return (malformed, DTD, too large, wrong format): nothing published. */
    MALFORMED,
    /** Validated and previewed against the policy; nothing published. */
    DRY_RUN
}
