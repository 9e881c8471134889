package org.pupilflow.audit.chain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The chain's hash: {@code hash(n) = SHA-256(hash(n-1) || canonical(n))}, starting from 32 zero
 * bytes before the first row of each chain.
 */
public final class ChainHash {

    public static final int LENGTH = 32;

    private ChainHash() {
    }

    /** The "previous hash" of a chain's first row: 32 zero bytes. */
    public static byte[] genesis() {
        return new byte[LENGTH];
    }

    public static byte[] link(byte[] previousHash, byte[] canonical) {
        MessageDigest sha256 = sha256Digest();
        sha256.update(previousHash);
        sha256.update(canonical);
        return sha256.digest();
    }

    public static byte[] sha256(byte[] bytes) {
        return sha256Digest().digest(bytes);
    }

    public static String hex(byte[] bytes) {
        return bytes == null ? null : HexFormat.of().formatHex(bytes);
    }

    public static byte[] fromHex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
