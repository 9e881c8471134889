package org.pupilflow.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pupilflow.policy.publish.PolicyPublication;
import org.pupilflow.schemas.topics.TopicCatalog;
import org.junit.jupiter.api.TestInstance;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.census.ObjectionRaisedBy;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.decide.Decision;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;
import org.pupilflow.sharing.PupilDisclosure;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The router against a real (in-process KRaft) broker: a generated census with objections goes
 * in, and recipient topics and the audit topic are read back as recipients and audit-service do.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "spring.kafka.streams.application-id=router-it-${random.uuid}",
    "spring.kafka.streams.properties.state.dir=${java.io.tmpdir}/router-it-${random.uuid}",
    "pupilflow.router.policy-file=../policies/norfolk.yaml",
    "pupilflow.router.pseudonymisation-key=" + RouterIntegrationTest.KEY,
    "pupilflow.router.partitions=3"})
@EmbeddedKafka(count = 1, partitions = 3)
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouterIntegrationTest {

    static final String KEY = "integration-test-pseudonymisation-key-0123456789";
    private static final int PUPILS = 2_500;

    private String brokers;

    /** The broker of this test's own context: the system property can name another test's broker by now. */
    @Autowired
    void useBroker(EmbeddedKafkaBroker broker) {
        this.brokers = broker.getBrokersAsString();
    }

    @Value("${local.server.port}")
    private int port;

    @Autowired
    private SharingPolicy policy;

    @Autowired
    private SharingEngine engine;

    private RouterTestKafka kafka;
    private List<CensusPupil> census;
    private List<Objection> objections;

    @BeforeAll
    void publishCensusWithObjections() {
        kafka = new RouterTestKafka(brokers);
        census = new SyntheticCensus(CensusSpec.of(PUPILS)).stream().toList();
        objections = objectionsForEveryTwentiethPupil(census);
        kafka.publishObjections("consent.objections", objections);
        kafka.publishCensus("census.pupil-records", census);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> kafka.readAll("audit.disclosures", true).size() >= expectedDecisions().size());
    }

    @Test
    void everyRecipientRecordHasExactlyOneAuditEventWithTheSameDisclosureId() {
        Map<String, DisclosureEvent> events = auditEvents().stream()
                .collect(Collectors.toMap(DisclosureEvent::getDisclosureId, Function.identity(), (a, b) -> {
                    throw new AssertionError("two audit events for disclosure " + a.getDisclosureId());
                }));

        for (RecipientRule recipient : policy.recipients()) {
            List<PupilDisclosure> records = disclosures(recipient.topic());
            assertThat(records).extracting(PupilDisclosure::getDisclosureId).doesNotHaveDuplicates();
            assertThat(records).allSatisfy(record -> {
                DisclosureEvent event = events.get(record.getDisclosureId());
                assertThat(event).as("audit event for %s on %s", record.getDisclosureId(), recipient.topic()).isNotNull();
                assertThat(event.getRecipientId()).isEqualTo(recipient.id());
                assertThat(event.getOutcome()).isNotEqualTo(DisclosureOutcome.WITHHELD);
                assertThat(event.getFieldsDisclosed()).isEqualTo(record.getDisclosedFields());
            });
        }
    }

    @Test
    void routedDecisionsAreExactlyWhatThePolicyDecidesForTheCensus() {
        Map<String, Long> expected = countByRecipientAndOutcome(expectedDecisions().stream().map(Decision::event).toList());

        // The census's decisions; follow-ups of later objections and re-submissions in other tests are about its disclosures too.
        List<DisclosureEvent> decisions = auditEvents().stream().filter(e -> DECISIONS.contains(e.getOutcome())).toList();
        Map<String, Long> audited = countByRecipientAndOutcome(decisions);

        assertThat(audited).as("follow-ups: %s", auditEvents().stream().filter(e -> !DECISIONS.contains(e.getOutcome()))
                .filter(e -> e.getReturnId().equals(CensusSpec.of(PUPILS).returnId())).map(e -> e.getRecipientId() + " " + e.getOutcome() + ": " + e.getReason()).toList())
                .isEqualTo(expected);
        assertThat(expected).containsKeys("youth-support/RESTRICTED", "post16/WITHHELD", "dfe/DISCLOSED", "childrens-centres/WITHHELD");
        for (RecipientRule recipient : policy.recipients()) {
            long sent = expectedDecisions().stream().filter(d -> d.recipient().id().equals(recipient.id()) && d.sendsRecord()).count();
            assertThat(disclosures(recipient.topic())).as(recipient.topic()).hasSize((int) sent);
        }
    }

    @Test
    void everyAuditEventNamesThePolicyItWasDecidedUnder() {
        assertThat(auditEvents()).allSatisfy(event -> {
            assertThat(event.getPolicyId()).isEqualTo(policy.id());
            assertThat(event.getPolicyVersion()).isEqualTo(policy.version());
            assertThat(event.getPolicyContentHash()).isEqualTo(policy.contentHash()).hasSize(64);
            assertThat(event.getLegalBasis()).isEqualTo(policy.recipient(event.getRecipientId()).orElseThrow().legalBasis());
        });
    }

    @Test
    void pseudonymisedRecordsCarryNoUpnAndNoNames() {
        List<ConsumerRecord<String, byte[]>> records = kafka.readAll("recipient.nhs-ncmp-research", true);

        assertThat(records).isNotEmpty().allSatisfy(record -> {
            String text = new String(record.value(), StandardCharsets.ISO_8859_1);
            assertThat(record.key()).hasSize(64);
            assertThat(census).noneSatisfy(pupil -> assertThat(record.key()).isEqualTo(pupil.getIdentity().getUpn()));
            assertThat(text).doesNotContainPattern("[A-Z]926\\d{9}");
        });
    }

    @Test
    void anObjectionPublishedBeforeACensusRecordIsHonoured() {
        CensusPupil year11 = census.stream().filter(p -> p.getEnrolment().getNcYearActual().equals("11")).skip(10).findFirst().orElseThrow();
        CensusPupil resubmitted = CensusPupil.newBuilder(year11)
                .setCensus(org.pupilflow.census.CensusContext.newBuilder(year11.getCensus()).setReturnId("late-return").build()).build();
        Objection objection = objection("late-1", year11, "post16");

        kafka.publishObjections("consent.objections", List.of(objection));
        kafka.publishCensus("census.pupil-records", List.of(resubmitted));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(auditEvents())
                .filteredOn(e -> e.getReturnId().equals("late-return") && e.getRecipientId().equals("post16"))
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.getOutcome()).isEqualTo(DisclosureOutcome.WITHHELD);
                    assertThat(event.getObjectionIds()).containsExactly("late-1");
                }));
        assertThat(disclosures("recipient.post16")).noneSatisfy(d -> assertThat(d.getReturnId()).isEqualTo("late-return"));
    }

    @Test
    void recordsTheRouterCannotDecideOnGoToTheDeadLetterTopicAndRoutingContinues() {
        CensusPupil pupil = census.get(7);
        CensusPupil afterwards = CensusPupil.newBuilder(census.get(8))
                .setCensus(org.pupilflow.census.CensusContext.newBuilder(census.get(8).getCensus()).setReturnId("after-bad-input").build()).build();

        kafka.publishRaw("census.pupil-records", "J935123420731", "not avro".getBytes(StandardCharsets.UTF_8));
        kafka.publishCensus("census.pupil-records", List.of(CensusPupil.newBuilder(pupil).setIdentity(
                org.pupilflow.census.Identity.newBuilder(pupil.getIdentity()).setUpn("A926200025000").build()).build()));
        kafka.publishCensus("census.pupil-records", List.of(afterwards));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> deadLetters = kafka.readAll("census.pupil-records.dead-letters", true);
            assertThat(deadLetters).extracting(r -> header(r, "pupilflow.dead-letter.reason"))
                    .contains("UNDECODABLE", "INVALID_UPN");
            assertThat(deadLetters).filteredOn(r -> header(r, "pupilflow.dead-letter.reason").equals("UNDECODABLE")).first()
                    .satisfies(r -> {
                        assertThat(r.value()).isEqualTo("not avro".getBytes(StandardCharsets.UTF_8));
                        assertThat(header(r, "pupilflow.dead-letter.detail")).contains("not Avro single-object encoded");
                        assertThat(header(r, "pupilflow.dead-letter.source")).startsWith("census.pupil-records-");
                    });
            assertThat(auditEvents()).anySatisfy(e -> assertThat(e.getReturnId()).isEqualTo("after-bad-input"));
        });
    }

    @Test
    void publishedThePolicyItAppliesAtStartAndExposesItsHash() throws Exception {
        List<ConsumerRecord<String, byte[]>> published = kafka.readAll(TopicCatalog.POLICY_IN_FORCE.name(), true);

        assertThat(published).isNotEmpty();
        ConsumerRecord<String, byte[]> latest = published.get(published.size() - 1);
        assertThat(latest.key()).isEqualTo(TopicCatalog.POLICY_IN_FORCE_KEY);
        PolicyPublication publication = PolicyPublication.fromJson(latest.value());
        assertThat(publication.contentHash()).isEqualTo(policy.contentHash());
        assertThat(publication.policy().contentHash()).as("the document itself, which loads to the same policy").isEqualTo(policy.contentHash());
        assertThat(publication.publishedBy()).startsWith("User:sharing-router@");
        HttpClient http = HttpClient.newHttpClient();
        assertThat(get(http, "/actuator/info", "application/json").body()).contains("\"contentHash\":\"" + policy.contentHash() + "\"");
        assertThat(get(http, "/actuator/prometheus", "text/plain").body()).contains("pupilflow_policy_in_force{", "policy_hash=\"" + policy.contentHash() + "\"");
    }

    @Test
    void servesThePolicyItAppliesAndTheNoticeRenderedFromIt() throws Exception {
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> summary = get(http, "/policy", "application/json");
        HttpResponse<String> markdown = get(http, "/policy/notice", "*/*");
        HttpResponse<String> html = get(http, "/policy/notice", "text/html,application/xhtml+xml");

        assertThat(summary.body()).contains("\"id\":\"norfolk-census-sharing\"", "\"contentHash\":\"" + policy.contentHash() + "\"", "\"youth-support\"");
        assertThat(markdown.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/markdown"));
        assertThat(markdown.body()).startsWith("# ").contains("## Norfolk County Council Youth Support Services");
        assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(html.body()).contains("<h2>Norfolk County Council Youth Support Services</h2>");
    }

    @Test
    void reportsHealthAndExportsTheMetricsDashboardsUse() throws Exception {
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> readiness = get(http, "/actuator/health/readiness", "application/json");
        HttpResponse<String> metrics = get(http, "/actuator/prometheus", "text/plain");

        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains(
                "pupilflow_router_decisions_total{", "outcome=\"WITHHELD\"", "recipient=\"youth-support\"",
                "pupilflow_router_withheld_total{", "pupilflow_router_out_of_cohort_total{", "pupilflow_router_records_total",
                "pupilflow_router_processing_seconds_bucket", "pupilflow_router_record_age_seconds_bucket");
    }

    private List<Decision> expectedDecisions() {
        Instant decidedAt = Instant.now();
        List<Decision> decisions = new ArrayList<>();
        for (CensusPupil pupil : census) {
            List<Objection> own = objections.stream().filter(o -> o.getUpn().equals(pupil.getIdentity().getUpn())).toList();
            decisions.addAll(engine.evaluate(pupil, own, decidedAt).decisions());
        }
        return decisions;
    }

    private static List<Objection> objectionsForEveryTwentiethPupil(List<CensusPupil> census) {
        String[] scopes = {"post16", "youth-support", "childrens-centres", "nhs-ncmp", "all"};
        List<Objection> objections = new ArrayList<>();
        for (int i = 0; i < census.size(); i += 20) {
            objections.add(objection("obj-" + i, census.get(i), scopes[(i / 20) % scopes.length]));
        }
        // Make sure the rules that only bite on older pupils are exercised too.
        census.stream().filter(p -> p.getEnrolment().getNcYearActual().equals("11")).limit(5)
                .forEach(p -> objections.add(objection("y11-" + p.getIdentity().getUpn(), p, "post16")));
        census.stream().filter(p -> p.getEnrolment().getNcYearActual().equals("9")).limit(5)
                .forEach(p -> objections.add(objection("y9-" + p.getIdentity().getUpn(), p, "youth-support")));
        return objections;
    }

    private static Objection objection(String id, CensusPupil pupil, String scope) {
        return Objection.newBuilder().setObjectionId(id).setUpn(pupil.getIdentity().getUpn()).setScope(scope)
                .setRaisedBy(ObjectionRaisedBy.PARENT).setReceivedDate(LocalDate.of(2025, 10, 1))
                .setEvidenceReference("signed letter 2025-10-01").setWithdrawn(false).setWithdrawnDate(null).build();
    }

    private static final java.util.Set<DisclosureOutcome> DECISIONS = java.util.EnumSet.of(DisclosureOutcome.DISCLOSED, DisclosureOutcome.RESTRICTED,
            DisclosureOutcome.WITHHELD);

    private List<DisclosureEvent> auditEvents() {
        AvroSingleObjectDeserializer<DisclosureEvent> events = new AvroSingleObjectDeserializer<>(DisclosureEvent.class);
        return kafka.readAll("audit.disclosures", true).stream().map(r -> events.deserialize(r.topic(), r.value())).toList();
    }

    /** The disclosures on a recipient topic (other tests here also put deletion requests on them). */
    private List<PupilDisclosure> disclosures(String topic) {
        return kafka.readAll(topic, true).stream().map(r -> org.pupilflow.schemas.kafka.RecipientRecords.decode(r.topic(), r.headers(), r.value()))
                .filter(PupilDisclosure.class::isInstance).map(PupilDisclosure.class::cast).toList();
    }

    private static Map<String, Long> countByRecipientAndOutcome(List<DisclosureEvent> events) {
        Map<String, Long> counts = new HashMap<>();
        events.stream().filter(e -> e.getReturnId().equals(CensusSpec.of(PUPILS).returnId()))
                .forEach(e -> counts.merge(e.getRecipientId() + "/" + e.getOutcome(), 1L, Long::sum));
        return counts;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private HttpResponse<String> get(HttpClient http, String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Bad requests to the router's endpoints and what each answer must be: a problem document saying what is accepted. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> badRequests() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("POST", "/policy", null, 405, "method-not-allowed", "GET"),
                org.junit.jupiter.params.provider.Arguments.of("DELETE", "/policy/notice", null, 405, "method-not-allowed", "GET"),
                org.junit.jupiter.params.provider.Arguments.of("GET", "/policy", "application/xml", 406, "not-acceptable", "application/json"),
                org.junit.jupiter.params.provider.Arguments.of("GET", "/policies", null, 404, "not-found", "/policies"),
                org.junit.jupiter.params.provider.Arguments.of("GET", "/actuator/secrets", null, 404, "not-found", "/actuator/secrets"),
                org.junit.jupiter.params.provider.Arguments.of("GET", "/policy/%2e%2e/%2e%2e/etc/passwd", null, 400, "bad-request", "refused"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1} -> {3}")
    @org.junit.jupiter.params.provider.MethodSource("badRequests")
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
