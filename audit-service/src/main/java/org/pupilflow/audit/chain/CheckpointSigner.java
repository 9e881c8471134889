package org.pupilflow.audit.chain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures of erasure checkpoints and published chain heads, with a key only
 * audit-service holds (never stored in the database). Anyone who can write to the database but
 * does not have the key cannot forge a checkpoint that covers a deletion, nor a chain head.
 * Each kind of message starts with its own marker, so a signature of one is never valid for the other.
 */
public final class CheckpointSigner {

    public static final int MINIMUM_KEY_BYTES = 32;

    private final SecretKeySpec key;

    public CheckpointSigner(String key) {
        byte[] bytes = key == null ? new byte[0] : key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MINIMUM_KEY_BYTES) {
            throw new IllegalArgumentException("the checkpoint signing key must be at least " + MINIMUM_KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    public byte[] sign(Erasure erasure) {
        return mac(signedBytes(erasure));
    }

    public boolean verify(Erasure erasure) {
        return erasure.signature() != null && MessageDigest.isEqual(sign(erasure), erasure.signature());
    }

    public byte[] sign(ChainAnchor anchor) {
        return mac(signedBytes(anchor));
    }

    public boolean verify(ChainAnchor anchor) {
        return anchor.signature() != null && MessageDigest.isEqual(sign(anchor), anchor.signature());
    }

    /** {@code "PFAE" 01}, chain id, first seq, last seq, last hash (32 bytes), erased-at (micros), rule. */
    static byte[] signedBytes(Erasure e) {
        return new CanonicalWriter().magic("PFAE", 1).string(e.chainId()).int64(e.firstSeq()).int64(e.lastSeq())
                .raw(e.lastHash()).micros(e.erasedAt()).string(e.rule()).toByteArray();
    }

    /** {@code "PFAH" 01}, chain id, ledger, seq, hash (32 bytes), published-at (micros). */
    static byte[] signedBytes(ChainAnchor a) {
        return new CanonicalWriter().magic("PFAH", 1).string(a.chainId()).string(a.ledger()).int64(a.seq())
                .raw(a.hash()).micros(a.publishedAt()).toByteArray();
    }

    private byte[] mac(byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
