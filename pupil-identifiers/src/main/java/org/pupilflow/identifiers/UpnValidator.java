package org.pupilflow.identifiers;

import java.util.Objects;

/**
 * Checks UPNs arriving in census returns and CTFs, reporting the first rule broken.
 *
 * <p>Rules in order (govtalk UPN 2.0 standard; DOMAIN.md §2.1): present; 13 characters;
 * a check letter from {@link Upn#ALPHABET}, 11 digits, then a digit or an alphabet letter;
 * an LA number known to the register (closed numbers included, as UPNs outlive LA
 * reorganisations); the correct check letter. Input is not trimmed or upper-cased: the
 * standard defines UPNs as upper case, and silently repairing a value would hide a data
 * quality problem the sending school should fix.
 *
 * <p>This runs once per pupil per return (millions of times), so the valid path makes one pass
 * over the characters without regular expressions, substrings or boxing: the only allocation is
 * the returned {@link IdentifierCheck}. Thread-safe; never throws.
 */
public final class UpnValidator {

    private final LocalAuthorityRegister register;

    public UpnValidator(LocalAuthorityRegister register) {
        this.register = Objects.requireNonNull(register, "register");
    }

    public IdentifierCheck check(String candidate) {
        if (candidate == null || candidate.isBlank()) {
            return IdentifierCheck.fail(candidate, IdentifierProblem.MISSING,
                    "UPN is missing: got " + (candidate == null ? "null" : "'" + candidate + "'"));
        }
        if (candidate.length() != Upn.LENGTH) {
            return IdentifierCheck.fail(candidate, IdentifierProblem.WRONG_LENGTH,
                    "UPN '" + candidate + "' has " + candidate.length() + " characters; a UPN has 13");
        }
        char check = candidate.charAt(0);
        if (Upn.letterValue(check) < 0) {
            return invalidCharacter(candidate, 0, "must be a check letter from " + Upn.ALPHABET + " (never I, O or S)");
        }
        int sum = 0;
        int la = 0;
        for (int i = 1; i < Upn.LENGTH - 1; i++) {
            char c = candidate.charAt(i);
            if (!Upn.isDigit(c)) {
                return invalidCharacter(candidate, i, "must be a digit");
            }
            int digit = c - '0';
            sum += (i + 1) * digit;
            if (i <= 3) {
                la = la * 10 + digit;
            }
        }
        char lastChar = candidate.charAt(Upn.LENGTH - 1);
        int last = Upn.finalValue(lastChar);
        if (last < 0) {
            return invalidCharacter(candidate, Upn.LENGTH - 1, "must be a digit, or for a temporary UPN a letter from " + Upn.ALPHABET);
        }
        sum += Upn.LENGTH * last;
        // LA before check letter: an unknown LA is the more useful report, since a mistyped
        // LA number usually also breaks the check letter.
        if (!register.isKnownNumber(la)) {
            return IdentifierCheck.fail(candidate, IdentifierProblem.UNKNOWN_LOCAL_AUTHORITY,
                    "UPN '" + candidate + "' has LA number " + candidate.substring(1, 4)
                            + ", which is not a known English local authority number");
        }
        char expected = Upn.ALPHABET.charAt(sum % 23);
        if (expected != check) {
            return IdentifierCheck.fail(candidate, IdentifierProblem.CHECK_LETTER_MISMATCH,
                    "UPN '" + candidate + "' has check letter " + check + " but its "
                            + (!Upn.isDigit(lastChar) ? "digits and final letter give " : "digits give ") + expected);
        }
        return IdentifierCheck.ok(candidate);
    }

    private static IdentifierCheck invalidCharacter(String candidate, int index, String rule) {
        return IdentifierCheck.fail(candidate, IdentifierProblem.INVALID_CHARACTER,
                "UPN '" + candidate + "' has '" + candidate.charAt(index) + "' at position " + (index + 1)
                        + "; position " + (index + 1) + " " + rule);
    }
}
