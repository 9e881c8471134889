package org.pupilflow.adapters.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures by the Standard Webhooks specification (standardwebhooks.com, version
 * 1.0.0), symmetric scheme: {@code webhook-signature: v1,<base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))>},
 * so a recipient can verify deliveries with any Standard Webhooks (or Svix) library.
 *
 * <p>One instance holds one endpoint's secret, given as {@code whsec_<base64>} (or the bare
 * base64); the key is the decoded bytes. The secret never appears in messages or
 * {@link #toString()}. Instances are immutable and thread-safe.
 */
public final class StandardWebhooks {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    /** How far a timestamp may be from the receiver's clock, either way, before it counts as a replay. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    static final String SECRET_PREFIX = "whsec_";
    /** The specification's bounds for symmetric secrets: 24 to 64 bytes (192 to 512 bits). */
    static final int MINIMUM_KEY_BYTES = 24;
    static final int MAXIMUM_KEY_BYTES = 64;
    private static final String VERSION = "v1";
    private static final String ALGORITHM = "HmacSHA256";

    /** Why a delivery was or was not accepted by {@link #verify}. */
    public enum Verification {
        VERIFIED,
        /** A {@code webhook-id}, {@code webhook-timestamp} or {@code webhook-signature} header is absent or blank. */
        MISSING_HEADER,
        /** The timestamp is not whole Unix seconds. */
        MALFORMED_TIMESTAMP,
        /** The timestamp is further from now than the tolerance: a replay, or a badly wrong clock. */
        TIMESTAMP_OUT_OF_TOLERANCE,
        /** No {@code v1} signature in the header matches the body, id and timestamp. */
        NO_MATCHING_SIGNATURE;

        public boolean verified() {
            return this == VERIFIED;
        }
    }

    private final SecretKeySpec key;

    /**
     * @param secret {@code whsec_} followed by the base64 key, or the base64 key alone
     * @throws IllegalArgumentException if the secret is blank, not base64, or outside 24 to 64 bytes
     *                                  (the message never repeats the secret)
     */
    public StandardWebhooks(String secret) {
        this.key = new SecretKeySpec(decode(secret), ALGORITHM);
    }

    /** A new random 32-byte secret in the {@code whsec_} form, for provisioning an endpoint. */
    public static String newSecret(SecureRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The {@code webhook-signature} value for one delivery attempt.
     *
     * @param id               the message id, the same on every retry; must not contain '.',
     *                         which separates the signed parts
     * @param timestampSeconds Unix seconds of this attempt
     */
    public String sign(String id, long timestampSeconds, byte[] body) {
        if (id == null || id.isBlank() || id.indexOf('.') >= 0) {
            throw new IllegalArgumentException("A webhook id must be non-blank and contain no '.', was " + (id == null ? "null" : "'" + id + "'"));
        }
        if (timestampSeconds < 0) {
            throw new IllegalArgumentException("A webhook timestamp is Unix seconds, was " + timestampSeconds);
        }
        return VERSION + "," + Base64.getEncoder().encodeToString(mac(id, Long.toString(timestampSeconds), Objects.requireNonNull(body, "body")));
    }

    /** {@link #verify(String, String, String, byte[], Instant, Duration)} with the {@linkplain #DEFAULT_TOLERANCE default tolerance}. */
    public Verification verify(String id, String timestamp, String signatures, byte[] body, Instant now) {
        return verify(id, timestamp, signatures, body, now, DEFAULT_TOLERANCE);
    }

    /**
     * Checks a received delivery as a receiver must: the timestamp within {@code tolerance} of
     * {@code now}, then any {@code v1} signature of the space-separated list (several during a
     * secret rotation) matching, compared in constant time.
     *
     * @param id         the {@code webhook-id} header
     * @param timestamp  the {@code webhook-timestamp} header
     * @param signatures the {@code webhook-signature} header
     * @param body       the raw body bytes as received (not re-serialised JSON)
     */
    public Verification verify(String id, String timestamp, String signatures, byte[] body, Instant now, Duration tolerance) {
        if (isBlank(id) || isBlank(timestamp) || isBlank(signatures) || body == null) {
            return Verification.MISSING_HEADER;
        }
        String digits = timestamp.strip();
        // Digits only (no sign, at most 18 so the arithmetic below cannot overflow); the header text
        // itself is what was signed.
        if (digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Verification.MALFORMED_TIMESTAMP;
        }
        if (Math.abs(now.getEpochSecond() - Long.parseLong(digits)) > tolerance.toSeconds()) {
            return Verification.TIMESTAMP_OUT_OF_TOLERANCE;
        }
        byte[] expected = mac(id, digits, body);
        for (String signature : signatures.strip().split(" +")) {
            int comma = signature.indexOf(',');
            if (comma < 0 || !signature.substring(0, comma).equals(VERSION)) {
                continue; // another scheme (v1a) or version: not ours to judge
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(signature.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return Verification.VERIFIED;
            }
        }
        return Verification.NO_MATCHING_SIGNATURE;
    }

    @Override
    public String toString() {
        return "StandardWebhooks[v1 HMAC-SHA256, secret redacted]";
    }

    private byte[] mac(String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable in this JVM", e);
        }
    }

    private static byte[] decode(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("The webhook secret is missing: expected whsec_ followed by a base64 key");
        }
        String encoded = secret.strip();
        if (encoded.startsWith(SECRET_PREFIX)) {
            encoded = encoded.substring(SECRET_PREFIX.length());
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            // Not e's message: it can quote the offending character of the secret.
            throw new IllegalArgumentException("The webhook secret is not valid: expected whsec_ followed by a standard base64 key", null);
        }
        if (key.length < MINIMUM_KEY_BYTES || key.length > MAXIMUM_KEY_BYTES) {
            throw new IllegalArgumentException("The webhook secret's key is " + key.length + " bytes; Standard Webhooks keys are "
                    + MINIMUM_KEY_BYTES + " to " + MAXIMUM_KEY_BYTES + " bytes");
        }
        return key;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
