package org.pupilflow.ingest.objections;

/** An objection that cannot be accepted, with the reason in words and the field at fault. */
public class ObjectionRefusedException extends RuntimeException {

    private final String field;
    private final int status;

    public ObjectionRefusedException(String field, String message, int status) {
        super(message);
        this.field = field;
        this.status = status;
    }

    public String field() {
        return field;
    }

    public int status() {
        return status;
    }
}
