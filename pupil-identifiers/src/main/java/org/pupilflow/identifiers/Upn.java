package org.pupilflow.identifiers;

/**
 * The Unique Pupil Number: check letter, 3-digit LA number, 4-digit DfE establishment number,
 * 2-digit year of issue, 3-digit serial. A temporary UPN, issued while a permanent one is being
 * traced, has a 2-digit serial followed by a letter.
 *
 * <p>Algorithm (govtalk "Unique Pupil Number 2.0" standard, as summarised in DOMAIN.md §2.1):
 * weight characters 2–13 by their position 2..13, digits at face value and a temporary UPN's
 * final letter at its index in {@link #ALPHABET}; the check letter is {@code ALPHABET[sum mod 23]}.
 * Because 23 is prime and every weight is below it, any single substitution <em>within</em> a
 * character class changes the remainder. The one blind spot, shown by the tests: swapping a final
 * digit {@code d} for the letter at {@code ALPHABET[d]} (e.g. {@code 0 ↔ A}) leaves the sum unchanged.
 *
 * <p>Builders here do not consult the {@link LocalAuthorityRegister}; use {@link UpnValidator}
 * to check a UPN someone else issued.
 */
public final class Upn {

    /** Check letters and temporary final letters: 23 letters, no I, O or S (easily misread). */
    public static final String ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ";

    static final int LENGTH = 13;

    /** Alphabet index by ASCII code, -1 where not an alphabet letter; avoids indexOf on the hot path. */
    private static final byte[] LETTER_VALUE = new byte[128];

    static {
        java.util.Arrays.fill(LETTER_VALUE, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            LETTER_VALUE[ALPHABET.charAt(i)] = (byte) i;
        }
    }

    private Upn() {
    }

    /**
     * The check letter for characters 2–13 of a UPN.
     *
     * @param body12 11 digits then a digit or an {@link #ALPHABET} letter
     * @throws IllegalArgumentException when {@code body12} is null or not of that shape
     */
    public static char checkLetter(String body12) {
        if (body12 == null || body12.length() != LENGTH - 1) {
            throw new IllegalArgumentException("a UPN body is 12 characters (UPN characters 2-13), got "
                    + (body12 == null ? "null" : "'" + body12 + "'"));
        }
        int sum = 0;
        for (int i = 0; i < LENGTH - 2; i++) {
            char c = body12.charAt(i);
            if (!isDigit(c)) {
                throw new IllegalArgumentException("UPN body '" + body12 + "' has '" + c + "' at body position "
                        + (i + 1) + "; body positions 1-11 must be digits");
            }
            sum += (i + 2) * (c - '0');
        }
        int last = finalValue(body12.charAt(LENGTH - 2));
        if (last < 0) {
            throw new IllegalArgumentException("UPN body '" + body12 + "' ends in '" + body12.charAt(LENGTH - 2)
                    + "'; it must end in a digit or a letter from " + ALPHABET);
        }
        sum += LENGTH * last;
        return ALPHABET.charAt(sum % 23);
    }

    /**
     * Builds a permanent UPN with its check letter.
     *
     * @param laCode        3-digit LA number of the issuing school (not checked against the register)
     * @param establishment 4-digit DfE establishment number
     * @param yearOfIssue   two-digit year, 0..99
     * @param serial        0..999
     * @throws IllegalArgumentException when any part is out of range
     */
    public static String permanent(String laCode, String establishment, int yearOfIssue, int serial) {
        requireDigits("LA code", laCode, 3);
        requireDigits("establishment number", establishment, 4);
        requireRange("year of issue", yearOfIssue, 99);
        requireRange("serial", serial, 999);
        String body = laCode + establishment + twoDigits(yearOfIssue) + (char) ('0' + serial / 100) + twoDigits(serial % 100);
        return checkLetter(body) + body;
    }

    /**
     * Builds a temporary UPN with its check letter.
     *
     * @param serial      0..99
     * @param finalLetter a letter from {@link #ALPHABET}
     * @throws IllegalArgumentException when any part is out of range
     */
    public static String temporary(String laCode, String establishment, int yearOfIssue, int serial, char finalLetter) {
        requireDigits("LA code", laCode, 3);
        requireDigits("establishment number", establishment, 4);
        requireRange("year of issue", yearOfIssue, 99);
        requireRange("temporary serial", serial, 99);
        if (letterValue(finalLetter) < 0) {
            throw new IllegalArgumentException("a temporary UPN ends in a letter from " + ALPHABET + ", got '" + finalLetter + "'");
        }
        String body = laCode + establishment + twoDigits(yearOfIssue) + twoDigits(serial) + finalLetter;
        return checkLetter(body) + body;
    }

    /**
     * True when the last character of a 13-character string is a letter from {@link #ALPHABET},
     * i.e. it has the shape of a temporary UPN. Says nothing about validity; never throws.
     */
    public static boolean isTemporary(String upn) {
        return upn != null && upn.length() == LENGTH && letterValue(upn.charAt(LENGTH - 1)) >= 0;
    }

    /** Alphabet index of {@code c}, or -1. */
    static int letterValue(char c) {
        return c < 128 ? LETTER_VALUE[c] : -1;
    }

    /** Value of character 13: a digit at face value or an alphabet letter at its index; -1 otherwise. */
    static int finalValue(char c) {
        return isDigit(c) ? c - '0' : letterValue(c);
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String twoDigits(int n) {
        return new String(new char[] {(char) ('0' + n / 10), (char) ('0' + n % 10)});
    }

    private static void requireDigits(String what, String value, int length) {
        if (value == null || value.length() != length) {
            throw new IllegalArgumentException(what + " must be " + length + " digits, got "
                    + (value == null ? "null" : "'" + value + "'"));
        }
        for (int i = 0; i < length; i++) {
            if (!isDigit(value.charAt(i))) {
                throw new IllegalArgumentException(what + " must be " + length + " digits, got '" + value + "'");
            }
        }
    }

    private static void requireRange(String what, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(what + " must be 0.." + max + ", got " + value);
        }
    }
}
