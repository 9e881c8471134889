package org.pupilflow.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pupilflow.ingest.IngestTestSupport.ctf;
import static org.pupilflow.ingest.IngestTestSupport.csv;
import static org.pupilflow.ingest.IngestTestSupport.get;
import static org.pupilflow.ingest.IngestTestSupport.ownCensus;
import static org.pupilflow.ingest.IngestTestSupport.post;
import static org.pupilflow.ingest.IngestTestSupport.readAll;
import static org.pupilflow.ingest.IngestTestSupport.token;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.LocalDate;
import java.util.ArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.formats.ctf.CtfElements;
import org.pupilflow.ingest.IngestTestSupport;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Uploading census returns through the API against a real (in-process KRaft) broker. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "pupilflow.test.published-policy=../policies/norfolk.yaml",
    "pupilflow.ingest.partitions=3",
    "pupilflow.security.local-dev-secret=" + IngestTestSupport.SECRET})
@EmbeddedKafka(count = 1, partitions = 3)
@DirtiesContext
class ReturnsApiTest {

    private static final String UPLOAD = "census:upload";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AvroSingleObjectDeserializer<CensusPupil> PUPILS = new AvroSingleObjectDeserializer<>(CensusPupil.class);

    @Value("${local.server.port}")
    private int port;

    private String brokers;

    /** The broker of this test's own context: the system property can name another test's broker by now. */
    @Autowired
    void useBroker(EmbeddedKafkaBroker broker) {
        this.brokers = broker.getBrokersAsString();
    }

    @Test
    void aValidCtfReturnIsPublishedWholeUnderItsReturnId() {
        CensusSpec spec = ownCensus(1_500, 101);

        HttpResponse<String> response = post(port, "/returns", "application/xml", ctf(spec), token(UPLOAD));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.get("status").asString()).isEqualTo("PUBLISHED");
        assertThat(report.get("records").asLong()).isEqualTo(1_500);
        assertThat(report.get("published").asLong()).isEqualTo(1_500);
        assertThat(report.get("contentHash").asString()).hasSize(64);
        List<CensusPupil> published = published(report.get("returnId").asString());
        assertThat(published).hasSize(1_500);
        assertThat(published).extracting(p -> p.getIdentity().getUpn()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(IngestTestSupport.pupils(spec).stream().map(p -> p.getIdentity().getUpn()).toList());
    }

    @Test
    void aValidCsvReturnIsPublishedToo() {
        CensusSpec spec = ownCensus(800, 102);

        HttpResponse<String> response = post(port, "/returns", "text/csv", csv(spec), token(UPLOAD));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(publishedEventually(JSON.readTree(response.body()).get("returnId").asString(), 800)).hasSize(800);
    }

    @Test
    void theSameReturnUploadedTwiceIsAConflictNamingTheFirstReturn() {
        String xml = ctf(ownCensus(300, 103));
        String first = JSON.readTree(post(port, "/returns", "application/xml", xml, token(UPLOAD)).body()).get("returnId").asString();

        HttpResponse<String> again = post(port, "/returns", "application/xml", xml, token(UPLOAD));

        assertThat(again.statusCode()).isEqualTo(409);
        JsonNode problem = JSON.readTree(again.body());
        JsonNode report = problem.get("report");
        assertThat(problem.get("type").asString()).isEqualTo("urn:pupilflow:problem:return-duplicate");
        assertThat(problem.get("earlierReturnId").asString()).isEqualTo(first);
        assertThat(report.get("status").asString()).isEqualTo("DUPLICATE");
        assertThat(report.get("earlierReturnId").asString()).isEqualTo(first);
        assertThat(published(report.get("returnId").asString())).isEmpty();
        assertThat(get(port, "/returns/" + first, token(UPLOAD)).body()).contains("\"status\":\"PUBLISHED\"");
    }

