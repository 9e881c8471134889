package org.pupilflow.policy.decide;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms for pseudonymised recipients: HMAC-SHA256(key, UPN) in hex. Without the
 * LA's key a recipient cannot turn a pseudonym back into a UPN or link it to other data sets;
 * with the same key the same pupil always gets the same pseudonym, so extracts can be linked
 * over time by the recipient.
 *
 * <p>Every HMAC is {@code javax.crypto.Mac} ("HmacSHA256"): one initialised {@code Mac} per thread, and for the
 * several disclosure ids of one pupil ({@link #idPrefix}) a copy ({@link Mac#clone()}) of one that has already
 * taken the names' common start, so the start is hashed once per pupil rather than once per decision.
 * <p>The router's master key makes disclosure ids ({@link #keyedId}); each pseudonymised recipient
 * gets pseudonyms from its own key, {@link #forRecipient derived} from the master key, so two
 * recipients cannot join their feeds on the pseudonym.
 */
public final class Pseudonymiser {

    /** HMAC-SHA256 keys shorter than the hash add no strength and are a sign of a placeholder. */
    public static final int MINIMUM_KEY_BYTES = 32;

    private static final String ID_PREFIX = "disclosure-id|";

    private final SecretKeySpec key;
    /** A {@code Mac} is not thread-safe; the router's stream threads each get their own, initialised once. */
    private final ThreadLocal<Mac> macs;

    public Pseudonymiser(byte[] key) {
        if (key == null || key.length < MINIMUM_KEY_BYTES) {
            throw new IllegalArgumentException("The pseudonymisation key must be at least " + MINIMUM_KEY_BYTES + " bytes, was "
                    + (key == null ? "missing" : key.length + " bytes"));
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** Prefix of the derivation input: a recipient key can never equal a MAC this class computes for anything else. */
    static final String RECIPIENT_KEY_CONTEXT = "pupilflow pseudonym key|";

    /**
     * The pseudonymiser of one recipient: keyed with HMAC-SHA256(this key, {@value #RECIPIENT_KEY_CONTEXT} + recipient id),
     * so the same pupil gets a different pseudonym at each recipient, and the same one every time at the same recipient.
     * Without the master key the recipient keys cannot be computed, nor one from another.
     */
    public Pseudonymiser forRecipient(String recipientId) {
        byte[] recipientKey = macs.get().doFinal((RECIPIENT_KEY_CONTEXT + recipientId).getBytes(StandardCharsets.UTF_8));
        return new Pseudonymiser(recipientKey);
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

    /**
     * For several ids whose names start alike (one pupil's decisions): {@code idPrefix(start).keyedId(rest...)} is
     * {@code keyedId(start + rest...)}, with the bytes of the common start hashed once.
     */
    public IdPrefix idPrefix(String nameStart) {
        Mac started = copy(macs.get());
        started.update((ID_PREFIX + nameStart).getBytes(StandardCharsets.UTF_8));
        return new IdPrefix(started);
    }

    /** A {@code Mac} that has taken the common start of some names; used by one thread. */
    public static final class IdPrefix {
        private final Mac started;

        private IdPrefix(Mac started) {
            this.started = started;
        }

        /** The id of the name that is the start followed by these parts (each the UTF-8 bytes of a string). */
        public java.util.UUID keyedId(byte[]... parts) {
            // doFinal resets a Mac to its key: each id finishes a copy, so the start stays ready for the next.
            Mac mac = copy(started);
            for (byte[] part : parts) {
                mac.update(part);
            }
            return uuid(mac.doFinal());
        }
    }

    /** HMAC-SHA256 of {@code message} with this key, on the calling thread's {@code Mac}. */
    byte[] hmac(byte[] message) {
        return macs.get().doFinal(message);
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

    private static Mac copy(Mac mac) {
        try {
            return (Mac) mac.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("this JDK's HmacSHA256 cannot be copied", e);
        }
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
