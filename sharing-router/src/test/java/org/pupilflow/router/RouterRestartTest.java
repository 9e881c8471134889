package org.pupilflow.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pupilflow.census.CensusContext;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.census.ObjectionRaisedBy;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** Guarantee 4 across a restart: every accepted objection is loaded before the first record is processed. */
@EmbeddedKafka(count = 1, partitions = 3)
class RouterRestartTest {

    @Test
    void anObjectionAlreadyInTheTopicIsHonouredForTheFirstRecordAfterARestart(EmbeddedKafkaBroker broker) {
        String brokers = broker.getBrokersAsString();
        String applicationId = "router-restart-" + UUID.randomUUID();
        RouterTestKafka kafka = new RouterTestKafka(brokers);
        List<CensusPupil> census = new SyntheticCensus(CensusSpec.of(6_000)).stream().toList();
        CensusPupil year11 = census.stream().filter(p -> p.getEnrolment().getNcYearActual().equals("11")).findFirst().orElseThrow();

        // A first run creates the topics and routes one census.
        try (ConfigurableApplicationContext router = RouterRunner.start(brokers, applicationId, Map.of())) {
            kafka.publishCensus("census.pupil-records", List.of(year11));
            await().atMost(Duration.ofSeconds(60)).until(() -> !auditOf(kafka, "before-restart", year11).isEmpty() || !auditOf(kafka, CensusSpec.of(6_000).returnId(), year11).isEmpty());
        }

        // While the router is down: an objection is accepted, then a new return arrives.
        kafka.publishObjections("consent.objections", List.of(Objection.newBuilder().setObjectionId("restart-1").setUpn(year11.getIdentity().getUpn())
                .setScope("post16").setRaisedBy(ObjectionRaisedBy.PARENT).setReceivedDate(LocalDate.of(2026, 1, 20))
                .setEvidenceReference("signed letter 2026-01-20").setWithdrawn(false).setWithdrawnDate(null).build()));
        kafka.publishCensus("census.pupil-records", List.of(CensusPupil.newBuilder(year11)
                .setCensus(CensusContext.newBuilder(year11.getCensus()).setReturnId("after-restart").build()).build()));

        try (ConfigurableApplicationContext router = RouterRunner.start(brokers, applicationId, Map.of())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> auditOf(kafka, "after-restart", year11).size() >= 2);
        }

        assertThat(auditOf(kafka, "after-restart", year11)).filteredOn(e -> e.getRecipientId().equals("post16")).singleElement()
                .satisfies(event -> {
                    assertThat(event.getOutcome()).isEqualTo(DisclosureOutcome.WITHHELD);
                    assertThat(event.getObjectionIds()).containsExactly("restart-1");
                });
        // The first return's disclosure to post16 stands in the trail, and post16 was asked to delete it: once.
        List<DisclosureEvent> first = auditOf(kafka, CensusSpec.of(6_000).returnId(), year11).stream().filter(e -> e.getRecipientId().equals("post16")).toList();
        assertThat(first).extracting(DisclosureEvent::getOutcome).containsExactlyInAnyOrder(DisclosureOutcome.DISCLOSED, DisclosureOutcome.DELETION_REQUESTED);
        DisclosureEvent disclosed = first.stream().filter(e -> e.getOutcome() == DisclosureOutcome.DISCLOSED).findFirst().orElseThrow();
        assertThat(first).filteredOn(e -> e.getOutcome() == DisclosureOutcome.DELETION_REQUESTED).singleElement()
                .satisfies(request -> assertThat(request.getRelatesTo()).containsExactly(disclosed.getDisclosureId()));
    }

    private static List<DisclosureEvent> auditOf(RouterTestKafka kafka, String returnId, CensusPupil pupil) {
        AvroSingleObjectDeserializer<DisclosureEvent> events = new AvroSingleObjectDeserializer<>(DisclosureEvent.class);
        return kafka.readAll("audit.disclosures", true).stream().map(r -> events.deserialize(r.topic(), r.value()))
                .filter(e -> e.getReturnId().equals(returnId) && e.getUpn().equals(pupil.getIdentity().getUpn())).toList();
    }
}
