package org.pupilflow.policy.decide;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Keyed pseudonyms for pseudonymised recipients: HMAC-SHA256(key, UPN) in hex. Without the
 * LA's key a recipient cannot turn a pseudonym back into a UPN or link it to other data sets;
 * with the same key the same pupil always gets the same pseudonym, so extracts can be linked
 * over time by the recipient.
 *
 * <p>HMAC-SHA256 is computed from its definition (RFC 2104), {@code SHA-256((K ^ opad) || SHA-256((K ^ ipad) || m))},
 * with the digest states after the two key blocks computed once and copied per message: the router computes one
 * per decision, and {@code javax.crypto.Mac} hashes both key blocks again every time (two of the five or six
 * SHA-256 blocks of a disclosure id). The results are those of {@code Mac.getInstance("HmacSHA256")} (tested).
 */
public final class Pseudonymiser {

    /** HMAC-SHA256 keys shorter than the hash add no strength and are a sign of a placeholder. */
    public static final int MINIMUM_KEY_BYTES = 32;

    private static final int BLOCK_BYTES = 64;

    /** SHA-256 after absorbing {@code K ^ ipad} and {@code K ^ opad}; never updated, only cloned. */
    private final MessageDigest inner;
    private final MessageDigest outer;

    public Pseudonymiser(byte[] key) {
        if (key == null || key.length < MINIMUM_KEY_BYTES) {
            throw new IllegalArgumentException("The pseudonymisation key must be at least " + MINIMUM_KEY_BYTES + " bytes, was "
                    + (key == null ? "missing" : key.length + " bytes"));
        }
        byte[] block = Arrays.copyOf(key.length > BLOCK_BYTES ? sha256().digest(key) : key, BLOCK_BYTES);
        byte[] ipad = new byte[BLOCK_BYTES];
        byte[] opad = new byte[BLOCK_BYTES];
        for (int i = 0; i < BLOCK_BYTES; i++) {
            ipad[i] = (byte) (block[i] ^ 0x36);
            opad[i] = (byte) (block[i] ^ 0x5c);
        }
        Arrays.fill(block, (byte) 0);
        this.inner = sha256();
        this.inner.update(ipad);
        this.outer = sha256();
        this.outer.update(opad);
        Arrays.fill(ipad, (byte) 0);
        Arrays.fill(opad, (byte) 0);
    }

    public String pseudonym(String upn) {
        return HexFormat.of().formatHex(hmac(upn.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * A UUID-shaped keyed identifier of {@code name}: the same name gives the same id, but without
     * the key nobody can test a guess (such as a candidate UPN) against it.
     */
    public java.util.UUID keyedId(String name) {
        return uuid(hmac((ID_PREFIX + name).getBytes(StandardCharsets.UTF_8)));
    }

    private static final String ID_PREFIX = "disclosure-id|";

    /**
     * For several ids whose names start alike (one pupil's decisions): {@code idPrefix(start).keyedId(rest...)} is
     * {@code keyedId(start + rest...)}, with the bytes of the common start hashed once.
     */
    public IdPrefix idPrefix(String nameStart) {
        MessageDigest started = copy(inner);
        started.update((ID_PREFIX + nameStart).getBytes(StandardCharsets.UTF_8));
        return new IdPrefix(started);
    }

    /** The keyed state after the common start of some names; used by one thread. */
    public final class IdPrefix {
        private final MessageDigest started;

        private IdPrefix(MessageDigest started) {
            this.started = started;
        }

        /** The id of the name that is the start followed by these parts (each the UTF-8 bytes of a string). */
        public java.util.UUID keyedId(byte[]... parts) {
            MessageDigest innerHash = copy(started);
            for (byte[] part : parts) {
                innerHash.update(part);
            }
            MessageDigest outerHash = copy(outer);
            outerHash.update(innerHash.digest());
            return uuid(outerHash.digest());
        }
    }

    private static java.util.UUID uuid(byte[] mac) {
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (mac[i] & 0xFF);
            low = (low << 8) | (mac[i + 8] & 0xFF);
        }
        // RFC 9562 version 8 (custom) with the IETF variant.
        high = (high & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000008000L;
        low = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new java.util.UUID(high, low);
    }

    /** HMAC-SHA256 of {@code message} with this key. Thread-safe: the key states are only cloned. */
    byte[] hmac(byte[] message) {
        MessageDigest innerHash = copy(inner);
        innerHash.update(message);
        MessageDigest outerHash = copy(outer);
        outerHash.update(innerHash.digest());
        return outerHash.digest();
    }

    private static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests of this JDK cannot be copied", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
