package org.pupilflow.identifiers;

import java.util.Objects;

/**
 * Outcome of checking one identifier, returned instead of thrown because bad identifiers are
 * expected input (census returns carry typos) and callers report them per row.
 *
 * <p>{@code valid() == (problem() == null)}. When invalid, {@link #message()} is a sentence that
 * names the value and the rule it broke, fit to show to the LA user who uploaded the file. When
 * valid, {@code message()} is {@code null}. Messages contain the identifier itself, which is
 * personal data: log them only where pupil data may be logged.
 *
 * @param value   the candidate exactly as given (may be {@code null})
 * @param problem why it was rejected, or {@code null} when valid
 * @param message human-readable reason, or {@code null} when valid
 */
public record IdentifierCheck(String value, IdentifierProblem problem, String message) {

    public IdentifierCheck {
        if (problem != null && (message == null || message.isBlank())) {
            throw new IllegalArgumentException("a failed identifier check needs a message saying why (problem " + problem + ")");
        }
    }

    /** A passed check. */
    public static IdentifierCheck ok(String value) {
        return new IdentifierCheck(value, null, null);
    }

    /** A failed check; {@code problem} and a non-blank {@code message} are required. */
    public static IdentifierCheck fail(String value, IdentifierProblem problem, String message) {
        Objects.requireNonNull(problem, "problem");
        return new IdentifierCheck(value, problem, message);
    }

    public boolean valid() {
        return problem == null;
    }
}
