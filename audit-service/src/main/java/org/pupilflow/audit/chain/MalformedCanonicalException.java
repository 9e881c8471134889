package org.pupilflow.audit.chain;

/** Stored canonical bytes that this build could not have written. */
public class MalformedCanonicalException extends RuntimeException {

    public MalformedCanonicalException(String message) {
        super(message);
    }
}
