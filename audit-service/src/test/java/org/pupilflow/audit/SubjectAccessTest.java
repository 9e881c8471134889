package org.pupilflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pupilflow.audit.database.EmbeddedPostgresServer;
import org.pupilflow.audit.support.AuditServiceTest;
import org.pupilflow.audit.support.AuditTestKafka;
import org.pupilflow.audit.support.Events;
import org.pupilflow.audit.support.Http;
import org.pupilflow.audit.support.OwnerDatabase;
import org.pupilflow.sharing.DeliveryOutcome;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the Data Protection Officer asks, answered from what was stored. */
@AuditServiceTest
class SubjectAccessTest {

    private static final String DPO = "dpo@norfolk.gov.uk";

    @Autowired
    private EmbeddedKafkaBroker broker;

    @Value("${local.server.port}")
    private int port;

    @Autowired
    private EmbeddedPostgresServer postgres;

    @Autowired
    private JsonMapper json;

    private Http http;
    private OwnerDatabase database;
    private String upn;
    private String returnId;
    private DisclosureEvent dfe;
    private DisclosureEvent nhs;
    private DisclosureEvent youthSupport;
    private DisclosureEvent post16;

    /** A pupil with two disclosures, one restriction and one withholding, one delivered by webhook; and another pupil. */
    @BeforeEach
    void auditOnePupil() {
        AuditTestKafka kafka = new AuditTestKafka(broker.getBrokersAsString());
        database = new OwnerDatabase(postgres);
        http = new Http(port);
        upn = Events.upn();
        returnId = Events.uniqueId("return");
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        dfe = Events.disclosure(upn, "dfe", DisclosureOutcome.DISCLOSED, returnId, t.minusSeconds(40));
        nhs = DisclosureEvent.newBuilder(Events.disclosure(upn, "nhs-ncmp-research", DisclosureOutcome.DISCLOSED, returnId, t.minusSeconds(30)))
                .setPseudonymised(true).setPupilPseudonym("5d41402abc4b2a76b9719d911017c592").setRecipientKey("5d41402abc4b2a76b9719d911017c592").build();
        youthSupport = Events.disclosure(upn, "youth-support", DisclosureOutcome.RESTRICTED, returnId, t.minusSeconds(20));
        post16 = Events.disclosure(upn, "post16", DisclosureOutcome.WITHHELD, returnId, t.minusSeconds(10));
        DisclosureEvent someoneElse = Events.disclosure(Events.upn(), "dfe", DisclosureOutcome.DISCLOSED, returnId, t);
        kafka.publish(List.of(post16, dfe, youthSupport, nhs, someoneElse));
        kafka.publishDeliveries(List.of(Events.delivery(youthSupport, "webhook", DeliveryOutcome.DELIVERED, 1)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(database.disclosuresOfReturn(returnId)).isEqualTo(5);
            assertThat(database.count("SELECT count(*) FROM delivery WHERE disclosure_id = ?", youthSupport.getDisclosureId())).isEqualTo(1);
        });
    }

