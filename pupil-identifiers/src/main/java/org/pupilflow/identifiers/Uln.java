package org.pupilflow.identifiers;

import java.util.OptionalInt;

/**
 * The Unique Learner Number: 10 digits issued by the Learning Records Service to learners aged
 * 14 and over; the first nine carry no meaning and the tenth is a check digit.
 *
 * <p>Algorithm (ESFA ILR derived data rule DD01, as summarised in DOMAIN.md §2.2): weight the
 * first nine digits 10, 9, …, 2 and take the sum mod 11; remainder 0 means no ULN can have that
 * stem, otherwise the check digit is {@code 10 - remainder}. Since 11 is prime and every weight is
 * below it, any single-digit substitution changes the remainder; the only way a one-digit slip can
 * still pass is by landing on {@link #TEMPORARY}, which is accepted without a check.
 */
public final class Uln {

    /** The ILR's placeholder ULN for a learner whose ULN is not yet known; accepted as valid. */
    public static final String TEMPORARY = "9999999999";

    static final int LENGTH = 10;

    private Uln() {
    }

    /**
     * The check digit for the first nine digits of a ULN, or empty when the weighted sum is
     * divisible by 11 (no valid ULN starts with that stem).
     *
     * @throws IllegalArgumentException when {@code stem9} is not exactly 9 digits
     */
    public static OptionalInt checkDigit(String stem9) {
        if (stem9 == null || stem9.length() != LENGTH - 1) {
            throw new IllegalArgumentException("a ULN stem is 9 digits, got " + (stem9 == null ? "null" : "'" + stem9 + "'"));
        }
        for (int i = 0; i < LENGTH - 1; i++) {
            if (!Upn.isDigit(stem9.charAt(i))) {
                throw new IllegalArgumentException("a ULN stem is 9 digits, got '" + stem9 + "'");
            }
        }
        int digit = checkDigitOfDigits(stem9);
        return digit < 0 ? OptionalInt.empty() : OptionalInt.of(digit);
    }

    /** Checks a candidate ULN; never throws. */
    public static IdentifierCheck check(String candidate) {
        if (candidate == null || candidate.isBlank()) {
            return IdentifierCheck.fail(candidate, IdentifierProblem.MISSING,
                    "ULN is missing: got " + (candidate == null ? "null" : "'" + candidate + "'"));
        }
        if (candidate.length() != LENGTH) {
            return IdentifierCheck.fail(candidate, IdentifierProblem.WRONG_LENGTH,
                    "ULN '" + candidate + "' has " + candidate.length() + " characters; a ULN has 10 digits");
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = candidate.charAt(i);
            if (!Upn.isDigit(c)) {
                return IdentifierCheck.fail(candidate, IdentifierProblem.INVALID_CHARACTER,
                        "ULN '" + candidate + "' has '" + c + "' at position " + (i + 1) + "; a ULN is 10 digits");
            }
        }
        if (TEMPORARY.equals(candidate)) {
            return IdentifierCheck.ok(candidate);
        }
        int expected = checkDigitOfDigits(candidate);
        if (expected < 0) {
            return IdentifierCheck.fail(candidate, IdentifierProblem.NO_VALID_CHECK_DIGIT,
                    "ULN '" + candidate + "' cannot be valid: its first 9 digits have weighted sum divisible by 11, so no check digit exists");
        }
        int actual = candidate.charAt(LENGTH - 1) - '0';
        if (actual != expected) {
            return IdentifierCheck.fail(candidate, IdentifierProblem.CHECK_DIGIT_MISMATCH,
                    "ULN '" + candidate + "' has check digit " + actual + " but its first 9 digits give " + expected);
        }
        return IdentifierCheck.ok(candidate);
    }

    /** Check digit of the first nine characters (already known to be digits), or -1 for remainder 0. */
    private static int checkDigitOfDigits(String s) {
        int sum = 0;
        for (int i = 0; i < LENGTH - 1; i++) {
            sum += (LENGTH - i) * (s.charAt(i) - '0');
        }
        int remainder = sum % 11;
        return remainder == 0 ? -1 : 10 - remainder;
    }
}
