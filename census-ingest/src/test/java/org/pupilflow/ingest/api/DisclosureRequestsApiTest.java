package org.pupilflow.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pupilflow.ingest.IngestTestSupport.get;
import static org.pupilflow.ingest.IngestTestSupport.post;
import static org.pupilflow.ingest.IngestTestSupport.readAll;

import java.net.http.HttpResponse;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.ingest.IngestTestSupport;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.pupilflow.security.LocalDevTokens;
import org.pupilflow.sharing.DisclosureRequest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Case-by-case disclosure requests through the API, with Barnet's on-request recipients, against a real broker: a request
 * that breaks its rule publishes nothing; one needing a second approver publishes nothing until a different officer
 * approves it; an approved request reaches the router's topic, one record per named pupil, keyed by UPN.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    org.pupilflow.ingest.PublishedPolicy.PROPERTY + "=../policies/barnet.yaml",
    "pupilflow.ingest.partitions=3",
    "pupilflow.security.local-dev-secret=" + IngestTestSupport.SECRET})
@EmbeddedKafka(count = 1, partitions = 3)
@DirtiesContext
class DisclosureRequestsApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String OFFICER = "disclosure-officer";
    private static final String S47 = "Children Act 1989 s47 (enquiries about significant harm)";
    private static final String TRANSFER = "Education (Pupil Information) (England) Regulations 2005 (transfer of pupil information)";
    private static final List<CensusPupil> PUPILS = IngestTestSupport.pupils(CensusSpec.of(10));

    @Value("${local.server.port}")
    private int port;

    private String brokers;

    @Autowired
    void useBroker(EmbeddedKafkaBroker broker) {
        this.brokers = broker.getBrokersAsString();
    }

    @Test
    void aRequestWithoutALegalBasisOrACaseReferenceOrToACensusFlowRecipientIsRefusedNamingTheFieldAndPublishesNothing() {
        String upn = upn(0);
        assertRefused(ask("alice", body("social-care", List.of(upn), "CP-1", "s47 enquiry", null)), "legalBasis", "one of: Children Act 1989 s17");
        assertRefused(ask("alice", body("social-care", List.of(upn), "CP-1", "s47 enquiry", "Crime and Disorder Act 1998 s115")), "legalBasis",
                "is not a legal basis the rule for social-care allows");
        assertRefused(ask("alice", body("social-care", List.of(upn), " ", "s47 enquiry", S47)), "caseReference", "Missing caseReference");
        assertRefused(ask("alice", body("social-care", List.of(upn), "CP-1", null, S47)), "purpose", "Missing purpose");
        assertRefused(ask("alice", body("post16", List.of(upn), "CP-1", "s47 enquiry", S47)), "recipientId", "receives the census flow");
        assertRefused(ask("alice", body("social-care", List.of(upn, upn), "CP-1", "s47 enquiry", S47)), "upns[1]", "named twice");
        assertRefused(ask("alice", body("social-care", List.of("A000000000000"), "CP-1", "s47 enquiry", S47)), "upns[0]", "A000000000000");

        assertThat(readAll(brokers, "disclosure.requested-pupils", true)).filteredOn(r -> r.key().equals(upn)).isEmpty();
    }

    @Test
    void aRequestNeedingOneApprovalIsPublishedAtOnceOneRecordPerPupilKeyedByUpn() {
        List<String> upns = List.of(upn(1), upn(2));

        HttpResponse<String> response = ask("alice", body("education-settings", upns, "ADM-7", "in-year admission", TRANSFER));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode state = JSON.readTree(response.body());
        assertThat(state.get("status").asString()).isEqualTo("APPROVED");
        String id = state.get("requestId").asString();
        assertThat(response.headers().firstValue("Location")).contains("/disclosure-requests/" + id);
        List<DisclosureRequest> published = routed(id);
        assertThat(published).extracting(DisclosureRequest::getUpn).containsExactlyInAnyOrderElementsOf(upns);
        assertThat(published).allSatisfy(pupil -> {
            assertThat(pupil.getRecipientId()).isEqualTo("education-settings");
            assertThat(pupil.getCaseReference()).isEqualTo("ADM-7");
            assertThat(pupil.getLegalBasis()).isEqualTo(TRANSFER);
            assertThat(pupil.getRequestedBy()).isEqualTo("alice");
            assertThat(pupil.getApprovedBy()).containsExactly("alice");
            assertThat(pupil.getPupilCount()).isEqualTo(2);
        });
        assertThat(readAll(brokers, "disclosure.requested-pupils", true)).filteredOn(r -> upns.contains(r.key())).hasSize(2);
    }

    @Test
    void aRequestNeedingASecondApproverIsNotRoutedUntilADifferentOfficerApprovesIt() {
        HttpResponse<String> asked = ask("alice", body("social-care", List.of(upn(3)), "CP-2026-0042", "s47 enquiry", S47));
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        String id = JSON.readTree(asked.body()).get("requestId").asString();
        assertThat(JSON.readTree(asked.body()).get("status").asString()).isEqualTo("PENDING_APPROVAL");
        assertThat(routed(id)).as("nothing routed while pending").isEmpty();
        assertThat(get(port, "/disclosure-requests", token("bob")).body()).contains(id);

        HttpResponse<String> own = post(port, "/disclosure-requests/" + id + "/approve", "application/json", "", token("alice"));
        assertThat(own.statusCode()).as(own.body()).isEqualTo(403);
        assertThat(own.body()).contains("disclosure-request-own-approval").contains("different officer");
        assertThat(routed(id)).isEmpty();

        HttpResponse<String> approved = post(port, "/disclosure-requests/" + id + "/approve", "application/json", "", token("bob"));
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(JSON.readTree(approved.body()).get("status").asString()).isEqualTo("APPROVED");
        assertThat(routed(id)).singleElement().satisfies(pupil -> assertThat(pupil.getApprovedBy()).containsExactly("alice", "bob"));

        HttpResponse<String> again = post(port, "/disclosure-requests/" + id + "/approve", "application/json", "", token("carol"));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(JSON.readTree(get(port, "/disclosure-requests/" + id, token("carol")).body()).get("approvedBy").toString())
                .isEqualTo("[\"alice\",\"bob\"]");
    }

    @Test
    void aRefusedRequestIsNeverRoutedAndCannotBeApprovedAfterwards() {
        String id = JSON.readTree(ask("alice", body("social-care", List.of(upn(4)), "CP-9", "s47 enquiry", S47)).body()).get("requestId").asString();

        HttpResponse<String> noReason = post(port, "/disclosure-requests/" + id + "/refuse", "application/json", "{}", token("bob"));
        HttpResponse<String> refused = post(port, "/disclosure-requests/" + id + "/refuse", "application/json",
                "{\"reason\":\"not proportionate: the family is already known to the team\"}", token("bob"));
        HttpResponse<String> approved = post(port, "/disclosure-requests/" + id + "/approve", "application/json", "", token("carol"));

        assertThat(noReason.statusCode()).as(noReason.body()).isEqualTo(422);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(200);
        assertThat(JSON.readTree(refused.body()).get("status").asString()).isEqualTo("REFUSED");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(409);
        assertThat(approved.body()).contains("REFUSED").contains("not proportionate");
        assertThat(routed(id)).isEmpty();
    }

    @Test
    void onlyADisclosureOfficerMayAsk() {
        HttpResponse<String> response = post(port, "/disclosure-requests", "application/json",
                body("education-settings", List.of(upn(5)), "ADM-1", "admission", TRANSFER), IngestTestSupport.token("objections:write"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("disclosure-officer");
    }

    private HttpResponse<String> ask(String officer, String body) {
        return post(port, "/disclosure-requests", "application/json", body, token(officer));
    }

    private static String token(String officer) {
        return LocalDevTokens.mint(IngestTestSupport.SECRET, officer, OFFICER);
    }

    private static String body(String recipientId, List<String> upns, String caseReference, String purpose, String legalBasis) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("recipientId", recipientId);
        body.put("upns", upns);
        body.put("caseReference", caseReference);
        body.put("purpose", purpose);
        body.put("legalBasis", legalBasis);
        return JSON.writeValueAsString(body);
    }

    private static void assertRefused(HttpResponse<String> response, String field, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asString()).endsWith("disclosure-request-invalid");
        assertThat(problem.get("field").asString()).isEqualTo(field);
        assertThat(problem.get("detail").asString()).contains(detail);
    }

    private List<DisclosureRequest> routed(String requestId) {
        AvroSingleObjectDeserializer<DisclosureRequest> avro = new AvroSingleObjectDeserializer<>(DisclosureRequest.class);
        return readAll(brokers, "disclosure.requested-pupils", true).stream().map(ConsumerRecord::value)
                .map(value -> avro.deserialize("disclosure.requested-pupils", value)).filter(r -> r.getRequestId().equals(requestId)).toList();
    }

    private static String upn(int i) {
        return PUPILS.get(i).getIdentity().getUpn();
    }
}
