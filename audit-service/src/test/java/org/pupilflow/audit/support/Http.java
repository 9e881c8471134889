package org.pupilflow.audit.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.pupilflow.security.LocalDevTokens;

/** Calls the running service as a client would, with a bearer token minted with the test key. */
public final class Http {

    public static final String SECRET = "test-only-jwt-signing-key-0123456789abcdef";

    private final HttpClient client = HttpClient.newHttpClient();
    private final int port;

    public Http(int port) {
        this.port = port;
    }

    public static String token(String subject, String... roles) {
        return LocalDevTokens.mint(SECRET, subject, roles);
    }

    public HttpResponse<String> get(String path, String token) {
        return get(path, token, "application/json");
    }

    public HttpResponse<String> get(String path, String token, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Accept", accept);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
