package org.pupilflow.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.census.ObjectionRaisedBy;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.decide.Pseudonymiser;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.router.RouterProperties;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.pupilflow.schemas.kafka.AvroSingleObjectSerializer;
import org.pupilflow.schemas.kafka.DeadLetters;
import org.pupilflow.schemas.kafka.RecipientRecords;
import org.pupilflow.schemas.topics.ObjectionKey;
import org.pupilflow.sharing.DeletionRequest;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;
import org.pupilflow.sharing.DisclosureRequest;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * Case-by-case requests on the router's real topology (TopologyTestDriver), with Barnet's policy: a requested pupil is
 * decided on the latest census record the router holds, with the same minimisation, objections, audit and recipient
 * topic as the census flow, and nothing reaches an on-request recipient any other way.
 */
class OnRequestTopologyTest {

    private static final String KEY = "on-request-topology-test-key-0123456789abcdef";
    private static final SharingPolicy BARNET = new PolicyLoader().load(Path.of("../policies/barnet.yaml"));
    private static final String S47 = "Children Act 1989 s47 (enquiries about significant harm)";
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    @TempDir
    Path state;

    private final SharingEngine engine = new SharingEngine(BARNET, new Pseudonymiser(KEY.getBytes()));
    private final RouterProperties properties = new RouterProperties("barnet.yaml", KEY, null, null, null, null, null, null, null, null);
    private final AvroSingleObjectSerializer<CensusPupil> censusWriter = new AvroSingleObjectSerializer<>(CensusPupil.class);
    private final AvroSingleObjectSerializer<Objection> objectionWriter = new AvroSingleObjectSerializer<>(Objection.class);
    private final AvroSingleObjectSerializer<DisclosureRequest> requestWriter = new AvroSingleObjectSerializer<>(DisclosureRequest.class);
    private final AvroSingleObjectDeserializer<DisclosureEvent> events = new AvroSingleObjectDeserializer<>(DisclosureEvent.class);
    private final List<CensusPupil> pupils = new SyntheticCensus(CensusSpec.of(20)).stream().toList();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> census;
    private TestInputTopic<String, byte[]> objections;
    private TestInputTopic<String, byte[]> requests;
    private TestOutputTopic<String, byte[]> audit;
    private TestOutputTopic<String, byte[]> requestDeadLetters;
    private final Map<String, TestOutputTopic<String, byte[]>> recipientTopics = new HashMap<>();
    private final Map<String, List<TestRecord<String, byte[]>>> censusFlow = new HashMap<>();

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        ObjectionFreshness freshness = new ObjectionFreshness();
        freshness.observed(Long.MAX_VALUE, Map.of());
        RoutingTopology.build(builder, engine, properties, new SimpleMeterRegistry(), freshness, new ObjectionArrivals(),
                new RightsTopologyTest.MutableClock(NOW), () -> 1, () -> 1);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "on-request-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        config.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(builder.build(), config, NOW);
        RouterProperties.Topics topics = properties.topics();
        census = driver.createInputTopic(topics.census(), new StringSerializer(), new ByteArraySerializer());
        objections = driver.createInputTopic(topics.objections(), new StringSerializer(), new ByteArraySerializer());
        requests = driver.createInputTopic(topics.requestedPupils(), new StringSerializer(), new ByteArraySerializer());
        audit = driver.createOutputTopic(topics.audit(), new StringDeserializer(), new ByteArrayDeserializer());
        requestDeadLetters = driver.createOutputTopic(topics.requestDeadLetters(), new StringDeserializer(), new ByteArrayDeserializer());
        for (RecipientRule rule : BARNET.recipients()) {
            recipientTopics.put(rule.id(), driver.createOutputTopic(rule.topic(), new StringDeserializer(), new ByteArrayDeserializer()));
        }
        for (CensusPupil pupil : pupils.subList(0, 19)) {
            census.pipeInput(upn(pupil), censusWriter.serialize("c", pupil));
        }
        // What the census flow sent, kept for the test that looks at it; the others start from empty topics.
        BARNET.recipients().forEach(rule -> censusFlow.put(rule.id(), recipientTopics.get(rule.id()).readRecordsToList()));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void theCensusFlowSendsNothingToOnRequestRecipients() {
        assertThat(censusFlow.get("dfe")).as("the census flow ran").hasSize(19);
        assertThat(BARNET.recipients().stream().filter(RecipientRule::deliveredOnRequest))
                .allSatisfy(rule -> assertThat(censusFlow.get(rule.id())).as(rule.id()).isEmpty());
        assertThat(drainAudit()).extracting(DisclosureEvent::getRecipientId).doesNotContain("social-care", "other-local-authorities",
                "health-agencies", "education-settings");
    }

