package org.pupilflow.adapters.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pupilflow.adapters.webhook.StandardWebhooks.Verification;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Against a real HTTP server on the loopback interface that verifies signatures as a recipient would. */
class WebhookSenderTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final byte[] BODY = "{\"disclosureId\":\"d-1\",\"recipientId\":\"dfe\",\"names\":{\"legalForename\":\"Zoë\"}}"
            .getBytes(StandardCharsets.UTF_8);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-20T09:00:00Z"));
    private final StandardWebhooks signer = new StandardWebhooks(SECRET);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private ExecutorService handlers;

    /** What the receiver saw of one request, and whether its signature verified at the receiver's "now". */
    private record Received(String path, String id, String timestamp, String signature, String contentType, String userAgent, byte[] body,
                            Verification verification) {
    }

    @BeforeEach
    void startReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::receive);
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.start();
    }

    @AfterEach
    void stopReceiver() {
        server.stop(0);
        handlers.shutdownNow();
    }

    @Test
    void deliversASignedBodyThatTheReceiverVerifies() throws Exception {
        WebhookResult result = sender("/accept").send("d-1", BODY);

        assertThat(result).isEqualTo(new WebhookResult.Delivered(204));
        assertThat(received).singleElement().satisfies(request -> {
            assertThat(request.verification()).isEqualTo(Verification.VERIFIED);
            assertThat(request.id()).isEqualTo("d-1");
            assertThat(request.timestamp()).isEqualTo(Long.toString(clock.instant().getEpochSecond()));
            assertThat(request.contentType()).isEqualTo("application/json");
            assertThat(request.userAgent()).isEqualTo("PupilFlow-recipient-adapters");
            assertThat(request.body()).isEqualTo(BODY);
        });
    }

    @Test
    void aRetrySendsTheSameIdWithAFreshTimestampAndSignature() throws Exception {
        WebhookSender sender = sender("/fail");

        sender.send("d-1", BODY);
        clock.advance(Duration.ofSeconds(30));
        sender.send("d-1", BODY);

        assertThat(received).hasSize(2).allSatisfy(request -> assertThat(request.verification()).isEqualTo(Verification.VERIFIED));
        assertThat(received).extracting(Received::id).containsExactly("d-1", "d-1");
        assertThat(Long.parseLong(received.get(1).timestamp()) - Long.parseLong(received.get(0).timestamp())).isEqualTo(30);
        assertThat(received.get(1).signature()).isNotEqualTo(received.get(0).signature());
    }

    @Test
    void serverErrorIsRetriedQuotingTheReceiversAnswer() throws Exception {
        WebhookResult result = sender("/fail").send("d-1", BODY);

        assertThat(result).isEqualTo(new WebhookResult.Retry("HTTP 500: database unavailable", Optional.empty()));
    }

    @Test
    void serviceUnavailableIsRetriedAfterTheDelaySecondsItAsksFor() throws Exception {
        WebhookResult result = sender("/busy").send("d-1", BODY);

        assertThat(result).isInstanceOfSatisfying(WebhookResult.Retry.class, retry -> {
            assertThat(retry.reason()).startsWith("HTTP 503");
            assertThat(retry.retryAfter()).contains(Duration.ofSeconds(7));
        });
    }

    @Test
    void tooManyRequestsIsRetriedAtTheHttpDateItAsksFor() throws Exception {
        WebhookResult result = sender("/throttle").send("d-1", BODY);

        assertThat(result).isInstanceOfSatisfying(WebhookResult.Retry.class, retry -> {
            assertThat(retry.reason()).startsWith("HTTP 429");
            assertThat(retry.retryAfter()).contains(Duration.ofSeconds(120));
        });
    }

    @Test
    void requestTimeoutAnswerIsRetried() throws Exception {
        assertThat(sender("/request-timeout").send("d-1", BODY)).isInstanceOf(WebhookResult.Retry.class);
    }

    @Test
    void badRequestIsAPermanentRefusalQuotingOnlyTheStartOfTheAnswer() throws Exception {
        WebhookResult result = sender("/bad").send("d-1", BODY);

        assertThat(result).isInstanceOfSatisfying(WebhookResult.Rejected.class, rejected -> {
            assertThat(rejected.status()).isEqualTo(400);
            assertThat(rejected.reason()).startsWith("HTTP 400: field names.legalSurname is required xxxx").endsWith("…")
                    .hasSize("HTTP 400: ".length() + WebhookSender.QUOTED_CHARS + 1);
        });
    }

    @Test
    void goneIsAPermanentRefusal() throws Exception {
        assertThat(sender("/gone").send("d-1", BODY)).isEqualTo(new WebhookResult.Rejected(410, "HTTP 410"));
    }

    @Test
    void redirectIsRefusedAndNotFollowed() throws Exception {
        WebhookResult result = sender("/moved").send("d-1", BODY);

        assertThat(result).isInstanceOfSatisfying(WebhookResult.Rejected.class, rejected -> {
            assertThat(rejected.status()).isEqualTo(301);
            assertThat(rejected.reason()).contains("/accept").contains("not followed");
        });
        assertThat(received).extracting(Received::path).containsExactly("/moved");
    }

    @Test
    void refusedConnectionIsRetried() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        WebhookSender sender = new WebhookSender(URI.create("http://127.0.0.1:" + closedPort + "/hook"), signer, CONNECT_TIMEOUT, REQUEST_TIMEOUT,
                clock);

        WebhookResult result = sender.send("d-1", BODY);

        assertThat(result).isInstanceOfSatisfying(WebhookResult.Retry.class,
                retry -> assertThat(retry.reason()).startsWith("could not connect to http://127.0.0.1:" + closedPort));
    }

    @Test
    void receiverThatDoesNotAnswerInTimeIsRetriedWithoutWaitingForIt() throws Exception {
        long started = System.nanoTime();

        WebhookResult result = sender("/slow").send("d-1", BODY);

        assertThat(result).isInstanceOfSatisfying(WebhookResult.Retry.class, retry -> assertThat(retry.reason()).contains("no response"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void reasonsNameTheHostButNotThePathOrQueryWhereTokensLive() throws Exception {
        WebhookResult result = new WebhookSender(URI.create("http://127.0.0.1:1/hook?token=s3cret"), signer, CONNECT_TIMEOUT, REQUEST_TIMEOUT, clock)
                .send("d-1", BODY);

        assertThat(result).isInstanceOfSatisfying(WebhookResult.Retry.class,
                retry -> assertThat(retry.reason()).contains("127.0.0.1:1").doesNotContain("s3cret").doesNotContain("/hook"));
    }

    @Test
    void refusesEndpointsThatAreNotHttpUrls() {
        assertThatThrownBy(() -> new WebhookSender(URI.create("ftp://recipient.example/drop"), signer)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookSender(URI.create("/relative/path"), signer)).isInstanceOf(IllegalArgumentException.class);
    }

    private WebhookSender sender(String path) {
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        return new WebhookSender(endpoint, signer, CONNECT_TIMEOUT, REQUEST_TIMEOUT, clock);
    }

    private void receive(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String id = exchange.getRequestHeaders().getFirst(StandardWebhooks.ID_HEADER);
        String timestamp = exchange.getRequestHeaders().getFirst(StandardWebhooks.TIMESTAMP_HEADER);
        String signature = exchange.getRequestHeaders().getFirst(StandardWebhooks.SIGNATURE_HEADER);
        String path = exchange.getRequestURI().getPath();
        received.add(new Received(path, id, timestamp, signature, exchange.getRequestHeaders().getFirst("content-type"),
                exchange.getRequestHeaders().getFirst("user-agent"), body, signer.verify(id, timestamp, signature, body, clock.instant())));
        switch (path) {
            case "/accept" -> respond(exchange, 204, "");
            case "/fail" -> respond(exchange, 500, "database unavailable\n");
            case "/busy" -> {
                exchange.getResponseHeaders().add("Retry-After", "7");
                respond(exchange, 503, "");
            }
            case "/throttle" -> {
                ZonedDateTime at = ZonedDateTime.ofInstant(clock.instant().plusSeconds(120), ZoneOffset.UTC);
                exchange.getResponseHeaders().add("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(at));
                respond(exchange, 429, "slow down");
            }
            case "/request-timeout" -> respond(exchange, 408, "");
            case "/bad" -> respond(exchange, 400, "field names.legalSurname is required " + "x".repeat(5000));
            case "/gone" -> respond(exchange, 410, "");
            case "/moved" -> {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + server.getAddress().getPort() + "/accept");
                respond(exchange, 301, "");
            }
            case "/slow" -> {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                respond(exchange, 204, "");
            }
            default -> respond(exchange, 404, "");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A clock the test moves, shared by sender and receiver so timestamps verify deterministically. */
    private static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration duration) {
            now.updateAndGet(instant -> instant.plus(duration));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
