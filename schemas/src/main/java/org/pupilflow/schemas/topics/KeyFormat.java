package org.pupilflow.schemas.topics;

/** What the key of a topic's records is. */
public enum KeyFormat {
    UPN("the pupil's UPN"),
    OBJECTION("ObjectionKey: <UPN>/<objectionId>"),
    RETURN_ID("the census return id"),
    RETURN_REGISTRY("return:<returnId> (the report) or content:<SHA-256 of the file> (the return id)"),
    RECIPIENT_RECORD("the UPN; the pseudonym for a pseudonymised recipient; the disclosure id for a restricted record"),
    DISCLOSURE_ID("the disclosure id"),
    REQUEST_ID("the disclosure request id"),
    CHAIN_ID("the audit chain id (<ledger topic>-<partition>)"),
    POLICY_IN_FORCE("always in-force: compaction keeps the latest policy only"),
    SOURCE_KEY("the key of the record that could not be handled, unchanged");

    private final String description;

    KeyFormat(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
