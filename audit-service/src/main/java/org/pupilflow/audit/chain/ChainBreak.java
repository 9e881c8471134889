package org.pupilflow.audit.chain;

/**
 * The first link of a chain that does not hold.
 *
 * @param seq     the sequence number where it breaks
 * @param kind    what is wrong
 * @param detail  a sentence for the Data Protection Officer
 */
public record ChainBreak(long seq, Kind kind, String detail) {

    public enum Kind {
        /** A column differs from the row's stored canonical bytes: the row was edited. */
        EDITED,
        /** The canonical bytes do not hash, with the previous row's hash, to the stored hash: edited or reordered. */
        HASH_MISMATCH,
        /** Stored canonical bytes this service could not have written. */
        UNDECODABLE,
        /** Sequence numbers missing with no signed erasure covering them: rows deleted. */
        MISSING,
        /** An erasure checkpoint whose signature is not valid, or that overlaps another: forged. */
        FORGED_ERASURE,
        /** A row is present inside a range recorded as erased. */
        ERASURE_MISMATCH,
        /** The chain's head record disagrees with its last row: rows removed at the end, or the head was altered. */
        HEAD_MISMATCH,
        /** The table's hash at a published chain head differs from what was published: the chain was rewritten. */
        ANCHOR_MISMATCH,
        /** A chain head was published for a sequence number the table no longer reaches: rows removed or the table replaced. */
        ANCHOR_BEYOND_TABLE,
        /** A published chain head with an invalid signature: someone else wrote to the chain-heads topic. */
        FORGED_ANCHOR
    }
}
