package org.pupilflow.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.pupilflow.census.CensusContext;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;
import org.pupilflow.sharing.PupilDisclosure;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * What recipients hold survives the loss of the router's disk: a new instance with an empty state directory restores
 * its stores from their changelogs before it processes a record, so the same return uploaded again (in another order)
 * still sends nothing.
 */
@EmbeddedKafka(count = 1, partitions = 3)
class StateRestoreTest {

    @Test
    void aRouterOnAnEmptyDiskRestoresWhatRecipientsHoldBeforeRoutingAndSendsNothingTwice(EmbeddedKafkaBroker broker) throws Exception {
        String brokers = broker.getBrokersAsString();
        String applicationId = "router-restore-" + UUID.randomUUID();
        RouterTestKafka kafka = new RouterTestKafka(brokers);
        List<CensusPupil> census = new SyntheticCensus(CensusSpec.of(300)).stream().toList();
        String firstReturn = census.get(0).getCensus().getReturnId();

        long firstEvents;
        try (ConfigurableApplicationContext router = RouterRunner.start(brokers, applicationId, Map.of())) {
            kafka.publishCensus("census.pupil-records", census);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                List<DisclosureEvent> events = audit(kafka, firstReturn);
                Thread.sleep(1_500);
                return !events.isEmpty() && events.size() == audit(kafka, firstReturn).size();
            });
            firstEvents = audit(kafka, firstReturn).size();
        }
        long recordsBefore = recipientRecords(kafka).size();

        // The disk is gone: a new state directory, same application.
        Path emptyDisk = Files.createTempDirectory("router-new-disk");
        List<CensusPupil> again = new ArrayList<>(census.stream().map(p -> CensusPupil.newBuilder(p)
                .setCensus(CensusContext.newBuilder(p.getCensus()).setReturnId("R-again").build()).build()).toList());
        Collections.shuffle(again, new Random(5));
        try (ConfigurableApplicationContext router = RouterRunner.start(brokers, applicationId,
                Map.of("spring.kafka.streams.properties.state.dir", emptyDisk.toString()))) {
            kafka.publishCensus("census.pupil-records", again);
            await().atMost(Duration.ofSeconds(90)).until(() -> audit(kafka, "R-again").size() >= firstEvents);
        }

        List<DisclosureEvent> second = audit(kafka, "R-again");
        assertThat(second).hasSize((int) firstEvents);
        assertThat(second).extracting(DisclosureEvent::getOutcome).isSubsetOf(DisclosureOutcome.UNCHANGED, DisclosureOutcome.WITHHELD)
                .contains(DisclosureOutcome.UNCHANGED);
        assertThat(recipientRecords(kafka)).as("recipient records after the second upload").hasSize((int) recordsBefore);
    }

    private static List<DisclosureEvent> audit(RouterTestKafka kafka, String returnId) {
        AvroSingleObjectDeserializer<DisclosureEvent> events = new AvroSingleObjectDeserializer<>(DisclosureEvent.class);
        return kafka.readAll("audit.disclosures", true).stream().map(r -> events.deserialize(r.topic(), r.value()))
                .filter(e -> e.getReturnId().equals(returnId)).toList();
    }

    private static List<ConsumerRecord<String, byte[]>> recipientRecords(RouterTestKafka kafka) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (RecipientRule rule : new PolicyLoader().load(Path.of("../policies/norfolk.yaml")).recipients()) {
            records.addAll(kafka.readAll(rule.topic(), true));
        }
        return records;
    }
}
