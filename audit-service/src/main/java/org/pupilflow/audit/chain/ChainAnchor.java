package org.pupilflow.audit.chain;

import java.time.Instant;

/**
 * A chain head published outside the database ({@code audit.chain-heads}): at {@code publishedAt}
 * row {@code seq} of {@code chainId} had hash {@code hash}. Rewriting the table cannot change what
 * was published, so a later verification compares the table against it.
 */
public record ChainAnchor(String chainId, String ledger, long seq, byte[] hash, Instant publishedAt, byte[] signature) {

    public ChainAnchor signedWith(CheckpointSigner signer) {
        return new ChainAnchor(chainId, ledger, seq, hash, publishedAt, signer.sign(this));
    }
}
