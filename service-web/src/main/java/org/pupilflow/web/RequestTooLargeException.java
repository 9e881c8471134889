package org.pupilflow.web;

/**
 * A request body passed a configured limit; answered 413 with {@code limit} and {@code setting}.
 * Unchecked, so it passes through the JSON parser and the servlet stack unwrapped.
 */
public class RequestTooLargeException extends RuntimeException {

    private final long limit;
    private final String setting;

    public RequestTooLargeException(String what, long limit, String setting) {
        super(what + " is larger than the limit of " + limit + " bytes (" + setting + ")", null, false, false);
        this.limit = limit;
        this.setting = setting;
    }

    public long limit() {
        return limit;
    }

    public String setting() {
        return setting;
    }
}
