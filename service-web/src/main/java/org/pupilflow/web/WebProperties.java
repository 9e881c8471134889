package org.pupilflow.web;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What every service's HTTP API shares ({@code pupilflow.web.*}).
 *
 * @param maxJsonBody largest JSON request body accepted (default 64KB); larger ones get 413 before they are parsed.
 *                    Census returns are not JSON and have their own limit ({@code pupilflow.ingest.max-return-bytes}).
 * @param retryAfter  what {@code Retry-After} says on a 503 when Kafka or the database is not answering (default 30s)
 */
@Validated
@ConfigurationProperties("pupilflow.web")
public record WebProperties(@NotNull DataSize maxJsonBody, @NotNull Duration retryAfter) {

    public WebProperties {
        maxJsonBody = maxJsonBody == null ? DataSize.ofKilobytes(64) : maxJsonBody;
        retryAfter = retryAfter == null ? Duration.ofSeconds(30) : retryAfter;
        if (maxJsonBody.toBytes() < 1) {
            throw new IllegalArgumentException("pupilflow.web.max-json-body must be at least 1 byte, was " + maxJsonBody);
        }
        if (retryAfter.isNegative() || retryAfter.isZero()) {
            throw new IllegalArgumentException("pupilflow.web.retry-after must be positive, was " + retryAfter);
        }
    }
}
