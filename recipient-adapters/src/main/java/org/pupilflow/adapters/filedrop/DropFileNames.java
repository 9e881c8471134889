package org.pupilflow.adapters.filedrop;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * File names in a drop directory. Final names are plain names of {@code [A-Za-z0-9._-]} that do not
 * start with a dot: names starting with a dot are the targets' temporary files, which readers skip.
 */
final class DropFileNames {

    /** Leaves room for the temporary-name decoration within the usual 255-byte limit. */
    static final int MAX_LENGTH = 200;
    private static final int MAX_BASE_LENGTH = 150;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    private static final SecureRandom RANDOM = new SecureRandom();

    private DropFileNames() {
    }

    /** The name, if it is a plain final name; no separators, no leading dot, no {@code ..}. */
    static String requirePlain(String fileName) {
        if (fileName == null || fileName.length() > MAX_LENGTH || !PLAIN.matcher(fileName).matches()) {
            throw new IllegalArgumentException("Not a plain drop file name ([A-Za-z0-9._-], no leading dot, at most "
                    + MAX_LENGTH + " characters): '" + fileName + "'");
        }
        return fileName;
    }

    /**
     * A unique temporary name next to {@code fileName}: hidden (leading dot) and ending {@code .part},
     * so a reader listing the directory never mistakes it for a finished file; random, so two puts of
     * the same name never write into each other's temporary file.
     */
    static String temporary(String fileName) {
        byte[] nonce = new byte[8];
        RANDOM.nextBytes(nonce);
        return "." + fileName + "." + HexFormat.of().formatHex(nonce) + ".part";
    }

    /**
     * {@code <recipientId>_<returnId>_<batchKey>}, sanitised to {@code [A-Za-z0-9._-]}. Deterministic, so
     * the same batch always lands under the same names. When sanitising (or shortening) changes
     * anything, a hash of the unsanitised name is appended, so two different batches never collapse
     * onto one name and overwrite each other.
     */
    static String forBatch(String recipientId, String returnId, String batchKey) {
        return sanitised(recipientId + "_" + returnId + "_" + batchKey);
    }

    /**
     * {@code <recipientId>_<batchKey>}, sanitised likewise: a batch with no disclosure (only deletion requests or
     * notices) belongs to no census return.
     */
    static String forBatch(String recipientId, String batchKey) {
        return sanitised(recipientId + "_" + batchKey);
    }

    private static String sanitised(String raw) {
        String safe = UNSAFE.matcher(raw).replaceAll("_");
        if (safe.startsWith(".")) {
            safe = "_" + safe.substring(1);
        }
        if (safe.equals(raw) && safe.length() <= MAX_BASE_LENGTH) {
            return safe;
        }
        String hash = sha256Hex(raw.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        return safe.substring(0, Math.min(safe.length(), MAX_BASE_LENGTH - hash.length() - 1)) + "-" + hash;
    }

    static String sha256Hex(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
