package org.pupilflow.adapters.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Delivers one JSON body to one recipient's webhook endpoint with Standard Webhooks headers,
 * using the JDK HTTP client. Each call to {@link #send} is one attempt: it signs with a fresh
 * timestamp (the receiver rejects stale ones), so a retry is simply another call with the same id.
 *
 * <p>Never throws for HTTP or network failures: they are {@link WebhookResult.Retry} or
 * {@link WebhookResult.Rejected}. Reasons name the endpoint's host only (a URL may carry a
 * token) and quote at most {@value #QUOTED_CHARS} characters of the receiver's answer.
 * Thread-safe; one instance per endpoint keeps one connection pool and one secret together.
 */
public final class WebhookSender {

    public static final String USER_AGENT = "PupilFlow-recipient-adapters";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The specification recommends 15 to 30 seconds, so receivers have time to process. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final int QUOTED_CHARS = 200;
    /** Bytes of a response body kept: enough for the quoted characters in any UTF-8. */
    private static final int KEPT_BYTES = QUOTED_CHARS * 4;

    private final URI endpoint;
    private final StandardWebhooks signer;
    private final Duration requestTimeout;
    private final Duration deadline;
    private final Clock clock;
    private final HttpClient client;

    /** With the default timeouts and the system clock. */
    public WebhookSender(URI endpoint, StandardWebhooks signer) {
        this(endpoint, signer, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, Clock.systemUTC());
    }

    /**
     * @param endpoint       an http or https URL
     * @param connectTimeout how long to wait for a connection
     * @param requestTimeout how long to wait for the response once sending
     * @param clock          source of the {@code webhook-timestamp} and of "now" for a {@code Retry-After} date
     */
    public WebhookSender(URI endpoint, StandardWebhooks signer, Duration connectTimeout, Duration requestTimeout, Clock clock) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || endpoint.getHost() == null) {
            throw new IllegalArgumentException("A webhook endpoint is an http or https URL with a host, not " + describe(endpoint));
        }
        this.signer = Objects.requireNonNull(signer, "signer");
        this.requestTimeout = positive(requestTimeout, "requestTimeout");
        // The client's own request timeout ends the wait for response headers; this outer deadline also
        // bounds a connection and a body that stalls half way, so a consumer thread is never stuck.
        this.deadline = positive(connectTimeout, "connectTimeout").plus(requestTimeout);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                // One request per disclosure: HTTP/1.1 avoids the h2c upgrade dance on plain http for nothing.
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * One delivery attempt.
     *
     * @param webhookId the same for every attempt at the same disclosure: the receiver's idempotency key
     * @param body      the JSON document, sent and signed byte for byte
     * @throws InterruptedException if the calling thread is interrupted while waiting (the request is cancelled)
     */
    public WebhookResult send(String webhookId, byte[] body) throws InterruptedException {
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("content-type", "application/json")
                .header("user-agent", USER_AGENT)
                .header(StandardWebhooks.ID_HEADER, webhookId)
                .header(StandardWebhooks.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(StandardWebhooks.SIGNATURE_HEADER, signer.sign(webhookId, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<String>> pending = client.sendAsync(request, info -> new FirstBytes(KEPT_BYTES));
        HttpResponse<String> response;
        try {
            response = pending.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            return retry("no complete response from " + describe(endpoint) + " within " + deadline.toMillis() + " ms");
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            return failed(e.getCause());
        }
        return classify(response);
    }

    private WebhookResult classify(HttpResponse<String> response) {
        int status = response.statusCode();
        String answer = quote(response.body());
        if (status >= 200 && status <= 299) {
            return new WebhookResult.Delivered(status);
        }
        if (status >= 300 && status <= 399) {
            String location = response.headers().firstValue("location").map(WebhookSender::quote).orElse("no location");
            return new WebhookResult.Rejected(status, "HTTP " + status + " redirect to " + location
                    + " not followed: a moved endpoint must be configured" + answer(answer));
        }
        if (status == 408 || status == 429 || status >= 500 && status <= 599) {
            return new WebhookResult.Retry("HTTP " + status + answer(answer), retryAfter(response.headers()));
        }
        if (status >= 400 && status <= 499) {
            return new WebhookResult.Rejected(status, "HTTP " + status + answer(answer));
        }
        // Informational or non-standard codes: a failure, but nothing says it is permanent.
        return new WebhookResult.Retry("unexpected HTTP " + status + answer(answer), Optional.empty());
    }

    private WebhookResult failed(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return retry("no connection to " + describe(endpoint) + " within the connect timeout");
        }
        if (cause instanceof HttpTimeoutException) {
            return retry("no response from " + describe(endpoint) + " within " + requestTimeout.toMillis() + " ms");
        }
        if (cause instanceof ConnectException) {
            return retry("could not connect to " + describe(endpoint) + message(cause));
        }
        if (cause instanceof IOException) {
            return retry("I/O failure talking to " + describe(endpoint) + ": " + cause.getClass().getSimpleName() + message(cause));
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime; // a defect, not a network failure
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return retry("failure talking to " + describe(endpoint) + ": " + cause);
    }

    /** Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3); anything else is ignored. */
    private Optional<Duration> retryAfter(HttpHeaders headers) {
        Optional<String> value = headers.firstValue("retry-after").map(String::strip);
        if (value.isEmpty() || value.get().isEmpty()) {
            return Optional.empty();
        }
        String text = value.get();
        if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return text.length() > 12 ? Optional.empty() : Optional.of(Duration.ofSeconds(Long.parseLong(text)));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static WebhookResult.Retry retry(String reason) {
        return new WebhookResult.Retry(reason, Optional.empty());
    }

    private static String answer(String quoted) {
        return quoted.isEmpty() ? "" : ": " + quoted;
    }

    private static String message(Throwable cause) {
        return cause.getMessage() == null ? "" : ": " + quote(cause.getMessage());
    }

    /** At most {@value #QUOTED_CHARS} characters on one line: reasons go to logs and the audit trail. */
    static String quote(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ").replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= QUOTED_CHARS ? oneLine : oneLine.substring(0, QUOTED_CHARS) + "…";
    }

    /** Scheme, host and port only: paths and queries of webhook URLs often carry tokens. */
    private static String describe(URI uri) {
        return (uri.getScheme() == null ? "" : uri.getScheme() + "://") + (uri.getHost() == null ? "(no host)" : uri.getHost())
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    private static Duration positive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
        return duration;
    }

    /**
     * Keeps the first bytes of a response body and then stops reading, so an endless or huge
     * answer costs neither memory nor time.
     */
    private static final class FirstBytes implements HttpResponse.BodySubscriber<String> {
        private final int limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CompletableFuture<String> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        FirstBytes(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), limit - kept.size());
                byte[] bytes = new byte[take];
                buffer.get(bytes);
                kept.write(bytes, 0, take);
            }
            if (kept.size() >= limit) {
                subscription.cancel();
                complete();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            complete();
        }

        private void complete() {
            // A cut multi-byte character becomes U+FFFD rather than failing the whole answer.
            body.complete(new String(kept.toByteArray(), StandardCharsets.UTF_8));
        }
    }
}
