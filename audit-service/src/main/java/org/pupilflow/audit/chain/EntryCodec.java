package org.pupilflow.audit.chain;

/** The canonical encoding of one kind of audit row: what is stored in {@code canonical} and hashed. */
public interface EntryCodec<R> {

    byte[] encode(ChainPosition position, R content);

    /** Strict inverse of {@link #encode}; fails with {@link MalformedCanonicalException}. */
    ChainEntry<R> decode(byte[] canonical);
}
