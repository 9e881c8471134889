package org.pupilflow.audit.chain;

import java.util.List;

/**
 * One row as read from the database: its columns (position and content), the canonical bytes and
 * hash stored beside them, and the names of any columns derived from the content (such as a
 * deduplication key) whose stored value no longer matches it.
 */
public record StoredRow<R>(ChainPosition position, R columns, byte[] canonical, byte[] hash, List<String> inconsistentDerivedColumns) {

    public StoredRow(ChainPosition position, R columns, byte[] canonical, byte[] hash) {
        this(position, columns, canonical, hash, List.of());
    }
}
