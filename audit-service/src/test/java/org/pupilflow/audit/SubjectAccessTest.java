package org.pupilflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
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
                .setPseudonymised(true).setPupilPseudonym("5d41402abc4b2a76b9719d911017c592").setRecipientKey("5d41402abc4b2a76b9719d911017c592")
                .setPseudonymKeyVersion(2).build();
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
        // Which pseudonymisation key made the pseudonym (a rotation changes every pseudonym); none for identified recipients.
        assertThat(decisions.get(1).get("pseudonymKeyVersion").asInt()).isEqualTo(2);
        assertThat(restricted.get("pseudonymKeyVersion") == null || restricted.get("pseudonymKeyVersion").isNull()).isTrue();
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
        assertThat(rows.get(1).get("pseudonymKeyVersion")).isEqualTo("2");
        assertThat(rows.get(2).get("pseudonymKeyVersion")).isEmpty();
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

    /** The rights release: what happened to a pupil's record after it was sent, in one trail. */
    private record History(String upn, String returnId, String correctedReturnId, DisclosureEvent disclosed, DisclosureEvent dfe,
                           DisclosureEvent unchanged, DisclosureEvent statutory, DisclosureEvent deletionRequested, DisclosureEvent deletionDue) {
    }

    /**
     * A looked-after pupil (retainUntil 2108-03-01): disclosed to youth-support and dfe in the spring return; the corrected
     * return re-decides the same record for youth-support (UNCHANGED, nothing sent); the parent objects: youth-support is asked
     * to delete it (DELETION_REQUESTED, delivered by webhook), dfe is statutory (UNCHANGED, nothing held changes); later the
     * dfe disclosure's delete-by date passes (DELETION_DUE).
     */
    private History historyOfOnePupil() {
        AuditTestKafka kafka = new AuditTestKafka(broker.getBrokersAsString());
        String pupil = Events.upn();
        String spring = Events.uniqueId("spring");
        String corrected = Events.uniqueId("corrected");
        LocalDate retainUntil = LocalDate.of(2108, 3, 1);
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(600);
        DisclosureEvent disclosed = DisclosureEvent.newBuilder(Events.disclosure(pupil, "youth-support", DisclosureOutcome.DISCLOSED, spring, t))
                .setRetainUntil(retainUntil).build();
        DisclosureEvent dfe = DisclosureEvent.newBuilder(Events.disclosure(pupil, "dfe", DisclosureOutcome.DISCLOSED, spring, t.plusMillis(1)))
                .setDeleteBy(LocalDate.now().minusDays(1)).setRetainUntil(retainUntil).build();
        DisclosureEvent unchanged = Events.unchanged(disclosed, corrected, t.plusSeconds(60));
        DisclosureEvent deletionRequested = Events.deletionRequested(disclosed, "obj-7", t.plusSeconds(120));
        DisclosureEvent statutory = DisclosureEvent.newBuilder(dfe).setDisclosureId(Events.uniqueId("u")).setOutcome(DisclosureOutcome.UNCHANGED)
                .setReason("objection not applicable: statutory").setObjectionIds(List.of("obj-7")).setRelatesTo(List.of())
                .setDecidedAt(t.plusSeconds(120).plusMillis(1)).build();
        DisclosureEvent deletionDue = Events.deletionDue(dfe, dfe.getDeleteBy(), t.plusSeconds(180));
        kafka.publish(List.of(disclosed, dfe, unchanged, deletionRequested, statutory, deletionDue));
        kafka.publishDeliveries(List.of(Events.delivery(disclosed, "webhook", DeliveryOutcome.DELIVERED, 1),
                Events.delivery(deletionRequested.getDisclosureId(), "youth-support", "webhook", DeliveryOutcome.FAILED, 1),
                Events.delivery(deletionRequested.getDisclosureId(), "youth-support", "webhook", DeliveryOutcome.DELIVERED, 2)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(database.count("SELECT count(*) FROM disclosure WHERE upn = ?", pupil)).isEqualTo(6);
            assertThat(database.count("SELECT count(*) FROM delivery WHERE disclosure_id IN (?, ?)", disclosed.getDisclosureId(),
                    deletionRequested.getDisclosureId())).isEqualTo(3);
        });
        return new History(pupil, spring, corrected, disclosed, dfe, unchanged, statutory, deletionRequested, deletionDue);
    }

    @Test
    void aCaseByCaseDisclosureShowsItsRequestCaseReferenceRequesterAndApproversInSubjectAccessCsvAndSummaryAndTheChainVerifies() throws Exception {
        AuditTestKafka kafka = new AuditTestKafka(broker.getBrokersAsString());
        String pupil = Events.upn();
        String census = Events.uniqueId("census");
        String requestId = Events.uniqueId("DR");
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(300);
        DisclosureEvent disclosed = DisclosureEvent.newBuilder(Events.disclosure(pupil, "social-care", DisclosureOutcome.DISCLOSED, census, t))
                .setLegalBasis("Children Act 1989 s47 (enquiries about significant harm)").setRequestId(requestId).setCaseReference("CP-2026-0042")
                .setRequestPurpose("section 47 enquiry").setRequestedBy("alice").setApprovedBy(List.of("alice", "bob")).build();
        DisclosureEvent withheld = DisclosureEvent.newBuilder(Events.disclosure(Events.upn(), "social-care", DisclosureOutcome.WITHHELD, census,
                t.plusMillis(1))).setRequestId(requestId).setCaseReference("CP-2026-0042").setRequestPurpose("section 47 enquiry").setRequestedBy("alice")
                .setApprovedBy(List.of("alice", "bob")).setReason("case-by-case request: no census record of this pupil").build();
        kafka.publish(List.of(disclosed, withheld));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(database.disclosuresOfReturn(census)).isEqualTo(2));
        String token = Http.token(DPO, "audit:read");

        JsonNode event = json.readTree(http.get("/audit/subjects/" + pupil, token).body()).get("disclosures").get(0);
        assertThat(event.get("request").get("requestId").asString()).isEqualTo(requestId);
        assertThat(event.get("request").get("caseReference").asString()).isEqualTo("CP-2026-0042");
        assertThat(event.get("request").get("purpose").asString()).isEqualTo("section 47 enquiry");
        assertThat(event.get("request").get("requestedBy").asString()).isEqualTo("alice");
        assertThat(event.get("request").get("approvedBy").toString()).isEqualTo("[\"alice\",\"bob\"]");
        assertThat(json.readTree(http.get("/audit/subjects/" + upn, token).body()).get("disclosures").get(0).get("request"))
                .as("a census-flow decision has no request").isNull();

        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(http.get("/audit/subjects/" + pupil, token, "text/csv").body())).getRecords();
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("requestId")).isEqualTo(requestId);
            assertThat(row.get("caseReference")).isEqualTo("CP-2026-0042");
            assertThat(row.get("requestedBy")).isEqualTo("alice");
            assertThat(row.get("approvedBy")).isEqualTo("alice; bob");
        });

        JsonNode summary = json.readTree(http.get("/audit/summary?returnId=" + census, token).body());
        assertThat(summary.get("requests")).singleElement().satisfies(request -> {
            assertThat(request.get("requestId").asString()).isEqualTo(requestId);
            assertThat(request.get("recipientId").asString()).isEqualTo("social-care");
            assertThat(request.get("caseReference").asString()).isEqualTo("CP-2026-0042");
            assertThat(request.get("requestedBy").asString()).isEqualTo("alice");
            assertThat(request.get("approvedBy").toString()).isEqualTo("[\"alice\",\"bob\"]");
            assertThat(request.get("outcomes").toString()).isEqualTo("{\"DISCLOSED\":1,\"WITHHELD\":1}");
        });
        assertThat(json.readTree(http.get("/audit/verify", Http.token(DPO, "audit:verify")).body()).get("status").asString()).isEqualTo("INTACT");
    }

    private static JsonNode byId(JsonNode events, DisclosureEvent event) {
        return events.valueStream().filter(e -> e.get("disclosureId").asString().equals(event.getDisclosureId())).findFirst().orElseThrow();
    }

    private static List<String> ids(JsonNode references) {
        return references.valueStream().map(r -> r.get("disclosureId").asString()).toList();
    }

    @Test
    void subjectAccessShowsUnchangedDecisionsDeletionRequestsAndDeletionDueNoticesLinkedToTheDisclosuresTheyConcern() {
        History h = historyOfOnePupil();

        JsonNode body = json.readTree(http.get("/audit/subjects/" + h.upn(), Http.token(DPO, "audit:read")).body());

        JsonNode events = body.get("disclosures");
        assertThat(events.valueStream().map(e -> e.get("recipientId").asString() + "/" + e.get("outcome").asString())).containsExactly(
                "youth-support/DISCLOSED", "dfe/DISCLOSED", "youth-support/UNCHANGED", "youth-support/DELETION_REQUESTED", "dfe/UNCHANGED",
                "dfe/DELETION_DUE");
        assertThat(body.get("outcomes").toString()).isEqualTo("{\"DELETION_DUE\":1,\"DELETION_REQUESTED\":1,\"DISCLOSED\":2,\"UNCHANGED\":2}");

        // The disclosure, and everything that later concerned it, with dates.
        JsonNode disclosed = byId(events, h.disclosed());
        assertThat(ids(disclosed.get("referencedBy"))).containsExactly(h.unchanged().getDisclosureId(), h.deletionRequested().getDisclosureId());
        assertThat(disclosed.get("referencedBy").get(1).get("outcome").asString()).isEqualTo("DELETION_REQUESTED");
        assertThat(Instant.parse(disclosed.get("referencedBy").get(1).get("decidedAt").asString())).isEqualTo(h.deletionRequested().getDecidedAt());
        assertThat(disclosed.get("related")).isEmpty();
        assertThat(disclosed.get("retainUntil").asString()).isEqualTo("2108-03-01");

        // UNCHANGED: nothing sent; it names the disclosure the recipient already holds, resolved.
        JsonNode unchanged = byId(events, h.unchanged());
        assertThat(unchanged.get("returnId").asString()).isEqualTo(h.correctedReturnId());
        assertThat(unchanged.get("relatesTo").valueStream().map(JsonNode::asString)).containsExactly(h.disclosed().getDisclosureId());
        JsonNode held = unchanged.get("related").get(0);
        assertThat(held.get("inTrail").asBoolean()).isTrue();
        assertThat(held.get("outcome").asString()).isEqualTo("DISCLOSED");
        assertThat(held.get("returnId").asString()).isEqualTo(h.returnId());
        assertThat(held.get("fieldsDisclosed").valueStream().map(JsonNode::asString)).containsExactly("identity", "names", "dateOfBirth", "address", "school");
        assertThat(Instant.parse(held.get("decidedAt").asString())).isEqualTo(h.disclosed().getDecidedAt());
        assertThat(unchanged.get("deliveryStatus") == null || unchanged.get("deliveryStatus").isNull()).as("nothing was sent").isTrue();

        // The deletion request: what we asked them to delete, why, and that they received it.
        JsonNode request = byId(events, h.deletionRequested());
        assertThat(ids(request.get("related"))).containsExactly(h.disclosed().getDisclosureId());
        assertThat(request.get("reason").asString()).contains("objection obj-7");
        assertThat(request.get("objectionIds").valueStream().map(JsonNode::asString)).containsExactly("obj-7");
        assertThat(request.get("deliveries")).hasSize(2);
        assertThat(request.get("deliveryStatus").asString()).startsWith("delivered ").contains(" by webhook").endsWith("after 2 attempts");

        // Statutory: the objection changed nothing dfe holds, nothing was sent; then dfe's delete-by date passed.
        JsonNode statutory = byId(events, h.statutory());
        assertThat(statutory.get("reason").asString()).isEqualTo("objection not applicable: statutory");
        assertThat(statutory.get("related")).isEmpty();
        assertThat(statutory.get("deliveryStatus") == null || statutory.get("deliveryStatus").isNull()).isTrue();
        JsonNode due = byId(events, h.deletionDue());
        assertThat(ids(due.get("related"))).containsExactly(h.dfe().getDisclosureId());
        assertThat(due.get("deleteBy").asString()).isEqualTo(h.dfe().getDeleteBy().toString());
        assertThat(due.get("deliveryStatus").asString()).startsWith("no delivery receipt");
        assertThat(ids(byId(events, h.dfe()).get("referencedBy"))).containsExactly(h.deletionDue().getDisclosureId());
    }

    @Test
    void aReferenceToAnEventOutsideThePupilsTrailIsShownAsSuchWithoutAnotherPupilsData() {
        AuditTestKafka kafka = new AuditTestKafka(broker.getBrokersAsString());
        DisclosureEvent otherPupils = Events.disclosure(Events.upn(), "youth-support", DisclosureOutcome.DISCLOSED, returnId);
        DisclosureEvent wrongLink = DisclosureEvent.newBuilder(Events.unchanged(dfe, returnId, Instant.now().truncatedTo(ChronoUnit.MILLIS)))
                .setRelatesTo(List.of(otherPupils.getDisclosureId(), "d-erased-long-ago")).build();
        kafka.publish(List.of(otherPupils, wrongLink));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(database.disclosuresOfReturn(returnId)).isEqualTo(7));

        JsonNode events = json.readTree(http.get("/audit/subjects/" + upn, Http.token(DPO, "audit:read")).body()).get("disclosures");

        JsonNode related = byId(events, wrongLink).get("related");
        assertThat(ids(related)).containsExactly(otherPupils.getDisclosureId(), "d-erased-long-ago");
        assertThat(related.valueStream().map(r -> r.get("inTrail").asBoolean())).containsExactly(false, false);
        assertThat(related.get(0).has("recipientId")).as("nothing of the other pupil's disclosure").isFalse();
        assertThat(related.get(0).has("fieldsDisclosed")).isFalse();
    }

    @Test
    void subjectAccessAsCsvHasARowPerEventWithItsLinksAndRetention() throws Exception {
        History h = historyOfOnePupil();

        HttpResponse<String> response = http.get("/audit/subjects/" + h.upn(), Http.token(DPO, "audit:read"), "text/csv");

        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(response.body())).getRecords();
        assertThat(rows).extracting(r -> r.get("outcome"))
                .containsExactly("DISCLOSED", "DISCLOSED", "UNCHANGED", "DELETION_REQUESTED", "UNCHANGED", "DELETION_DUE");
        assertThat(rows.get(0).get("referencedBy")).contains(h.unchanged().getDisclosureId() + " (UNCHANGED youth-support ")
                .contains(h.deletionRequested().getDisclosureId() + " (DELETION_REQUESTED youth-support ");
        assertThat(rows.get(2).get("relatesTo")).startsWith(h.disclosed().getDisclosureId() + " (DISCLOSED youth-support ");
        assertThat(rows.get(2).get("deliveryStatus")).isEmpty();
        assertThat(rows.get(3).get("deliveryStatus")).startsWith("delivered ");
        assertThat(rows).allSatisfy(row -> assertThat(row.get("retainUntil")).isEqualTo("2108-03-01"));
    }

    @Test
    void summaryCountsTheNewOutcomesPerRecipientAndTheDeliveryOfDeletionRequestsApartFromDisclosures() {
        History h = historyOfOnePupil();
        String token = Http.token(DPO, "audit:read");

        JsonNode spring = json.readTree(http.get("/audit/summary?returnId=" + h.returnId(), token).body());
        JsonNode corrected = json.readTree(http.get("/audit/summary?returnId=" + h.correctedReturnId(), token).body());

        // The deletion events carry the return of the disclosures they concern (Events.deletionRequested / deletionDue).
        Map<String, JsonNode> recipients = new java.util.TreeMap<>();
        spring.get("recipients").valueStream().forEach(r -> recipients.put(r.get("recipientId").asString(), r));
        assertThat(spring.get("total").asLong()).isEqualTo(5);
        assertThat(recipients.get("youth-support").get("outcomes").toString()).isEqualTo("{\"DELETION_REQUESTED\":1,\"DISCLOSED\":1}");
        assertThat(recipients.get("dfe").get("outcomes").toString()).isEqualTo("{\"DELETION_DUE\":1,\"DISCLOSED\":1,\"UNCHANGED\":1}");
        assertThat(recipients.get("youth-support").get("deliveries").toString()).as("the disclosure's receipt only").isEqualTo("{\"DELIVERED\":1}");
        assertThat(recipients.get("youth-support").get("receipts").toString()).isEqualTo("{\"DELIVERED\":1}");
        assertThat(recipients.get("youth-support").get("deletionDeliveries").toString())
                .isEqualTo("{\"DELETION_REQUESTED\":{\"DELIVERED\":1,\"FAILED\":1}}");
        assertThat(recipients.get("dfe").get("deletionDeliveries").toString()).isEqualTo("{}");
        assertThat(corrected.get("total").asLong()).isEqualTo(1);
        assertThat(corrected.get("recipients").get(0).get("outcomes").toString()).isEqualTo("{\"UNCHANGED\":1}");
        assertThat(corrected.get("recipients").get(0).get("deliveries").toString()).isEqualTo("{}");
    }

    @Test
    void disclosuresCanBeFilteredByTheNewOutcomes() {
        History h = historyOfOnePupil();
        String token = Http.token(DPO, "audit:read");

        JsonNode requests = json.readTree(http.get("/audit/disclosures?outcome=DELETION_REQUESTED&returnId=" + h.returnId(), token).body());
        JsonNode due = json.readTree(http.get("/audit/disclosures?outcome=DELETION_DUE&returnId=" + h.returnId(), token).body());
        JsonNode unchanged = json.readTree(http.get("/audit/disclosures?outcome=UNCHANGED&returnId=" + h.correctedReturnId(), token).body());

        assertThat(ids(requests.get("items"))).containsExactly(h.deletionRequested().getDisclosureId());
        assertThat(requests.get("items").get(0).get("relatesTo").valueStream().map(JsonNode::asString)).containsExactly(h.disclosed().getDisclosureId());
        assertThat(requests.get("items").get(0).has("related")).as("links are resolved for subject access only").isFalse();
        assertThat(ids(due.get("items"))).containsExactly(h.deletionDue().getDisclosureId());
        assertThat(ids(unchanged.get("items"))).containsExactly(h.unchanged().getDisclosureId());
    }
}
