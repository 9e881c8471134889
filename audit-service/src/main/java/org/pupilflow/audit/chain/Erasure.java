package org.pupilflow.audit.chain;

import java.time.Instant;

/**
 * A signed checkpoint of a chain at a retention cut: rows {@code firstSeq..lastSeq} of
 * {@code chainId} were removed under {@code rule}, and the hash of row {@code lastSeq} was
 * {@code lastHash}, so the chain continues to verify from the next row. The signature is
 * {@link CheckpointSigner#sign(Erasure)}; a missing or forged one is a broken link.
 */
public record Erasure(String chainId, long firstSeq, long lastSeq, byte[] lastHash, Instant erasedAt, String rule, byte[] signature) {

    public long rows() {
        return lastSeq - firstSeq + 1;
    }

    public Erasure signedWith(CheckpointSigner signer) {
        return new Erasure(chainId, firstSeq, lastSeq, lastHash, erasedAt, rule, signer.sign(this));
    }
}