    @Test
    void subjectAccessListsEveryDecisionAboutThePupilWithRecipientFieldsLegalBasisPolicyAndTime() {
        HttpResponse<String> response = http.get("/audit/subjects/" + upn, Http.token(DPO, "audit:read"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("upn").asString()).isEqualTo(upn);
        JsonNode decisions = body.get("disclosures");
        assertThat(decisions).hasSize(4);
        assertThat(decisions.valueStream().map(d -> d.get("recipientId").asString() + "/" + d.get("outcome").asString()))
                .containsExactly("dfe/DISCLOSED", "nhs-ncmp-research/DISCLOSED", "youth-support/RESTRICTED", "post16/WITHHELD");
        JsonNode restricted = decisions.get(2);
        assertThat(restricted.get("disclosureId").asString()).isEqualTo(youthSupport.getDisclosureId());
        assertThat(restricted.get("fieldsDisclosed").valueStream().map(JsonNode::asString)).containsExactly("names", "dateOfBirth", "address");
        assertThat(restricted.get("reason").asString()).contains("objection obj-1");
        assertThat(restricted.get("legalBasis").asString()).isEqualTo(youthSupport.getLegalBasis());
        assertThat(restricted.get("policyId").asString()).isEqualTo("norfolk-census-sharing");
        assertThat(restricted.get("policyVersion").asString()).isEqualTo("2026.1");
        assertThat(restricted.get("policyContentHash").asString()).isEqualTo(Events.POLICY_HASH);
        assertThat(restricted.get("returnId").asString()).isEqualTo(returnId);
        assertThat(Instant.parse(restricted.get("decidedAt").asString())).isEqualTo(youthSupport.getDecidedAt());
        assertThat(restricted.get("deliveries")).hasSize(1);
        assertThat(restricted.get("deliveries").get(0).get("channel").asString()).isEqualTo("webhook");
        assertThat(restricted.get("deliveries").get(0).get("outcome").asString()).isEqualTo("DELIVERED");
        assertThat(restricted.get("deliveryStatus").asString()).startsWith("delivered ").contains(" by webhook");
        JsonNode withheld = decisions.get(3);
        assertThat(withheld.get("deliveryStatus") == null || withheld.get("deliveryStatus").isNull()).as("nothing was sent, so nothing was delivered")
                .isTrue();
        assertThat(withheld.get("fieldsDisclosed")).isEmpty();
        assertThat(withheld.get("reason").asString()).contains("withheld");
        assertThat(decisions.get(1).get("pseudonymised").asBoolean()).isTrue();
    }

    @Test
    void subjectAccessAsCsvHasOneRowPerDecision() throws Exception {
        HttpResponse<String> response = http.get("/audit/subjects/" + upn, Http.token(DPO, "audit:read"), "text/csv");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
        assertThat(response.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d).contains("subject-access-" + upn + ".csv"));
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(response.body())).getRecords();
        assertThat(rows).hasSize(4);
        assertThat(rows).extracting(r -> r.get("recipientId") + "/" + r.get("outcome"))
                .containsExactly("dfe/DISCLOSED", "nhs-ncmp-research/DISCLOSED", "youth-support/RESTRICTED", "post16/WITHHELD");
        assertThat(rows.get(2).get("fieldsDisclosed")).isEqualTo("names; dateOfBirth; address");
        assertThat(rows.get(2).get("legalBasis")).isEqualTo(youthSupport.getLegalBasis());
        assertThat(rows.get(2).get("deliveries")).startsWith("webhook:DELIVERED@");
        assertThat(rows.get(2).get("deliveryStatus")).startsWith("delivered ").contains(" by webhook");
        assertThat(rows.get(3).get("fieldsDisclosed")).isEmpty();
    }

    @Test
    void everyReadOfAPupilsTrailIsItselfRecorded() {
        long before = database.count("SELECT count(*) FROM access_log WHERE upn = ?", upn);

        http.get("/audit/subjects/" + upn, Http.token(DPO, "audit:read"));
        http.get("/audit/subjects/" + upn, Http.token("caseworker@norfolk.gov.uk", "audit:read"), "text/csv");

        List<Map<String, Object>> log = database.jdbc().queryForList(
                "SELECT requester, endpoint, query, result_count, accessed_at FROM access_log WHERE upn = ? ORDER BY id", upn);
        assertThat(log).hasSize((int) before + 2);
        assertThat(log.get(log.size() - 2)).containsEntry("requester", DPO).containsEntry("endpoint", "GET /audit/subjects/{upn}")
                .containsEntry("query", "format=json").containsEntry("result_count", 4);
        assertThat(log.get(log.size() - 1)).containsEntry("requester", "caseworker@norfolk.gov.uk").containsEntry("query", "format=csv");
        assertThat(log.get(log.size() - 1).get("accessed_at")).isNotNull();
    }

    @Test
    void disclosuresCanBeFilteredByRecipientOutcomeReturnAndTimeAndArePaged() {
        String token = Http.token(DPO, "audit:read");
        Instant from = dfe.getDecidedAt();
        Instant to = post16.getDecidedAt();

        JsonNode withheld = json.readTree(http.get("/audit/disclosures?recipient=post16&outcome=WITHHELD&returnId=" + returnId, token).body());
        JsonNode window = json.readTree(http.get("/audit/disclosures?returnId=" + returnId + "&from=" + from + "&to=" + to, token).body());
        JsonNode page0 = json.readTree(http.get("/audit/disclosures?returnId=" + returnId + "&size=3&page=0", token).body());
        JsonNode page1 = json.readTree(http.get("/audit/disclosures?returnId=" + returnId + "&size=3&page=1", token).body());

        assertThat(withheld.get("items")).hasSize(1);
        assertThat(withheld.get("items").get(0).get("disclosureId").asString()).isEqualTo(post16.getDisclosureId());
        assertThat(window.get("items").valueStream().map(i -> i.get("recipientId").asString())).containsExactly("dfe", "nhs-ncmp-research", "youth-support");
        assertThat(page0.get("items")).hasSize(3);
        assertThat(page0.get("hasMore").asBoolean()).isTrue();
        assertThat(page1.get("items")).hasSize(2);
        assertThat(page1.get("hasMore").asBoolean()).isFalse();
        assertThat(database.count("SELECT count(*) FROM access_log WHERE endpoint = 'GET /audit/disclosures' AND query LIKE ?", "%" + returnId + "%"))
                .isEqualTo(4);
    }

    @Test
    void summaryCountsDecisionsPerRecipientAndOutcomeForAReturn() {
        JsonNode summary = json.readTree(http.get("/audit/summary?returnId=" + returnId, Http.token(DPO, "audit:read")).body());

        assertThat(summary.get("total").asLong()).isEqualTo(5);
        Map<String, String> counts = new java.util.TreeMap<>();
        summary.get("recipients").valueStream().forEach(r -> counts.put(r.get("recipientId").asString(), r.get("outcomes").toString()));
        assertThat(counts).containsEntry("dfe", "{\"DISCLOSED\":2}").containsEntry("post16", "{\"WITHHELD\":1}")
                .containsEntry("youth-support", "{\"RESTRICTED\":1}").containsEntry("nhs-ncmp-research", "{\"DISCLOSED\":1}");
        Map<String, String> delivered = new java.util.TreeMap<>();
        summary.get("recipients").valueStream().forEach(r -> delivered.put(r.get("recipientId").asString(), r.get("deliveries").toString()));
        assertThat(delivered).containsEntry("youth-support", "{\"DELIVERED\":1}").containsEntry("dfe", "{}");
    }

    @Test
    void badQueriesAreRefusedWithTheReason() {
        String token = Http.token(DPO, "audit:read");

        HttpResponse<String> outcome = http.get("/audit/disclosures?outcome=MAYBE", token);
        HttpResponse<String> date = http.get("/audit/disclosures?from=yesterday", token);
        HttpResponse<String> notAUpn = http.get("/audit/subjects/robert';drop", token);

        assertThat(outcome.statusCode()).isEqualTo(400);
        assertThat(outcome.body()).contains("outcome must be one of");
        assertThat(date.statusCode()).isEqualTo(400);
        assertThat(date.body()).contains("from must be an ISO date");
        assertThat(notAUpn.statusCode()).isEqualTo(400);
    }
}
