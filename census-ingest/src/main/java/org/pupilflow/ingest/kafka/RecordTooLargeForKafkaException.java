package org.pupilflow.ingest.kafka;

/** The broker (or the producer's own limit) refused a record as too large: the request is answered 413, nothing published. */
public class RecordTooLargeForKafkaException extends RuntimeException {

    public RecordTooLargeForKafkaException(String what, Throwable cause) {
        super(what + " is larger than Kafka accepts (" + cause.getMessage() + ")", cause);
    }

    /** Whether {@code failure}, or anything that caused it, is Kafka refusing a record for its size. */
    public static boolean isCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.apache.kafka.common.errors.RecordTooLargeException
                    || cause instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException) {
                return true;
            }
        }
        return false;
    }
}
