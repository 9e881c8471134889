package org.pupilflow.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Collectors;

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
import org.pupilflow.census.Address;
import org.pupilflow.census.CensusContext;
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
import org.pupilflow.schemas.kafka.RecipientRecords;
import org.pupilflow.schemas.topics.ObjectionKey;
import org.pupilflow.sharing.DeletionDue;
import org.pupilflow.sharing.DeletionRequest;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * What recipients hold follows the pupil's rights, on the router's real topology (TopologyTestDriver): no identical
 * re-disclosure, deletion requests after late objections, one delete-by notice per disclosure. Norfolk's policy: dfe is
 * statutory, nhs-ncmp withholds on objection and must delete after a year, youth-support restricts.
 */
class RightsTopologyTest {

    private static final String KEY = "rights-topology-test-key-0123456789abcdef";
    private static final SharingPolicy POLICY = new PolicyLoader().load(Path.of("../policies/norfolk.yaml"));

    @TempDir
    Path state;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final SharingEngine engine = new SharingEngine(POLICY, new Pseudonymiser(KEY.getBytes()));
    private final RouterProperties properties = new RouterProperties("norfolk.yaml", KEY, null, null, null, null, null, null, null, null);
    private final AvroSingleObjectSerializer<CensusPupil> censusWriter = new AvroSingleObjectSerializer<>(CensusPupil.class);
    private final AvroSingleObjectSerializer<Objection> objectionWriter = new AvroSingleObjectSerializer<>(Objection.class);
    private final AvroSingleObjectDeserializer<DisclosureEvent> events = new AvroSingleObjectDeserializer<>(DisclosureEvent.class);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> census;
    private TestInputTopic<String, byte[]> objections;
    private TestOutputTopic<String, byte[]> audit;
    private final Map<String, TestOutputTopic<String, byte[]>> recipientTopics = new HashMap<>();

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        ObjectionFreshness freshness = new ObjectionFreshness();
        freshness.observed(Long.MAX_VALUE, Map.of());   // no end-offset watcher here: every objection piped in is applied at once
        RoutingTopology.build(builder, engine, properties, new SimpleMeterRegistry(), freshness, new ObjectionArrivals(), clock, () -> 1, () -> 1);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "rights-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        config.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(builder.build(), config, Instant.parse("2026-11-28T10:00:00Z"));
        RouterProperties.Topics topics = properties.topics();
        census = driver.createInputTopic(topics.census(), new StringSerializer(), new ByteArraySerializer());
        objections = driver.createInputTopic(topics.objections(), new StringSerializer(), new ByteArraySerializer());
        audit = driver.createOutputTopic(topics.audit(), new StringDeserializer(), new ByteArrayDeserializer());
        for (RecipientRule rule : POLICY.recipients()) {
            recipientTopics.put(rule.id(), driver.createOutputTopic(rule.topic(), new StringDeserializer(), new ByteArrayDeserializer()));
        }
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void theSameReturnReUploadedInAnotherOrderSendsNothingAndEveryDecisionIsAuditedUnchanged() {
        List<CensusPupil> pupils = pupils(150, "R-first");
        publish(pupils);
        Map<String, List<TestRecord<String, byte[]>>> first = drainRecipients();
        List<DisclosureEvent> firstEvents = drainAudit();
        long sent = first.values().stream().mapToLong(List::size).sum();
        assertThat(sent).isPositive();

        List<CensusPupil> again = new ArrayList<>(returnOf(pupils, "R-again"));
        Collections.shuffle(again, new Random(3));
        publish(again);

        assertThat(drainRecipients().values()).allSatisfy(records -> assertThat(records).isEmpty());
        List<DisclosureEvent> secondEvents = drainAudit();
        assertThat(secondEvents).hasSize(firstEvents.size());
        Map<DisclosureOutcome, Long> outcomes = secondEvents.stream().collect(Collectors.groupingBy(DisclosureEvent::getOutcome, Collectors.counting()));
        assertThat(outcomes.get(DisclosureOutcome.UNCHANGED)).isEqualTo(sent);
        assertThat(outcomes.keySet()).isSubsetOf(DisclosureOutcome.UNCHANGED, DisclosureOutcome.WITHHELD);
        // Each UNCHANGED event names the disclosure the recipient already holds.
        Map<String, String> firstIds = firstEvents.stream().filter(e -> e.getOutcome() != DisclosureOutcome.WITHHELD)
                .collect(Collectors.toMap(e -> e.getUpn() + '|' + e.getRecipientId(), DisclosureEvent::getDisclosureId));
        assertThat(secondEvents).filteredOn(e -> e.getOutcome() == DisclosureOutcome.UNCHANGED)
                .allSatisfy(e -> assertThat(e.getRelatesTo()).containsExactly(firstIds.get(e.getUpn() + '|' + e.getRecipientId())));
    }

