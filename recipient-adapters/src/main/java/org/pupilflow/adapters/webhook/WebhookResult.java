package org.pupilflow.adapters.webhook;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one delivery attempt by {@link WebhookSender} came to, and so what the caller does next:
 * record the delivery, try again later, or stop and tell a person.
 */
public sealed interface WebhookResult {

    /** The receiver answered 2xx: it has the disclosure. */
    record Delivered(int status) implements WebhookResult {
    }

    /**
     * Worth trying again (5xx, 408, 429, no connection, no response in time), with the same
     * webhook id.
     *
     * @param reason     for logs and the audit trail: status or network failure, and the start of
     *                   the receiver's answer
     * @param retryAfter the receiver's {@code Retry-After}, when it gave a usable one
     */
    record Retry(String reason, Optional<Duration> retryAfter) implements WebhookResult {
        public Retry {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /**
     * A permanent refusal: any other 4xx, or a 3xx (redirects are not followed, since a moved
     * endpoint must be configured, not guessed). Retrying would only be refused again.
     */
    record Rejected(int status, String reason) implements WebhookResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
