package org.pupilflow.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pupilflow.ingest.IngestTestSupport.ctf;
import static org.pupilflow.ingest.IngestTestSupport.token;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.ingest.IngestApiTest;
import org.pupilflow.ingest.IngestTestSupport;
import org.pupilflow.security.LocalDevTokens;
import org.springframework.beans.factory.annotation.Value;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every endpoint of census-ingest, sent bad requests: each answer is an RFC 9457 problem document
 * with a PupilFlow type that names the parameter or field at fault and what is accepted — never
 * the framework's default body, never a stack trace, never a 500.
 */
@IngestApiTest
class BadRequestsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String UPLOAD = "census:upload";
    private static final String WRITE = "objections:write";
    private static final String READ = "objections:read";
    private static final CensusPupil PUPIL = IngestTestSupport.pupils(CensusSpec.of(20)).get(0);
    private static final String UPN = PUPIL.getIdentity().getUpn();
    private static final String XML = ctf(CensusSpec.of(3));

    @Value("${local.server.port}")
    private int port;

    /** One bad request and what its answer must say. */
    record Bad(String name, String method, String path, String contentType, String body, String token, int status, String type, String names,
               String mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String objection(String upn, String raisedBy, String received, String evidence) {
        return "{\"upn\":\"" + upn + "\",\"scope\":\"youth-support\",\"raisedBy\":\"" + raisedBy + "\",\"receivedDate\":\"" + received
                + "\",\"evidenceReference\":\"" + evidence + "\"}";
    }

    private static String claims(com.nimbusds.jwt.JWTClaimsSet.Builder claims) {
        return LocalDevTokens.sign(IngestTestSupport.SECRET, claims.build());
    }

    static Stream<Bad> badRequests() {
        Instant now = Instant.now();
        String noExpiry = claims(LocalDevTokens.claims("officer", UPLOAD).issueTime(Date.from(now)));
        String fromTheFuture = claims(LocalDevTokens.claims("officer", UPLOAD).issueTime(Date.from(now.plus(Duration.ofMinutes(10))))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(40)))));
        String aYearLong = claims(LocalDevTokens.claims("officer", UPLOAD).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofDays(365)))));
        String upload = token(UPLOAD);
        String write = token(WRITE);
        return Stream.of(
                // POST /returns
                new Bad("wrong content type", "POST", "/returns", "text/plain", "hello", upload, 415, "unsupported-media-type", null, "application/xml"),
                new Bad("mode=bogus", "POST", "/returns?mode=bogus", "application/xml", XML, upload, 400, "invalid-parameter", "mode", "strict or lenient"),
                new Bad("term=BOGUS", "POST", "/returns?term=BOGUS", "application/xml", XML, upload, 400, "invalid-parameter", "term", "AUTUMN, SPRING, SUMMER"),
                new Bad("censusDay=2026-13-45", "POST", "/returns?censusDay=2026-13-45", "application/xml", XML, upload, 400, "invalid-parameter", "censusDay",
                        "yyyy-MM-dd"),
                new Bad("dryRun=maybe", "POST", "/returns?dryRun=maybe", "application/xml", XML, upload, 400, "invalid-parameter", "dryRun", "true or false"),
                new Bad("la=12", "POST", "/returns?la=12", "application/xml", XML, upload, 400, "invalid-parameter", "la", "3-digit DfE number"),
                new Bad("replaces=R-1 OR 1=1", "POST", "/returns?replaces=R-1%27%20OR%201%3D1", "application/xml", XML, upload, 400, "invalid-parameter",
                        "replaces", "R- followed by a UUID"),
                new Bad("malformed XML", "POST", "/returns", "application/xml", "<CTfile><Header>", upload, 400, "return-malformed", null, "Not published"),
                new Bad("multipart without a file part", "POST", "/returns", "multipart/form-data; boundary=b",
                        "--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b--\r\n", upload, 400, "invalid-parameter", "file", "file"),
                // GET /returns/{id}
                new Bad("unknown return", "GET", "/returns/R-" + UUID.randomUUID(), null, null, upload, 404, "return-not-found", "returnId", "No return"),
                new Bad("not a return id", "GET", "/returns/robert'drop", null, null, upload, 404, "return-not-found", "returnId", "R- followed by a UUID"),
                // POST /objections
                new Bad("objection as text", "POST", "/objections", "text/plain", "object!", write, 415, "unsupported-media-type", null, "application/json"),
                new Bad("malformed JSON", "POST", "/objections", "application/json", "{\"upn\": ", write, 400, "malformed-body", null, "not valid JSON"),
                new Bad("raisedBy=UNCLE", "POST", "/objections", "application/json", objection(UPN, "UNCLE", "2026-01-10", "letter"), write, 400,
                        "malformed-body", "raisedBy", "PARENT"),
                new Bad("receivedDate=2026-13-45", "POST", "/objections", "application/json", objection(UPN, "PARENT", "2026-13-45", "letter"), write, 400,
                        "malformed-body", "receivedDate", "yyyy-MM-dd"),
                new Bad("missing fields", "POST", "/objections", "application/json", "{\"upn\":\"" + UPN + "\"}", write, 400, "invalid-field", null, "scope"),
                new Bad("evidenceReference of 3 MB", "POST", "/objections", "application/json", objection(UPN, "PARENT", "2026-01-10", "x".repeat(3 << 20)),
                        write, 413, "payload-too-large", null, "pupilflow.web.max-json-body"),
                new Bad("evidenceReference of 2,000 characters", "POST", "/objections", "application/json",
                        objection(UPN, "PARENT", "2026-01-10", "x".repeat(2_000)), write, 422, "field-too-long", "evidenceReference", "at most 500"),
                new Bad("UPN with a wrong check letter", "POST", "/objections", "application/json",
                        objection((UPN.charAt(0) == 'A' ? "B" : "A") + UPN.substring(1), "PARENT", "2026-01-10", "letter"), write, 422, "objection-refused",
                        "upn", "check letter"),
                // GET /objections
                new Bad("no upn", "GET", "/objections", null, null, token(READ), 400, "invalid-parameter", "upn", "upn"),
                // POST /objections/{id}/withdraw
                new Bad("withdraw an unknown objection", "POST", "/objections/OBJ-none/withdraw", "application/json", "{\"withdrawnBy\":\"PUPIL\"}", write, 404,
                        "objection-not-found", "objectionId", "OBJ-none"),
                new Bad("withdraw without saying who", "POST", "/objections/OBJ-none/withdraw", "application/json", "{}", write, 400, "invalid-field", null,
                        "withdrawnBy"),
                new Bad("withdrawnBy=AUNT", "POST", "/objections/OBJ-none/withdraw", "application/json", "{\"withdrawnBy\":\"AUNT\"}", write, 400,
                        "malformed-body", "withdrawnBy", "PARENT"),
                // Tokens and roles
                new Bad("no token", "GET", "/objections?upn=" + UPN, null, null, null, 401, "unauthenticated", null, "bearer token is required"),
                new Bad("a token without exp", "GET", "/returns/R-" + UUID.randomUUID(), null, null, noExpiry, 401, "unauthenticated", null, "no expiry"),
                new Bad("a token issued in the future", "GET", "/returns/R-" + UUID.randomUUID(), null, null, fromTheFuture, 401, "unauthenticated", null,
                        "issued in the future"),
                new Bad("a token valid for a year", "GET", "/returns/R-" + UUID.randomUUID(), null, null, aYearLong, 401, "unauthenticated", null,
                        "max-token-lifetime"),
                new Bad("the wrong role", "POST", "/returns", "application/xml", XML, write, 403, "forbidden", null, "census:upload"),
                new Bad("no endpoint", "DELETE", "/returns", null, null, upload, 403, "forbidden", null, "No role opens DELETE /returns"),
                new Bad("an encoded semicolon the firewall refuses", "GET", "/returns/R-1%3Bdrop", null, null, upload, 400, "bad-request", null,
                        "could not be understood"),
                new Bad("a path Tomcat refuses", "GET", "/returns/%2e%2e/%2e%2e/etc/passwd", null, null, upload, 400, "bad-request", null, "refused"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void everyBadRequestIsAnsweredWithAProblemDocumentThatSaysWhatIsWrong(Bad bad) throws Exception {
        HttpResponse<String> response = send(bad);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(bad.status());
        assertThat(response.headers().firstValue("Content-Type")).as("content type").hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asString()).isEqualTo("urn:pupilflow:problem:" + bad.type());
        assertThat(problem.get("status").asInt()).isEqualTo(bad.status());
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).contains(bad.mentions());
        if (bad.names() != null) {
            JsonNode named = problem.has("parameter") ? problem.get("parameter") : problem.get("field");
            assertThat(named).as("the parameter or field at fault").isNotNull();
            assertThat(named.asString()).isEqualTo(bad.names());
        }
        if (bad.status() == 401) {
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
        }
        assertThat(response.body()).doesNotContain("\tat ", "Exception:", "\"trace\"");
    }

    private HttpResponse<String> send(Bad bad) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + bad.path())).timeout(Duration.ofMinutes(1))
                .method(bad.method(), bad.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(bad.body()));
        if (bad.contentType() != null) {
            request.header("Content-Type", bad.contentType());
        }
        if (bad.token() != null) {
            request.header("Authorization", "Bearer " + bad.token());
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

}