    @Test
    void aCorrectedAddressSendsOneNewRecordToEachRecipientThatReceivesAddressesAndNothingElse() {
        List<CensusPupil> pupils = pupils(150, "R-first");
        publish(pupils);
        Map<String, List<TestRecord<String, byte[]>>> first = drainRecipients();
        drainAudit();

        List<CensusPupil> corrected = new ArrayList<>(returnOf(pupils, "R-corrected"));
        CensusPupil moved = corrected.get(17);
        corrected.set(17, CensusPupil.newBuilder(moved).setAddress(Address.newBuilder(moved.getAddress()).setLines(List.of("1 New Street"))
                .build()).build());
        publish(corrected);

        Map<String, List<TestRecord<String, byte[]>>> second = drainRecipients();
        String upn = moved.getIdentity().getUpn();
        for (RecipientRule rule : POLICY.recipients()) {
            boolean heldTheAddress = first.get(rule.id()).stream().map(this::disclosure)
                    .anyMatch(d -> d.getAddress() != null && upn.equals(d.getIdentity() == null ? null : d.getIdentity().getUpn()));
            assertThat(second.get(rule.id())).as(rule.id()).hasSize(heldTheAddress ? 1 : 0);
        }
        assertThat(second.values().stream().mapToLong(List::size).sum()).as("new records in all").isPositive();
    }

    @Test
    void anObjectionAfterSharingRequestsDeletionFromTheAffectedRecipientsOnlyAndRestrictsWhereThePolicySaysSo() {
        List<CensusPupil> pupils = mixedPupils(12, "R-first");
        publish(pupils);
        Map<String, List<TestRecord<String, byte[]>>> first = drainRecipients();
        List<DisclosureEvent> firstEvents = drainAudit();
        Map<String, List<DisclosureEvent>> byPupil = firstEvents.stream().filter(e -> e.getOutcome() == DisclosureOutcome.DISCLOSED)
                .collect(Collectors.groupingBy(DisclosureEvent::getUpn));
        // One pupil held by youth-support (restricts), one by nhs-ncmp (withholds); both held by dfe (statutory).
        java.util.Set<org.pupilflow.policy.ObjectionRule.Effect> exercised = new java.util.HashSet<>();
        for (String recipient : List.of("youth-support", "nhs-ncmp")) {
            String upn = byPupil.entrySet().stream().filter(e -> recipients(e.getValue()).containsAll(List.of("dfe", recipient)))
                    .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no pupil shared with dfe and " + recipient));
            CensusPupil pupil = pupils.stream().filter(p -> p.getIdentity().getUpn().equals(upn)).findFirst().orElseThrow();
            objectAfterSharing(pupil, byPupil.get(upn), first, exercised);
        }
        assertThat(exercised).containsExactlyInAnyOrder(org.pupilflow.policy.ObjectionRule.Effect.values());
    }

