package org.pupilflow.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** With a policy whose recipients all read Kafka themselves there is nothing to deliver, and the service still reports health and metrics. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"pupilflow.adapters.policy-file=../policies/lancashire.yaml",
    "pupilflow.adapters.create-topics=false"})
class RecipientAdaptersApplicationTest {

    @Value("${local.server.port}")
    private int port;

    @Test
    void reportsHealthUpAndExposesPrometheusMetrics() throws Exception {
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("application=\"recipient-adapters\"");
    }

    /** Bad requests to the adapters' endpoints (health and metrics): each answer is a problem document saying what is accepted. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1} -> {3}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', nullValues = "-", value = {
        "GET    | /deliveries                      | -               | 404 | not-found          | /deliveries",
        "POST   | /actuator/health                 | -               | 405 | method-not-allowed | GET",
        "GET    | /actuator/health                 | application/pdf | 406 | not-acceptable     | application/json",
        "GET    | /actuator/env                    | -               | 404 | not-found          | /actuator/env",
        "GET    | /actuator/%2e%2e/%2e%2e/etc/passwd | -             | 400 | bad-request        | refused"})
    void everyBadRequestIsAProblemDocumentSayingWhatIsAccepted(String method, String path, String accept, int status, String type, String mentions)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (accept != null) {
            request.header("Accept", accept);
        }

        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(value -> assertThat(value).startsWith("application/problem+json"));
        tools.jackson.databind.JsonNode problem = tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body());
        assertThat(problem.get("type").asString()).isEqualTo("urn:pupilflow:problem:" + type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).contains(mentions);
    }
}
