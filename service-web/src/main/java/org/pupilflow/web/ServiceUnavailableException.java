package org.pupilflow.web;

/** A dependency (Kafka, the database) is not answering: 503 with {@code Retry-After} ({@code pupilflow.web.retry-after}). */
public class ServiceUnavailableException extends RuntimeException {

    public ServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
