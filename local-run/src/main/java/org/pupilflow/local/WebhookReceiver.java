package org.pupilflow.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A recipient's webhook endpoint for the local run, written as a recipient would write one from the
 * Standard Webhooks specification alone (not with PupilFlow's own signer): it checks every request's
 * {@code webhook-signature} over {@code webhook-id.webhook-timestamp.body}, refuses stale timestamps,
 * and treats {@code webhook-id} (the disclosure id) as its idempotency key. It answers 204, or 401 for
 * a request it cannot verify; it counts what it saw for the launcher's summary and the end-to-end tests.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final HttpServer server;
    private final byte[] key;
    private final String secret;
    private final Duration delay;
    private final Map<String, Set<String>> idsByRecipient = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    private WebhookReceiver(HttpServer server, String secret, Duration delay) {
        this.server = server;
        this.secret = secret;
        this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        this.delay = delay;
    }

    /**
     * @param delay how long each request takes to answer (a slow recipient, so the crash tests can stop the adapters mid-delivery)
     */
    public static WebhookReceiver start(Duration delay) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        WebhookReceiver receiver = new WebhookReceiver(server, "whsec_" + Base64.getEncoder().encodeToString(key), delay);
        server.createContext("/webhook/", receiver::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return receiver;
    }

    /** The signing secret the recipient agreed with the LA (generated per run). */
    public String secret() {
        return secret;
    }

    public String url(String recipientId) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhook/" + recipientId;
    }

    /** Distinct webhook ids (disclosure ids) received and verified for a recipient. */
    public Set<String> ids(String recipientId) {
        return Set.copyOf(idsByRecipient.getOrDefault(recipientId, Set.of()));
    }

    public long requests() {
        return requests.get();
    }

    /** Requests refused because their signature or timestamp did not verify. */
    public long refused() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            requests.incrementAndGet();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
            if (!"POST".equals(exchange.getRequestMethod()) || !verified(id, timestamp, signatures, body)) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            String recipient = exchange.getRequestURI().getPath().substring("/webhook/".length());
            // The id is the idempotency key: a retry after a lost response is acknowledged and not counted twice.
            idsByRecipient.computeIfAbsent(recipient, r -> ConcurrentHashMap.newKeySet()).add(id);
            exchange.sendResponseHeaders(204, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean verified(String id, String timestamp, String signatures, byte[] body) {
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(System.currentTimeMillis() / 1000 - seconds) > TOLERANCE.toSeconds()) {
            return false;
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            expected = mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (String signature : signatures.split(" ")) {
            if (signature.startsWith("v1,") && MessageDigest.isEqual(expected, decode(signature.substring(3)))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
