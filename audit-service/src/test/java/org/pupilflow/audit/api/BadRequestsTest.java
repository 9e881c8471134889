package org.pupilflow.audit.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pupilflow.audit.support.AuditServiceTest;
import org.pupilflow.audit.support.Http;
import org.pupilflow.security.LocalDevTokens;
import org.springframework.beans.factory.annotation.Value;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every endpoint of audit-service, sent bad requests: each answer is a problem document naming the parameter at fault and what is accepted. */
@AuditServiceTest
class BadRequestsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Value("${local.server.port}")
    private int port;

    record Bad(String name, String method, String path, String accept, String token, int status, String type, String parameter, String mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> badRequests() {
        String read = Http.token("dpo", "audit:read");
        Instant now = Instant.now();
        String noExpiry = LocalDevTokens.sign(Http.SECRET, LocalDevTokens.claims("dpo", "audit:read").issueTime(Date.from(now)).build());
        String aYearLong = LocalDevTokens.sign(Http.SECRET, LocalDevTokens.claims("dpo", "audit:read").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofDays(365)))).build());
        String fromTheFuture = LocalDevTokens.sign(Http.SECRET, LocalDevTokens.claims("dpo", "audit:read").issueTime(Date.from(now.plus(Duration.ofHours(1))))
                .expirationTime(Date.from(now.plus(Duration.ofHours(2)))).build());
        return Stream.of(
                new Bad("not a UPN", "GET", "/audit/subjects/robert'drop", null, read, 400, "invalid-parameter", "upn", "13 capital letters or digits"),
                new Bad("subject access as PDF", "GET", "/audit/subjects/J935123420731", "application/pdf", read, 406, "not-acceptable", null, "Accept"),
                new Bad("outcome=MAYBE", "GET", "/audit/disclosures?outcome=MAYBE", null, read, 400, "invalid-parameter", "outcome", "DISCLOSED"),
                new Bad("from=yesterday", "GET", "/audit/disclosures?from=yesterday", null, read, 400, "invalid-parameter", "from", "ISO date"),
                new Bad("to=2026-13-45", "GET", "/audit/disclosures?to=2026-13-45", null, read, 400, "invalid-parameter", "to", "ISO date"),
                new Bad("page=-1", "GET", "/audit/disclosures?page=-1", null, read, 400, "invalid-parameter", "page", "0 or more"),
                new Bad("size=5000", "GET", "/audit/disclosures?size=5000", null, read, 400, "invalid-parameter", "size", "between 1 and 1000"),
                new Bad("size=lots", "GET", "/audit/disclosures?size=lots", null, read, 400, "invalid-parameter", "size", "whole number"),
                new Bad("summary by POST", "POST", "/audit/summary", null, read, 403, "forbidden", null, "No role opens POST /audit/summary"),
                new Bad("verify without audit:verify", "GET", "/audit/verify", null, read, 403, "forbidden", null, "audit:verify"),
                new Bad("no such endpoint", "GET", "/audit/everything", null, read, 403, "forbidden", null, "not an endpoint"),
                new Bad("no token", "GET", "/audit/summary", null, null, 401, "unauthenticated", null, "bearer token is required"),
                new Bad("a token without exp", "GET", "/audit/summary", null, noExpiry, 401, "unauthenticated", null, "no expiry"),
                new Bad("a token valid for a year", "GET", "/audit/summary", null, aYearLong, 401, "unauthenticated", null, "max-token-lifetime"),
                new Bad("a token issued in an hour", "GET", "/audit/summary", null, fromTheFuture, 401, "unauthenticated", null, "issued in the future"),
                new Bad("a path Tomcat refuses", "GET", "/audit/%2e%2e/%2e%2e/etc/passwd", null, read, 400, "bad-request", null, "refused"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void everyBadRequestIsAProblemDocumentNamingWhatIsWrong(Bad bad) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + bad.path()))
                .method(bad.method(), HttpRequest.BodyPublishers.noBody());
        if (bad.accept() != null) {
            request.header("Accept", bad.accept());
        }
        if (bad.token() != null) {
            request.header("Authorization", "Bearer " + bad.token());
        }

        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(bad.status());
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asString()).isEqualTo("urn:pupilflow:problem:" + bad.type());
        assertThat(problem.get("status").asInt()).isEqualTo(bad.status());
        assertThat(problem.get("detail").asString()).contains(bad.mentions());
        if (bad.parameter() != null) {
            assertThat(problem.get("parameter").asString()).isEqualTo(bad.parameter());
            assertThat(problem.get("accepted").asString()).isNotBlank();
        }
    }
}
