package org.pupilflow.identifiers;

import java.time.LocalDate;
import java.util.Objects;

/**
 * An English local authority as identified by its 3-digit DfE LA number, the number that forms
 * characters 2–4 of a UPN.
 *
 * @param code     the 3-digit LA number, e.g. {@code "926"}
 * @param name     display name, e.g. {@code "Norfolk"}
 * @param closedOn the day the number stopped being used after a reorganisation, or {@code null}
 *                 when still in use. UPNs issued under a closed number remain valid for life.
 */
public record LocalAuthority(String code, String name, LocalDate closedOn) {

    public LocalAuthority {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        if (!isThreeDigits(code)) {
            throw new IllegalArgumentException("LA code must be 3 digits, got '" + code + "'");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("LA " + code + " needs a name");
        }
    }

    /** True when the LA number is still in use (has no closing date). */
    public boolean current() {
        return closedOn == null;
    }

    static boolean isThreeDigits(String s) {
        return s.length() == 3 && isDigit(s.charAt(0)) && isDigit(s.charAt(1)) && isDigit(s.charAt(2));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