    private void objectAfterSharing(CensusPupil pupil, List<DisclosureEvent> disclosed, Map<String, List<TestRecord<String, byte[]>>> first,
                                    java.util.Set<org.pupilflow.policy.ObjectionRule.Effect> exercised) {
        String upn = pupil.getIdentity().getUpn();
        Map<String, String> held = disclosed.stream().collect(Collectors.toMap(DisclosureEvent::getRecipientId, DisclosureEvent::getDisclosureId));
        List<CensusPupil> pupils = List.of(pupil);
        objections.pipeInput(new ObjectionKey(upn, "OBJ-1").encode(), objectionWriter.serialize("o", objection(upn, "OBJ-1", "all")));
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        Map<String, List<TestRecord<String, byte[]>>> after = drainRecipients();
        List<DisclosureEvent> followUps = drainAudit();
        for (Map.Entry<String, String> holding : held.entrySet()) {
            RecipientRule rule = POLICY.recipients().stream().filter(r -> r.id().equals(holding.getKey())).findFirst().orElseThrow();
            List<TestRecord<String, byte[]>> records = after.get(rule.id());
            exercised.add(rule.objections().effect());
            switch (rule.objections().effect()) {
                case NOT_APPLICABLE -> {
                    assertThat(records).as(rule.id()).isEmpty();
                    assertThat(followUps).filteredOn(e -> e.getRecipientId().equals(rule.id())).singleElement().satisfies(e -> {
                        assertThat(e.getOutcome()).isEqualTo(DisclosureOutcome.UNCHANGED);
                        assertThat(e.getReason()).contains("objection not applicable: statutory");
                    });
                }
                case WITHHOLD -> {
                    assertThat(records).as(rule.id()).singleElement().satisfies(record -> {
                        assertThat(kind(record)).isEqualTo(RecipientRecords.Kind.DELETION_REQUEST);
                        DeletionRequest request = (DeletionRequest) RecipientRecords.decode(rule.topic(), record.headers(), record.value());
                        assertThat(request.getDisclosureIds()).containsExactly(holding.getValue());
                        assertThat(request.getObjectionIds()).containsExactly("OBJ-1");
                        assertThat(record.key()).isEqualTo(first.get(rule.id()).stream().filter(r -> disclosure(r).getDisclosureId().equals(holding.getValue()))
                                .findFirst().orElseThrow().key());
                    });
                    assertThat(followUps).filteredOn(e -> e.getRecipientId().equals(rule.id())).singleElement()
                            .satisfies(e -> assertThat(e.getOutcome()).isEqualTo(DisclosureOutcome.DELETION_REQUESTED));
                }
                case RESTRICT -> {
                    assertThat(records).as(rule.id()).extracting(this::kind)
                            .containsExactly(RecipientRecords.Kind.DISCLOSURE, RecipientRecords.Kind.DELETION_REQUEST);
                    PupilDisclosure replacement = disclosure(records.get(0));
                    assertThat(replacement.getDisclosedFields()).containsExactlyInAnyOrderElementsOf(rule.objections().restrictTo());
                    DeletionRequest request = (DeletionRequest) RecipientRecords.decode(rule.topic(), records.get(1).headers(), records.get(1).value());
                    assertThat(request.getDisclosureIds()).containsExactly(holding.getValue());
                    assertThat(request.getReplacedBy()).isEqualTo(replacement.getDisclosureId());
                    assertThat(followUps).filteredOn(e -> e.getRecipientId().equals(rule.id())).extracting(DisclosureEvent::getOutcome)
                            .containsExactly(DisclosureOutcome.RESTRICTED, DisclosureOutcome.DELETION_REQUESTED);
                }
            }
        }
        assertThat(after.entrySet()).filteredOn(e -> !held.containsKey(e.getKey())).allSatisfy(e -> assertThat(e.getValue()).isEmpty());

        // Followed up once: more punctuations and the same objection again change nothing.
        driver.advanceWallClockTime(Duration.ofSeconds(5));
        objections.pipeInput(new ObjectionKey(upn, "OBJ-1").encode(), objectionWriter.serialize("o", objection(upn, "OBJ-1", "all")));
        driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertThat(drainRecipients().values()).allSatisfy(records -> assertThat(records).isEmpty());
        assertThat(drainAudit()).isEmpty();

        // The next return decides with the objection: withheld where it withholds, nothing sent twice, nothing re-requested.
        publish(returnOf(pupils, "R-next"));
        Map<String, List<TestRecord<String, byte[]>>> next = drainRecipients();
        assertThat(next.values()).allSatisfy(records -> assertThat(records).noneMatch(r -> kind(r) == RecipientRecords.Kind.DELETION_REQUEST));
        assertThat(drainAudit()).filteredOn(e -> e.getUpn().equals(upn)).extracting(DisclosureEvent::getOutcome)
                .doesNotContain(DisclosureOutcome.DISCLOSED, DisclosureOutcome.DELETION_REQUESTED, DisclosureOutcome.RESTRICTED);
    }

