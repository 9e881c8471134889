package org.pupilflow.ingest.objections;

/** A text field longer than its configured limit: 422 naming the field, its length, the limit and the setting. */
public class FieldTooLongException extends RuntimeException {

    private final String field;
    private final int limit;
    private final String setting;

    public FieldTooLongException(String field, int length, int limit, String setting) {
        super(field + " is " + length + " characters long; at most " + limit + " are accepted (" + setting + ")");
        this.field = field;
        this.limit = limit;
        this.setting = setting;
    }

    public String field() {
        return field;
    }

    public int limit() {
        return limit;
    }

    public String setting() {
        return setting;
    }
}
