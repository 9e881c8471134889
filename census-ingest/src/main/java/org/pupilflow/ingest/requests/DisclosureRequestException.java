package org.pupilflow.ingest.requests;

/**
 * A disclosure request, approval or refusal that cannot be accepted: the reason in words, the field at fault (or null)
 * and what kind of refusal it is.
 */
public class DisclosureRequestException extends RuntimeException {

    /** What kind of refusal, for the problem type. */
    public enum Kind {
        /** The request breaks a rule (unknown recipient, a legal basis the rule does not allow, no case reference, ...): 422. */
        INVALID,
        /** No request has this id: 404. */
        NOT_FOUND,
        /** The request is no longer pending (approved, refused or expired): 409. */
        NOT_PENDING,
        /** The officer asked for it, or approved it already: a second approval must come from a different officer: 403. */
        OWN_APPROVAL
    }

    private final Kind kind;
    private final String field;

    public DisclosureRequestException(Kind kind, String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }
}