    @Test
    void aParentsLateObjectionToPost16ProvidersRequestsDeletionOfTheYear11Record() {
        List<CensusPupil> pupils = mixedPupils(6, "R-first");
        publish(pupils);
        Map<String, List<TestRecord<String, byte[]>>> first = drainRecipients();
        drainAudit();
        assertThat(first.get("post16")).as("post16 records; all: %s", first.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().size()).toList()).isNotEmpty();
        PupilDisclosure held = disclosure(first.get("post16").get(0));
        String upn = held.getIdentity().getUpn();

        objections.pipeInput(new ObjectionKey(upn, "Y11-1").encode(), objectionWriter.serialize("o", objection(upn, "Y11-1", "post16")));
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        List<TestRecord<String, byte[]>> records = drainRecipients().get("post16");
        List<DisclosureEvent> audited = drainAudit();
        assertThat(audited).as("%s", audited).singleElement().satisfies(e -> assertThat(e.getOutcome()).isEqualTo(DisclosureOutcome.DELETION_REQUESTED));
        assertThat(records).singleElement().satisfies(r -> assertThat(((DeletionRequest) RecipientRecords.decode("t", r.headers(), r.value()))
                .getDisclosureIds()).containsExactly(held.getDisclosureId()));
    }

    @Test
    void anObjectionForAPupilTheRouterHasNeverSeenIsAuditedAsNothingToRevoke() {
        String upn = pupils(1, "R").get(0).getIdentity().getUpn();
        objections.pipeInput(new ObjectionKey(upn, "OBJ-9").encode(), objectionWriter.serialize("o", objection(upn, "OBJ-9", "nhs-ncmp")));
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        assertThat(drainRecipients().values()).allSatisfy(records -> assertThat(records).isEmpty());
        // The scope names nhs-ncmp, which covers its variant nhs-ncmp-research too.
        List<DisclosureEvent> audited = drainAudit();
        assertThat(audited).extracting(DisclosureEvent::getRecipientId).containsExactlyInAnyOrder("nhs-ncmp", "nhs-ncmp-research");
        assertThat(audited).allSatisfy(event -> {
            assertThat(event.getOutcome()).isEqualTo(DisclosureOutcome.UNCHANGED);
            assertThat(event.getRelatesTo()).isEmpty();
            assertThat(event.getReason()).contains("OBJ-9").contains("nothing to revoke");
            assertThat(event.getReturnId()).isEqualTo(SharingEngine.NO_RETURN);
        });
    }

    @Test
    void whenTheDeleteByDatePassesEachDisclosureGetsOneNoticeNeverTwo() {
        publish(pupils(150, "R-first"));
        List<TestRecord<String, byte[]>> ncmp = drainRecipients().get("nhs-ncmp");
        drainAudit();
        assertThat(ncmp).as("nhs-ncmp records with a delete-by date").isNotEmpty();
        LocalDate deleteBy = disclosure(ncmp.get(0)).getDeleteBy();

        clock.set(deleteBy.atTime(23, 0).atZone(ZoneId.of("Europe/London")).toInstant());
        driver.advanceWallClockTime(Duration.ofMinutes(2));
        assertThat(drainRecipients().get("nhs-ncmp")).as("not before the date has passed").isEmpty();

        clock.set(deleteBy.plusDays(1).atTime(1, 0).atZone(ZoneId.of("Europe/London")).toInstant());
        driver.advanceWallClockTime(Duration.ofMinutes(2));
        List<TestRecord<String, byte[]>> notices = drainRecipients().get("nhs-ncmp");
        assertThat(notices).hasSize(ncmp.size()).allSatisfy(record -> assertThat(kind(record)).isEqualTo(RecipientRecords.Kind.DELETION_DUE));
        assertThat(notices.stream().map(r -> ((DeletionDue) RecipientRecords.decode("t", r.headers(), r.value())).getDisclosureIds().get(0)))
                .containsExactlyInAnyOrderElementsOf(ncmp.stream().map(r -> disclosure(r).getDisclosureId()).toList());
        assertThat(drainAudit()).hasSize(ncmp.size()).allSatisfy(e -> assertThat(e.getOutcome()).isEqualTo(DisclosureOutcome.DELETION_DUE));

        driver.advanceWallClockTime(Duration.ofMinutes(5));
        assertThat(drainRecipients().get("nhs-ncmp")).isEmpty();
    }

    private List<String> recipients(List<DisclosureEvent> events) {
        return events.stream().map(DisclosureEvent::getRecipientId).toList();
    }

    private static List<CensusPupil> pupils(int count, String returnId) {
        return returnOf(new SyntheticCensus(CensusSpec.of(count)).stream().toList(), returnId);
    }

    /** Pupils of every year group: the generator fills primary schools first, so a small census would have no secondary pupils. */
    private static List<CensusPupil> mixedPupils(int perYear, String returnId) {
        Map<String, List<CensusPupil>> byYear = new HashMap<>();
        for (CensusPupil pupil : new SyntheticCensus(CensusSpec.of(4_000)).stream().toList()) {
            List<CensusPupil> year = byYear.computeIfAbsent(pupil.getEnrolment().getNcYearActual(), y -> new ArrayList<>());
            if (year.size() < perYear) {
                year.add(pupil);
            }
        }
        return returnOf(byYear.values().stream().flatMap(List::stream).toList(), returnId);
    }

    private static List<CensusPupil> returnOf(List<CensusPupil> pupils, String returnId) {
        return pupils.stream().map(p -> CensusPupil.newBuilder(p).setCensus(CensusContext.newBuilder(p.getCensus()).setReturnId(returnId).build()).build())
                .toList();
    }

    private void publish(List<CensusPupil> pupils) {
        for (CensusPupil pupil : pupils) {
            census.pipeInput(pupil.getIdentity().getUpn(), censusWriter.serialize("c", pupil));
        }
    }

    private static Objection objection(String upn, String id, String scope) {
        return Objection.newBuilder().setObjectionId(id).setUpn(upn).setScope(scope).setRaisedBy(ObjectionRaisedBy.PARENT)
                .setReceivedDate(LocalDate.of(2026, 11, 27)).setEvidenceReference("signed letter").setWithdrawn(false).setWithdrawnDate(null).build();
    }

    private Map<String, List<TestRecord<String, byte[]>>> drainRecipients() {
        Map<String, List<TestRecord<String, byte[]>>> records = new HashMap<>();
        recipientTopics.forEach((id, topic) -> records.put(id, topic.readRecordsToList()));
        return records;
    }

    private List<DisclosureEvent> drainAudit() {
        return audit.readValuesToList().stream().map(bytes -> events.deserialize("audit", bytes)).toList();
    }

    private RecipientRecords.Kind kind(TestRecord<String, byte[]> record) {
        return RecipientRecords.kindOf(record.headers(), record.value()).orElseThrow();
    }

    private PupilDisclosure disclosure(TestRecord<String, byte[]> record) {
        return (PupilDisclosure) RecipientRecords.decode("recipient", record.headers(), record.value());
    }

    /** The decisions' wall clock, moved by the test. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
