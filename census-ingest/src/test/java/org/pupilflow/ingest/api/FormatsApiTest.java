package org.pupilflow.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pupilflow.ingest.IngestTestSupport.file;
import static org.pupilflow.ingest.IngestTestSupport.post;
import static org.pupilflow.ingest.IngestTestSupport.readAll;
import static org.pupilflow.ingest.IngestTestSupport.token;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.CensusTerm;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.files.CensusFiles;
import org.pupilflow.formats.Examples;
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

/**
 * Every census format through the API against a real broker, under Norfolk's policy: recognised by
 * content, published in one transaction, the census day reported with its source, other LAs'
 * returns and broken census tables refused with nothing published. The autumn census of 2025/26 is
 * configured to a day other than the rule's, to show an override applies.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "pupilflow.test.published-policy=../policies/norfolk.yaml",
    "pupilflow.ingest.partitions=3",
    "pupilflow.ingest.census-days.overrides.2025.autumn=2025-10-09",
    "pupilflow.security.local-dev-secret=" + IngestTestSupport.SECRET})
@EmbeddedKafka(count = 1, partitions = 3)
@DirtiesContext
class FormatsApiTest {

    private static final String UPLOAD = "census:upload";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AvroSingleObjectDeserializer<CensusPupil> PUPILS = new AvroSingleObjectDeserializer<>(CensusPupil.class);

    @Value("${local.server.port}")
    private int port;

    private String brokers;

    @Autowired
    void useBroker(EmbeddedKafkaBroker broker) {
        this.brokers = broker.getBrokersAsString();
    }

    private HttpResponse<String> upload(String query, String contentType, byte[] body) {
        return post(port, "/returns" + query, contentType, body, token(UPLOAD));
    }

    @Test
    void aSchoolCensusReturnAndCensusTablesArePublishedWhole() {
        CensusSpec collect = IngestTestSupport.ownCensus(300, 201);
        CensusSpec tables = IngestTestSupport.ownCensus(900, 202);

        JsonNode collectReport = published(upload("", "application/xml", file(CensusFiles.Format.COLLECT, collect)), 300);
        JsonNode tablesReport = published(upload("", "application/zip", file(CensusFiles.Format.TABLES, tables)), 900);

        assertThat(collectReport.get("format").asString()).isEqualTo("COLLECT");
        assertThat(tablesReport.get("format").asString()).isEqualTo("TABLES");
        assertThat(tablesReport.get("censusDays")).singleElement().satisfies(day -> {
            assertThat(day.get("censusDay").asString()).isEqualTo(tables.censusDay().toString());
            assertThat(day.get("source").asString()).isEqualTo("FILE");
            assertThat(day.get("records").asLong()).isEqualTo(900);
        });
        assertThat(publishedPupils(tablesReport.get("returnId").asString())).extracting(p -> p.getIdentity().getUpn())
                .containsExactlyInAnyOrderElementsOf(IngestTestSupport.pupils(tables).stream().map(p -> p.getIdentity().getUpn()).toList());
    }

    @Test
    void theContentTypeDoesNotDecideTheFormat() {
        JsonNode report = published(upload("", "application/octet-stream", file(CensusFiles.Format.CSV, IngestTestSupport.ownCensus(120, 203))), 120);

        assertThat(report.get("format").asString()).isEqualTo("CSV");
    }

    @Test
    void aCtfAsASchoolsMisSendsItLoadsWithoutParametersOnTheRulesCensusDayAndOtherLasUpnsAreFine() {
        byte[] ctf = Examples.bytes(Examples.SCHOOL_MIS_CTF);
        JsonNode report = published(upload(replacing("", "application/xml", ctf), "application/xml", ctf), 2);

        assertThat(report.get("censusDays")).singleElement().satisfies(day -> {
            assertThat(day.get("censusDay").asString()).isEqualTo("2026-01-15");
            assertThat(day.get("term").asString()).isEqualTo("SPRING");
            assertThat(day.get("source").asString()).isEqualTo("RULE");
            assertThat(day.get("explanation").asString()).contains("third Thursday of January", "Header/SourceSchool/AcademicYear 2025");
        });
        assertThat(publishedPupils(report.get("returnId").asString())).extracting(p -> p.getIdentity().getUpn())
                .as("a UPN issued by Lancashire (888) at a Norfolk school is Norfolk's pupil").contains("P888411018112");
    }

    @Test
    void aConfiguredCensusDayReplacesTheRulesForItsYearAndTerm() {
        // A trailing newline: the same pupils, not the same content, so it is not refused as a re-upload.
        byte[] ctf = (new String(Examples.bytes(Examples.SCHOOL_MIS_CTF), StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);

        JsonNode report = published(upload("?term=AUTUMN", "application/xml", ctf), 2);

        assertThat(report.get("censusDays")).singleElement().satisfies(day -> {
            assertThat(day.get("censusDay").asString()).isEqualTo("2025-10-09");
            assertThat(day.get("source").asString()).isEqualTo("CONFIGURED");
            assertThat(day.get("explanation").asString()).contains("instead of the DfE rule's 2025-10-02");
        });
        assertThat(publishedPupils(report.get("returnId").asString())).allSatisfy(p -> {
            assertThat(p.getCensus().getTerm()).isEqualTo(CensusTerm.AUTUMN);
            assertThat(p.getCensus().getCensusDay()).hasToString("2025-10-09");
        });
    }

    @Test
    void theUploadsCensusDayParameterWinsOverTheRule() {
        HttpResponse<String> response = upload("?censusDay=2026-01-22&dryRun=true", "application/xml", Examples.bytes(Examples.SCHOOL_MIS_CTF));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("censusDays")).singleElement().satisfies(day -> {
            assertThat(day.get("censusDay").asString()).isEqualTo("2026-01-22");
            assertThat(day.get("source").asString()).isEqualTo("REQUEST");
        });
    }

    @Test
    void anotherLasReturnIsRefusedNamingBothLasAndPublishesNothing() {
        CensusSpec lancashire = new CensusSpec(7, 200, "888", 2025, CensusTerm.SPRING, null);

        for (CensusFiles.Format format : List.of(CensusFiles.Format.CTF, CensusFiles.Format.TABLES)) {
            for (String mode : List.of("strict", "lenient")) {
                HttpResponse<String> response = upload("?mode=" + mode, "application/octet-stream", file(format, lancashire));

                assertThat(response.statusCode()).as(format + " " + mode + ": " + response.body()).isEqualTo(422);
                JsonNode report = JSON.readTree(response.body()).get("report");
                assertThat(report.get("status").asString()).isEqualTo("REJECTED");
                assertThat(report.get("issuesByRule").propertyNames()).containsExactly("wrong-local-authority");
                assertThat(report.get("detail").asString()).contains("Lancashire (888)", "Norfolk (926)");
                assertThat(publishedPupils(report.get("returnId").asString())).isEmpty();
            }
        }
    }

    @Test
    void censusTablesThatDoNotJoinUpAreRefusedNamingTableLineAndColumn() {
        byte[] zip = tables(files -> files.replace("fsmperiod.csv", files.get("fsmperiod.csv").replace("72,72,2,SC-2001,502,", "72,72,2,SC-2001,599,")));

        HttpResponse<String> response = upload("?mode=lenient", "application/zip", zip);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode report = JSON.readTree(response.body()).get("report");
        assertThat(report.get("status").asString()).isEqualTo("REJECTED");
        assertThat(report.get("issues")).singleElement().satisfies(issue -> {
            assertThat(issue.get("location").asString()).isEqualTo("fsmperiod.csv line 3");
            assertThat(issue.get("field").asString()).isEqualTo("fsmperiod.pupilonrolltableid");
            assertThat(issue.get("rule").asString()).isEqualTo("unknown-reference");
        });
        assertThat(publishedPupils(report.get("returnId").asString())).isEmpty();
    }

    @Test
    void anUnsafeZipIsRefusedBeforeAnythingIsRead() {
        byte[] zip = tables(files -> files.put("../../outside.csv", "x\n"));

        HttpResponse<String> response = upload("", "application/zip", zip);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("MALFORMED", "unsafe path");
    }

    @Test
    void strictAndLenientModesHoldForCensusTables() {
        byte[] zip = tables(files -> files.put("pupilonroll.csv", files.get("pupilonroll.csv").replace(",F,Patel,", ",Q,Patel,")));

        HttpResponse<String> strict = upload("", "application/zip", zip);
        assertThat(strict.statusCode()).as(strict.body()).isEqualTo(422);
        assertThat(publishedPupils(JSON.readTree(strict.body()).get("returnId").asString())).isEmpty();

        HttpResponse<String> lenient = upload(replacing("?mode=lenient", "application/zip", zip), "application/zip", zip);
        assertThat(lenient.statusCode()).as(lenient.body()).isEqualTo(201);
        JsonNode report = JSON.readTree(lenient.body());
        String returnId = report.get("returnId").asString();
        assertThat(report.get("published").asLong()).isEqualTo(3);
        assertThat(report.get("issues")).singleElement().satisfies(issue -> {
            assertThat(issue.get("location").asString()).isEqualTo("pupilonroll.csv line 5");
            assertThat(issue.get("field").asString()).isEqualTo("pupilonroll.sex");
            assertThat(issue.get("rule").asString()).isEqualTo("code-list");
        });
        assertThat(eventually(() -> readAll(brokers, "census.rejected", true).stream().filter(r -> returnId.equals(r.key())).toList(), 1)).hasSize(1);
    }

    @Test
    void somethingElseIsRefusedListingTheFormatsPupilFlowReads() {
        HttpResponse<String> response = upload("", "text/csv", "name,address\nA,B\n".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Not a census file PupilFlow reads", "DfE Common Transfer File", "school census return",
                "census tables", "census CSV");
    }

    /**
     * {@code query} with the replaces= an upload of {@code body} needs: the hand-written examples are all on the spring
     * 2026 census day, so another test may have published a return for the same school and day (a dry run says which).
     */
    private String replacing(String query, String contentType, byte[] body) {
        HttpResponse<String> dryRun = upload(query + (query.isEmpty() ? "?" : "&") + "dryRun=true", contentType, body);
        assertThat(dryRun.statusCode()).as(dryRun.body()).isEqualTo(200);
        JsonNode earlier = JSON.readTree(dryRun.body()).get("earlierReturnIds");
        if (earlier == null || earlier.isNull() || earlier.isEmpty()) {
            return query;
        }
        List<String> ids = new java.util.ArrayList<>();
        earlier.forEach(id -> ids.add(id.asString()));
        return query + (query.isEmpty() ? "?" : "&") + "replaces=" + String.join(",", ids);
    }

    /** The example census tables, edited, as a zip. */
    private static byte[] tables(UnaryOperatorOnFiles edit) {
        Map<String, String> files = new LinkedHashMap<>();
        for (String file : Examples.CENSUS_TABLE_FILES) {
            files.put(file, new String(Examples.bytes(Examples.CENSUS_TABLES + "/" + file), StandardCharsets.UTF_8));
        }
        edit.apply(files);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip.toByteArray();
    }

    @FunctionalInterface
    private interface UnaryOperatorOnFiles {
        void apply(Map<String, String> files);
    }

    private JsonNode published(HttpResponse<String> response, int pupils) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.get("status").asString()).isEqualTo("PUBLISHED");
        assertThat(report.get("published").asLong()).isEqualTo(pupils);
        assertThat(publishedEventually(report.get("returnId").asString(), pupils)).hasSize(pupils);
        return report;
    }

    private List<CensusPupil> publishedEventually(String returnId, int expected) {
        return eventually(() -> publishedPupils(returnId), expected);
    }

    /**
     * What {@code read} finds once it finds {@code expected} records, or after 15 seconds: a
     * transaction's records become readable to read_committed consumers a moment after the commit
     * the upload waits for.
     */
    private static <T> List<T> eventually(Supplier<List<T>> read, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<T> found = read.get();
        while (found.size() < expected && System.nanoTime() < deadline) {
            found = read.get();
        }
        return found;
    }

    private List<CensusPupil> publishedPupils(String returnId) {
        return readAll(brokers, "census.pupil-records", true).stream().map(r -> PUPILS.deserialize(r.topic(), r.value()))
                .filter(p -> p.getCensus().getReturnId().equals(returnId)).toList();
    }
}