    @Test
    void strictModeRejectsTheWholeReturnAndReportsEveryInvalidRecord() {
        String xml = withInvalidRecords(ownCensus(400, 104));

        HttpResponse<String> response = post(port, "/returns", "application/xml", xml, token(UPLOAD));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).get("type").asString()).isEqualTo("urn:pupilflow:problem:return-rejected");
        JsonNode report = JSON.readTree(response.body()).get("report");
        assertThat(report.get("status").asString()).isEqualTo("REJECTED");
        assertThat(report.get("invalid").asLong()).isEqualTo(4);
        assertThat(report.get("issuesByRule").propertyNames()).contains("check-letter-mismatch", "dob-future", "code-list", "duplicate-upn");
        assertThat(report.get("issues").get(0).get("location").asString()).startsWith("Pupil[1]");
        assertThat(report.get("issues").get(0).get("field").asString()).isEqualTo(CtfElements.UPN);
        assertThat(published(report.get("returnId").asString())).as("strict mode publishes nothing").isEmpty();
        assertThat(get(port, "/returns/" + report.get("returnId").asString(), token(UPLOAD)).body()).contains("\"status\":\"REJECTED\"");
    }

    @Test
    void lenientModePublishesTheValidRecordsAndSendsExactlyTheInvalidOnesToRejected() {
        String xml = withInvalidRecords(ownCensus(400, 105));

        HttpResponse<String> response = post(port, "/returns?mode=lenient", "application/xml", xml, token(UPLOAD));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode report = JSON.readTree(response.body());
        String returnId = report.get("returnId").asString();
        assertThat(report.get("published").asLong()).isEqualTo(396);
        assertThat(publishedEventually(returnId, 396)).hasSize(396);
        List<JsonNode> rejected = readAll(brokers, "census.rejected", true).stream()
                .filter(r -> returnId.equals(r.key())).map(r -> JSON.readTree(r.value())).toList();
        assertThat(rejected).hasSize(4);
        assertThat(rejected).extracting(r -> r.get("issues").get(0).get("rule").asString())
                .containsExactlyInAnyOrder("check-letter-mismatch", "dob-future", "code-list", "duplicate-upn");
    }

    @Test
    void aDryRunPreviewsTheSharingAndPublishesNothing() {
        HttpResponse<String> response = post(port, "/returns?dryRun=true", "application/xml", ctf(ownCensus(2_500, 106)), token(UPLOAD));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.get("status").asString()).isEqualTo("DRY_RUN");
        assertThat(report.get("preview").get("dfe").get("DISCLOSED").asLong()).isEqualTo(2_500);
        assertThat(report.get("preview").get("childrens-centres").get("DISCLOSED").asLong()).isPositive();
        assertThat(report.get("preview").get("youth-support").get("OUT_OF_COHORT").asLong()).isPositive();
        assertThat(published(report.get("returnId").asString())).isEmpty();
    }

    @Test
    void anXxePayloadIsRefusedWithoutReadingTheFile(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "CANARY-7f3a");
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE census [<!ENTITY leak SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<census><note>&leak;</note></census>";

        HttpResponse<String> response = post(port, "/returns", "application/xml", xxe, token(UPLOAD));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("MALFORMED").contains("DTD").doesNotContain("CANARY-7f3a");
        assertThat(published(JSON.readTree(response.body()).get("returnId").asString())).isEmpty();
    }

    @Test
    void aBillionLaughsPayloadIsRefused() {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE census [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]>\n<census><note>&lol9;</note></census>");

        HttpResponse<String> response = post(port, "/returns", "application/xml", dtd.toString(), token(UPLOAD));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("MALFORMED").doesNotContain("lollollol");
    }

    @Test
    void aReturnCutOffHalfwayPublishesNothingAtAll() {
        String xml = ctf(ownCensus(3_000, 107));
        String truncated = xml.substring(0, xml.length() / 2);

        HttpResponse<String> response = post(port, "/returns", "application/xml", truncated, token(UPLOAD));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        String returnId = JSON.readTree(response.body()).get("returnId").asString();
        assertThat(published(returnId)).as("read_committed sees nothing of an aborted return").isEmpty();
        assertThat(readAll(brokers, "census.pupil-records", false).stream().map(r -> PUPILS.deserialize(r.topic(), r.value()))
                .filter(p -> p.getCensus().getReturnId().equals(returnId)))
                .as("records were sent before the failure, then aborted").isNotEmpty();
    }

    @Test
    void uploadsNeedATokenWithTheUploadRole() {
        String xml = ctf(ownCensus(10, 108));

        assertThat(post(port, "/returns", "application/xml", xml, null).statusCode()).isEqualTo(401);
        assertThat(post(port, "/returns", "application/xml", xml, "not-a-jwt").statusCode()).isEqualTo(401);
        assertThat(post(port, "/returns", "application/xml", xml, token("objections:write")).statusCode()).isEqualTo(403);
        assertThat(get(port, "/returns/R-unknown", token("objections:read")).statusCode()).isEqualTo(403);
        assertThat(get(port, "/returns/R-unknown", token(UPLOAD)).statusCode()).isEqualTo(404);
    }

    @Test
    void exportsTheIngestMetrics() {
        post(port, "/returns", "application/xml", ctf(ownCensus(50, 109)), token(UPLOAD));

        assertThat(get(port, "/actuator/prometheus", null).body()).contains(
                "pupilflow_ingest_returns_total{", "outcome=\"published\"", "pupilflow_ingest_records_total{", "pupilflow_ingest_bytes_total",
                "pupilflow_ingest_return_seconds", "pupilflow_ingest_parse_rate");
    }

    @Test
    void aReturnForSchoolsAlreadyPublishedIsRefusedNamingTheEarlierReturnUnlessItSaysReplaces() {
        CensusSpec spec = ownCensus(300, 110);
        String original = ctf(spec);
        String corrected = original.replaceFirst("<Forename>([^<]*)</Forename>", "<Forename>$1e</Forename>");
        String first = JSON.readTree(post(port, "/returns", "application/xml", original, token(UPLOAD)).body()).get("returnId").asString();

        HttpResponse<String> undeclared = post(port, "/returns", "application/xml", corrected, token(UPLOAD));
        HttpResponse<String> replacing = post(port, "/returns?replaces=" + first, "application/xml", corrected, token(UPLOAD));

        assertThat(undeclared.statusCode()).as(undeclared.body()).isEqualTo(409);
        JsonNode refused = JSON.readTree(undeclared.body());
        assertThat(refused.get("type").asString()).isEqualTo("urn:pupilflow:problem:return-replacement-mismatch");
        assertThat(refused.get("earlierReturnId").asString()).isEqualTo(first);
        assertThat(refused.get("detail").asString()).contains("return " + first + " was already published", "replaces=" + first);
        assertThat(refused.get("report").get("status").asString()).isEqualTo("REPLACEMENT_MISMATCH");
        assertThat(published(refused.get("returnId").asString())).as("a refused replacement publishes nothing").isEmpty();

        assertThat(replacing.statusCode()).as(replacing.body()).isEqualTo(201);
        JsonNode report = JSON.readTree(replacing.body());
        String second = report.get("returnId").asString();
        assertThat(report.get("replaces")).extracting(JsonNode::asString).containsExactly(first);
        assertThat(report.get("summary").asString()).contains("replaces " + first);
        assertThat(publishedEventually(second, 300)).hasSize(300);
        assertThat(JSON.readTree(get(port, "/returns/" + first, token(UPLOAD)).body()).get("replacedBy").asString())
                .as("the earlier return is linked to its replacement").isEqualTo(second);

        HttpResponse<String> namingTheOldOne = post(port, "/returns?replaces=" + first, "application/xml",
                corrected.replaceFirst("<Forename>([^<]*)</Forename>", "<Forename>$1x</Forename>"), token(UPLOAD));
        assertThat(namingTheOldOne.statusCode()).as(namingTheOldOne.body()).isEqualTo(409);
        assertThat(JSON.readTree(namingTheOldOne.body()).get("detail").asString())
                .contains("return " + second + " was already published", first + ", which is not the latest published return");
    }

    @Test
    void anUploadThatPrefersRespondAsyncIsAccepted202AndShowsItsProgressUntilPublished() throws Exception {
        CensusSpec spec = ownCensus(12_000, 111);
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/returns"))
                .header("Content-Type", "application/xml").header("Prefer", "respond-async").header("Authorization", "Bearer " + token(UPLOAD))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(ctf(spec))).build();

        HttpResponse<String> accepted = java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.headers().firstValue("Preference-Applied")).hasValue("respond-async");
        String location = accepted.headers().firstValue("Location").orElseThrow();
        String returnId = JSON.readTree(accepted.body()).get("returnId").asString();
        assertThat(location).isEqualTo("/returns/" + returnId);
        java.util.List<JsonNode> seen = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
        JsonNode report;
        do {
            report = JSON.readTree(get(port, location, token(UPLOAD)).body());
            seen.add(report);
            Thread.sleep(25);
        } while (report.get("status").asString().equals("PROCESSING") && System.nanoTime() < deadline);
        assertThat(report.get("status").asString()).isEqualTo("PUBLISHED");
        assertThat(report.get("published").asLong()).isEqualTo(12_000);
        java.util.List<JsonNode> progress = seen.stream().filter(r -> r.get("status").asString().equals("PROCESSING")).toList();
        assertThat(progress).as("GET while it was read showed PROCESSING").isNotEmpty();
        assertThat(progress).extracting(r -> r.get("records").asLong()).as("records read so far, never going back").isSorted()
                .allSatisfy(read -> assertThat(read).isBetween(0L, 12_000L));
        assertThat(progress.get(progress.size() - 1).get("summary").asString()).startsWith("Being read");
        assertThat(publishedEventually(returnId, 12_000)).hasSize(12_000);
    }

    @Test
    void aDryRunThatStrictModeWouldRefuseSaysSoAtTheTopOfItsAnswer() {
        String xml = withInvalidRecords(ownCensus(200, 112));

        HttpResponse<String> response = post(port, "/returns?dryRun=true", "application/xml", xml, token(UPLOAD));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).as("the first member of the answer").startsWith("{\"summary\":\"Dry run: strict mode would refuse this return: 4 of 200 records are invalid");
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.get("status").asString()).isEqualTo("DRY_RUN");
        assertThat(report.get("summary").asString()).contains("mode=lenient would publish the 196 valid ones");
    }

    @Test
    void aLatin1CsvIsRefusedNamingTheLineAndNothingIsPublishedWithAReplacementCharacter() {
        CensusSpec spec = ownCensus(50, 113);
        String surname = IngestTestSupport.pupils(spec).get(2).getNames().getLegalSurname();
        byte[] latin1 = csv(spec).replace("," + surname + ",", "," + surname + "é,").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

        HttpResponse<String> response = post(port, "/returns", "text/csv", latin1, token(UPLOAD));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asString()).isEqualTo("urn:pupilflow:problem:return-malformed");
        assertThat(problem.get("detail").asString()).contains("line 4", "not UTF-8", "0xE9", "save it as UTF-8");
        assertThat(published(problem.get("returnId").asString())).isEmpty();
        assertThat(readAll(brokers, "census.pupil-records", false).stream().map(r -> PUPILS.deserialize(r.topic(), r.value()))
                .filter(p -> p.getNames().getLegalSurname().contains("\uFFFD"))).as("no name with U+FFFD anywhere on the topic").isEmpty();
    }

    @Test
    void anEthnicityCodeOffTheDfeListRejectsTheReturnNamingTheRecordFieldAndRule() {
        String xml = ctf(ownCensus(60, 114)).replaceFirst("<Ethnicity>[A-Z]{4}</Ethnicity>", "<Ethnicity>WXYZ</Ethnicity>");

        HttpResponse<String> response = post(port, "/returns", "application/xml", xml, token(UPLOAD));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode report = JSON.readTree(response.body()).get("report");
        assertThat(report.get("issues")).singleElement().satisfies(issue -> {
            assertThat(issue.get("location").asString()).startsWith("Pupil[1]");
            assertThat(issue.get("field").asString()).isEqualTo("BasicDetails/Ethnicity");
            assertThat(issue.get("rule").asString()).isEqualTo("code-list");
            assertThat(issue.get("message").asString()).contains("'WXYZ'", "WBRI");
        });
    }

    /** The census of {@code spec} as CTF with four broken pupils: a wrong UPN check letter, a DOB in the future, an unknown sex code, a duplicated UPN. */
    static String withInvalidRecords(CensusSpec spec) {
        List<CensusPupil> pupils = new ArrayList<>(IngestTestSupport.pupils(spec));
        CensusPupil first = pupils.get(0);
        String upn = first.getIdentity().getUpn();
        first.getIdentity().setUpn((upn.charAt(0) == 'A' ? 'B' : 'A') + upn.substring(1));
        pupils.get(1).setDateOfBirth(LocalDate.of(2099, 1, 1));
        pupils.get(2).setSex("Q");
        pupils.get(3).getIdentity().setUpn(pupils.get(4).getIdentity().getUpn());
        return ctf(spec, pupils);
    }

    /**
     * The commit of a transaction returns before the broker has written its markers, so a read_committed
     * reader right after the 201 may not see the records yet: read until {@code expected} are there (15 s at most).
     */
    private List<CensusPupil> publishedEventually(String returnId, int expected) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
        List<CensusPupil> published = published(returnId);
        while (published.size() < expected && System.nanoTime() < deadline) {
            published = published(returnId);
        }
        return published;
    }

    private List<CensusPupil> published(String returnId) {
        return readAll(brokers, "census.pupil-records", true).stream().map(r -> PUPILS.deserialize(r.topic(), r.value()))
                .filter(p -> p.getCensus().getReturnId().equals(returnId)).toList();
    }
}
