package org.pupilflow.identifiers;

/**
 * Why an identifier was rejected. A closed set, so that ingest can report per-row reasons and
 * dashboards can count rejects by cause without parsing messages.
 */
public enum IdentifierProblem {
    /** Null or blank: nothing to check. */
    MISSING,
    /** Not 13 characters (UPN) or 10 characters (ULN). */
    WRONG_LENGTH,
    /** A character not allowed at its position. */
    INVALID_CHARACTER,
    /** A UPN whose LA number (characters 2–4) has never been an English LA number. */
    UNKNOWN_LOCAL_AUTHORITY,
    /** A UPN whose first character is not the check letter of characters 2–13. */
    CHECK_LETTER_MISMATCH,
    /** A ULN whose last digit is not the check digit of its first nine. */
    CHECK_DIGIT_MISMATCH,
    /** A ULN whose first nine digits have remainder 0 mod 11, for which no check digit exists. */
    NO_VALID_CHECK_DIGIT
}
