package org.pupilflow.policy.load;

import java.util.List;
import java.util.stream.Collectors;

/** A policy file that must not be used; lists every error found, each with file, line and key. */
public class InvalidPolicyException extends RuntimeException {

    private final List<PolicyError> errors;

    public InvalidPolicyException(List<PolicyError> errors) {
        super("Invalid sharing policy (" + errors.size() + (errors.size() == 1 ? " error" : " errors") + "):\n  "
                + errors.stream().map(PolicyError::toString).collect(Collectors.joining("\n  ")));
        this.errors = List.copyOf(errors);
    }

    public List<PolicyError> errors() {
        return errors;
    }
}
