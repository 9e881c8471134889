package org.pupilflow.ingest.returns;

/** The upload passed {@code pupilflow.ingest.max-return-bytes}. */
public class ReturnTooLargeException extends RuntimeException {

    public ReturnTooLargeException(long limit) {
        super("The return is larger than the limit of " + limit + " bytes (pupilflow.ingest.max-return-bytes)");
    }
}
