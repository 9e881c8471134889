package org.pupilflow.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.pupilflow.schemas.kafka.AvroSingleObjectSerializer;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;
import org.pupilflow.sharing.DisclosureRequest;
import org.pupilflow.sharing.PupilDisclosure;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A case-by-case request on a real broker, under exactly-once: the named pupils of a request, spread over every
 * partition, are each decided by the task that holds the pupil's census record (the requested pupils topic is
 * co-partitioned with the census), and each record on the recipient's topic is committed with its audit event, once.
 */
@EmbeddedKafka(count = 1, partitions = 3)
class OnRequestRouterTest {

    private static final String TRANSFER = "Education (Pupil Information) (England) Regulations 2005 (transfer of pupil information)";

    @Test
    void everyNamedPupilOnEveryPartitionIsDisclosedOnceOnTheRecipientsTopicWithItsAuditEvent(EmbeddedKafkaBroker broker) {
        String brokers = broker.getBrokersAsString();
        RouterTestKafka kafka = new RouterTestKafka(brokers);
        List<CensusPupil> census = new SyntheticCensus(CensusSpec.of(40)).stream().toList();
        List<CensusPupil> named = census.subList(0, 12);
        AvroSingleObjectSerializer<DisclosureRequest> requests = new AvroSingleObjectSerializer<>(DisclosureRequest.class);
        String requestId = "DR-" + UUID.randomUUID();

        try (ConfigurableApplicationContext router = RouterRunner.start(brokers, "router-on-request-" + UUID.randomUUID(),
                Map.of("pupilflow.router.policy-file", "../policies/barnet.yaml"))) {
            kafka.publishCensus("census.pupil-records", census);
            await().atMost(Duration.ofSeconds(60)).until(() -> kafka.readAll("recipient.dfe", true).size() == census.size());

            for (CensusPupil pupil : named) {
                String upn = pupil.getIdentity().getUpn();
                kafka.publishRaw("disclosure.requested-pupils", upn, requests.serialize("disclosure.requested-pupils", DisclosureRequest.newBuilder()
                        .setRequestId(requestId).setUpn(upn).setRecipientId("education-settings").setCaseReference("ADM-2026-3")
                        .setPurpose("in-year admission").setLegalBasis(TRANSFER).setRequestedBy("alice").setApprovedBy(List.of("alice"))
                        .setPupilCount(named.size()).setRequestedAt(Instant.now()).setApprovedAt(Instant.now()).build()));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> requestEvents(kafka, requestId).size() == named.size());
        }

        AvroSingleObjectDeserializer<PupilDisclosure> disclosures = new AvroSingleObjectDeserializer<>(PupilDisclosure.class);
        List<PupilDisclosure> sent = kafka.readAll("recipient.education-settings", true).stream()
                .map(record -> disclosures.deserialize("r", record.value())).toList();
        List<DisclosureEvent> events = requestEvents(kafka, requestId);
        assertThat(events).extracting(DisclosureEvent::getOutcome).as("every named pupil's census record was found by its task")
                .containsOnly(DisclosureOutcome.DISCLOSED);
        assertThat(sent).hasSize(named.size()).allSatisfy(disclosure -> assertThat(disclosure.getRequestId()).isEqualTo(requestId));
        assertThat(sent.stream().map(PupilDisclosure::getDisclosureId).collect(Collectors.toSet()))
                .isEqualTo(events.stream().map(DisclosureEvent::getDisclosureId).collect(Collectors.toSet()));
        assertThat(sent.stream().map(d -> d.getIdentity().getUpn()).collect(Collectors.toSet()))
                .isEqualTo(named.stream().map(p -> p.getIdentity().getUpn()).collect(Collectors.toSet()));
        Set<Integer> partitions = kafka.readAll("disclosure.requested-pupils", true).stream().map(ConsumerRecord::partition).collect(Collectors.toSet());
        assertThat(partitions).as("the request's pupils are on several partitions").hasSizeGreaterThan(1);
    }

    private static List<DisclosureEvent> requestEvents(RouterTestKafka kafka, String requestId) {
        AvroSingleObjectDeserializer<DisclosureEvent> events = new AvroSingleObjectDeserializer<>(DisclosureEvent.class);
        return kafka.readAll("audit.disclosures", true).stream().map(record -> events.deserialize("a", record.value()))
                .filter(event -> requestId.equals(event.getRequestId())).toList();
    }
}
