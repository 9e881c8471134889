package org.pupilflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.stream.Stream;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Spring MVC's own errors, and those raised outside it, are problem documents that say what is wrong and what is accepted. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = ProblemDocumentsTest.App.class,
        properties = {"pupilflow.web.max-json-body=2KB", "server.address=127.0.0.1"})
class ProblemDocumentsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Value("${local.server.port}")
    private int port;

    enum Colour { RED, GREEN }

    record Order(@NotBlank String item, Colour colour, LocalDate due) {
    }

    @SpringBootApplication
    @RestController
    static class App {
        @GetMapping("/things")
        String things(@RequestParam Colour colour, @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate on,
                      @RequestParam(defaultValue = "0") int page) {
            return "ok";
        }

        @PostMapping(path = "/orders", consumes = "application/json")
        String order(@Valid @RequestBody Order order) {
            return "ok";
        }

        @GetMapping("/boom")
        String boom() {
            throw new IllegalStateException("secret internals J935123420731");
        }

        @GetMapping("/typed")
        String typed() {
            ProblemDetail problem = new ProblemType("colour-refused", 422, "Colour refused", "a test type").problem("green is not allowed today");
            problem.setProperty("field", "colour");
            throw new ErrorResponseException(HttpStatusCode.valueOf(422), problem, null);
        }

        @GetMapping("/gone")
        String gone() {
            throw new ResponseStatusException(HttpStatusCode.valueOf(404), "No order 42");
        }

        @GetMapping("/down")
        String down() {
            throw new ServiceUnavailableException("Kafka is not answering", null);
        }
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("GET", "/things?colour=BLUE", null, null, 400, "invalid-parameter", "colour", "RED, GREEN"),
                Arguments.of("GET", "/things", null, null, 400, "invalid-parameter", "colour", "colour"),
                Arguments.of("GET", "/things?colour=RED&on=2026-13-45", null, null, 400, "invalid-parameter", "on", "yyyy-MM-dd"),
                Arguments.of("GET", "/things?colour=RED&page=two", null, null, 400, "invalid-parameter", "page", "whole number"),
                Arguments.of("POST", "/orders", "text/plain", "hello", 415, "unsupported-media-type", null, "application/json"),
                Arguments.of("POST", "/orders", "application/json", "{not json", 400, "malformed-body", null, "not valid JSON"),
                Arguments.of("POST", "/orders", "application/json", "{\"item\":\"x\",\"colour\":\"BLUE\"}", 400, "malformed-body", "colour", "RED, GREEN"),
                Arguments.of("POST", "/orders", "application/json", "{\"item\":\"x\",\"due\":\"2026-13-45\"}", 400, "malformed-body", "due", "yyyy-MM-dd"),
                Arguments.of("POST", "/orders", "application/json", "{\"colour\":\"RED\"}", 400, "invalid-field", null, "item"),
                Arguments.of("POST", "/orders", "application/json", "{\"item\":\"" + "x".repeat(3_000) + "\"}", 413, "payload-too-large", null, "pupilflow.web.max-json-body"),
                Arguments.of("DELETE", "/things", null, null, 405, "method-not-allowed", null, "GET"),
                Arguments.of("GET", "/nowhere", null, null, 404, "not-found", null, "/nowhere"),
                Arguments.of("GET", "/boom", null, null, 500, "internal-error", null, "IllegalStateException"),
                Arguments.of("GET", "/down", null, null, 503, "service-unavailable", null, "Kafka"),
                Arguments.of("GET", "/typed", null, null, 422, "colour-refused", "colour", "green is not allowed"),
                Arguments.of("GET", "/gone", null, null, 404, "not-found", null, "No order 42"),
                // Refused by the servlet container / firewall before Spring MVC: rendered by the error controller.
                Arguments.of("GET", "/things/%2e%2e/%2e%2e/etc", null, null, 400, "bad-request", null, "refused before it reached the application"));
    }

    @ParameterizedTest(name = "{0} {1} -> {4} {5}")
    @MethodSource("badRequests")
    void everyErrorIsAProblemDocumentNamingWhatIsWrong(String method, String path, String contentType, String body, int status, String type,
                                                       String names, String mentions) throws Exception {
        HttpResponse<String> response = send(method, path, contentType, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(value -> assertThat(value).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asString()).isEqualTo(ProblemType.PREFIX + type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).contains(mentions);
        if (names != null) {
            String named = problem.has("parameter") ? problem.get("parameter").asString() : problem.get("field").asString();
            assertThat(named).isEqualTo(names);
            if (status == 400) {
                assertThat(problem.get("accepted")).isNotNull();
            }
        }
        assertThat(response.body()).doesNotContain("at org.springframework", "J935123420731");
    }

    @Test
    void aServiceUnavailableAnswerSaysWhenToTryAgain() throws Exception {
        HttpResponse<String> response = send("GET", "/down", null, null);

        assertThat(response.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(JSON.readTree(response.body()).get("retryAfterSeconds").asInt()).isEqualTo(30);
    }

    @Test
    void aChunkedBodyOverTheLimitIsCutOffWith413() throws Exception {
        String big = "{\"item\":\"" + "x".repeat(5_000) + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes()))).build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).get("limit").asLong()).isEqualTo(2_048);
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