    @Test
    void aRequestDisclosesTheMinimisedRecordOnTheRecipientsTopicAndAuditsEveryNamedPupilWithTheRequest() {
        CensusPupil shared = pupils.get(0);
        CensusPupil objecting = pupils.get(1);
        CensusPupil unknown = pupils.get(19);   // never in a census return the router saw
        objections.pipeInput(new ObjectionKey(upn(objecting), "OBJ-9").encode(),
                objectionWriter.serialize("o", objection(upn(objecting), "OBJ-9", "social-care")));
        drainAudit();

        for (CensusPupil pupil : List.of(shared, objecting, unknown)) {
            requests.pipeInput(upn(pupil), requestWriter.serialize("r", request("REQ-7", upn(pupil), "social-care", S47, List.of("officer-a", "officer-b"))));
        }

        List<TestRecord<String, byte[]>> sent = recipientTopics.get("social-care").readRecordsToList();
        assertThat(sent).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(upn(shared));
            PupilDisclosure disclosure = (PupilDisclosure) RecipientRecords.decode("recipient", record.headers(), record.value());
            assertThat(disclosure.getRequestId()).isEqualTo("REQ-7");
            assertThat(disclosure.getCaseReference()).isEqualTo("CP-2026-0042");
            assertThat(disclosure.getDisclosedFields()).containsExactlyElementsOf(BARNET.recipient("social-care").orElseThrow().fields());
            assertThat(disclosure.getEthnicity()).as("not on social-care's allow-list").isNull();
            assertThat(disclosure.getKeyStage2()).isNull();
            assertThat(disclosure.getNames()).isEqualTo(shared.getNames());
        });
        assertThat(recipientTopics).allSatisfy((id, topic) -> assertThat(topic.readRecordsToList()).as(id).isEmpty());

        Map<String, DisclosureEvent> byPupil = new HashMap<>();
        drainAudit().forEach(event -> byPupil.put(event.getUpn(), event));
        assertThat(byPupil).hasSize(3);
        assertThat(byPupil.values()).allSatisfy(event -> {
            assertThat(event.getRecipientId()).isEqualTo("social-care");
            assertThat(event.getRequestId()).isEqualTo("REQ-7");
            assertThat(event.getCaseReference()).isEqualTo("CP-2026-0042");
            assertThat(event.getRequestedBy()).isEqualTo("officer-a");
            assertThat(event.getApprovedBy()).containsExactly("officer-a", "officer-b");
            assertThat(event.getLegalBasis()).isEqualTo(S47);
        });
        assertThat(byPupil.get(upn(shared)).getOutcome()).isEqualTo(DisclosureOutcome.DISCLOSED);
        assertThat(byPupil.get(upn(shared)).getDisclosureId()).isEqualTo(
                ((PupilDisclosure) RecipientRecords.decode("r", sent.get(0).headers(), sent.get(0).value())).getDisclosureId());
        assertThat(byPupil.get(upn(objecting)).getOutcome()).isEqualTo(DisclosureOutcome.WITHHELD);
        assertThat(byPupil.get(upn(objecting)).getObjectionIds()).containsExactly("OBJ-9");
        assertThat(byPupil.get(upn(unknown)).getOutcome()).isEqualTo(DisclosureOutcome.WITHHELD);
        assertThat(byPupil.get(upn(unknown)).getReason()).contains("no census record of this pupil");
    }

    @Test
    void aRequestWithTooFewOfficersOrAnotherLegalBasisIsAuditedWithheldAndSendsNothing() {
        CensusPupil pupil = pupils.get(2);
        drainAudit();

        requests.pipeInput(upn(pupil), requestWriter.serialize("r", request("REQ-1", upn(pupil), "social-care", S47, List.of("officer-a"))));
        requests.pipeInput(upn(pupil), requestWriter.serialize("r", request("REQ-2", upn(pupil), "social-care", "Crime and Disorder Act 1998 s115",
                List.of("officer-a", "officer-b"))));

        assertThat(recipientTopics.get("social-care").readRecordsToList()).isEmpty();
        assertThat(drainAudit()).extracting(DisclosureEvent::getOutcome).containsExactly(DisclosureOutcome.WITHHELD, DisclosureOutcome.WITHHELD);
    }

    @Test
    void aRequestNamingACensusFlowRecipientIsDeadLetteredWithTheReasonAndSendsNothing() {
        CensusPupil pupil = pupils.get(3);
        drainAudit();

        requests.pipeInput(upn(pupil), requestWriter.serialize("r", request("REQ-3", upn(pupil), "post16", S47, List.of("officer-a"))));

        assertThat(requestDeadLetters.readRecordsToList()).singleElement().satisfies(record ->
                assertThat(new String(record.headers().lastHeader(DeadLetters.REASON_HEADER).value())).isEqualTo("NOT_ON_REQUEST"));
        assertThat(drainAudit()).isEmpty();
        assertThat(recipientTopics).allSatisfy((id, topic) -> assertThat(topic.readRecordsToList()).as(id).isEmpty());
    }

    @Test
    void anObjectionAfterACaseByCaseDisclosureAsksTheRecipientToDeleteIt() {
        CensusPupil pupil = pupils.get(4);
        requests.pipeInput(upn(pupil), requestWriter.serialize("r", request("REQ-4", upn(pupil), "social-care", S47, List.of("officer-a", "officer-b"))));
        assertThat(recipientTopics.get("social-care").readRecordsToList()).hasSize(1);
        drainAudit();

        objections.pipeInput(new ObjectionKey(upn(pupil), "OBJ-4").encode(), objectionWriter.serialize("o", objection(upn(pupil), "OBJ-4", "social-care")));
        driver.advanceWallClockTime(Duration.ofMinutes(1));

        assertThat(recipientTopics.get("social-care").readRecordsToList()).singleElement().satisfies(record -> {
            assertThat(RecipientRecords.kindOf(record.headers(), record.value())).contains(RecipientRecords.Kind.DELETION_REQUEST);
            assertThat(((DeletionRequest) RecipientRecords.decode("r", record.headers(), record.value())).getObjectionIds()).containsExactly("OBJ-4");
        });
        assertThat(drainAudit()).extracting(DisclosureEvent::getOutcome).contains(DisclosureOutcome.DELETION_REQUESTED);
    }

    private static DisclosureRequest request(String requestId, String upn, String recipientId, String legalBasis, List<String> approvedBy) {
        return DisclosureRequest.newBuilder().setRequestId(requestId).setUpn(upn).setRecipientId(recipientId).setCaseReference("CP-2026-0042")
                .setPurpose("section 47 enquiry").setLegalBasis(legalBasis).setRequestedBy(approvedBy.get(0)).setApprovedBy(approvedBy).setPupilCount(3)
                .setRequestedAt(NOW).setApprovedAt(NOW).build();
    }

    private static Objection objection(String upn, String id, String scope) {
        return Objection.newBuilder().setObjectionId(id).setUpn(upn).setScope(scope).setRaisedBy(ObjectionRaisedBy.PARENT)
                .setReceivedDate(LocalDate.of(2026, 11, 27)).setEvidenceReference("signed letter").setWithdrawn(false).setWithdrawnDate(null).build();
    }

    private static String upn(CensusPupil pupil) {
        return pupil.getIdentity().getUpn();
    }

    private List<DisclosureEvent> drainAudit() {
        return audit.readValuesToList().stream().map(bytes -> events.deserialize("audit", bytes)).toList();
    }
}
