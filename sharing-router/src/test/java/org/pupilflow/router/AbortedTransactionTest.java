package org.pupilflow.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.PupilDisclosure;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Guarantees 1 and 2 when a transaction fails part-way: the broker refuses youth-support records
 * (the topic's max.message.bytes is too small), so every transaction that wrote DfE records and
 * audit events aborts. A read_uncommitted reader sees those aborted records; a read_committed
 * reader never does. Once the topic is fixed the router retries and every decision lands exactly once.
 */
@EmbeddedKafka(count = 1, partitions = 3)
class AbortedTransactionTest {

    @Test
    void nothingFromAnAbortedTransactionIsVisibleAndEveryDecisionLandsExactlyOnceAfterRecovery(EmbeddedKafkaBroker broker) throws Exception {
        String brokers = broker.getBrokersAsString();
        RouterTestKafka kafka = new RouterTestKafka(brokers);
        // Secondary pupils aged 13+: every census record has a youth-support record, so every transaction hits the refusal.
        List<CensusPupil> teenagers = new SyntheticCensus(CensusSpec.of(6_000)).stream()
                .filter(p -> Set.of("9", "10", "11").contains(p.getEnrolment().getNcYearActual())).limit(300).toList();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(new NewTopic("recipient.youth-support", 3, (short) 1)
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "200")))).all().get();

            try (ConfigurableApplicationContext router = RouterRunner.start(brokers, "router-abort-" + UUID.randomUUID(), Map.of())) {
                kafka.publishCensus("census.pupil-records", teenagers);

                await().atMost(Duration.ofSeconds(60)).until(() -> !kafka.readAll("audit.disclosures", false).isEmpty());
                assertThat(kafka.readAll("audit.disclosures", true)).as("committed audit events while every transaction aborts").isEmpty();
                assertThat(kafka.readAll("recipient.dfe", true)).as("committed DfE records while every transaction aborts").isEmpty();

                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, "recipient.youth-support"), List.of(
                        new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048576"), AlterConfigOp.OpType.SET)))).all().get();

                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> disclosureIds(kafka, "recipient.dfe", true).size() == teenagers.size());
            }
        }

        List<DisclosureEvent> events = events(kafka);
        Set<String> eventIds = events.stream().map(DisclosureEvent::getDisclosureId).collect(Collectors.toSet());
        assertThat(events).hasSameSizeAs(eventIds);
        for (String topic : List.of("recipient.dfe", "recipient.youth-support")) {
            List<String> ids = disclosureIds(kafka, topic, true);
            assertThat(ids).as(topic).hasSize(teenagers.size()).doesNotHaveDuplicates();
            assertThat(eventIds).as("an audit event for every record on " + topic).containsAll(ids);
        }
        assertThat(kafka.readAll("recipient.dfe", false).size())
                .as("read_uncommitted also sees the aborted attempts, so the failure really happened")
                .isGreaterThan(teenagers.size());
    }

    private static List<String> disclosureIds(RouterTestKafka kafka, String topic, boolean committed) {
        AvroSingleObjectDeserializer<PupilDisclosure> values = new AvroSingleObjectDeserializer<>(PupilDisclosure.class);
        return kafka.readAll(topic, committed).stream().map(r -> values.deserialize(topic, r.value()).getDisclosureId()).toList();
    }

    private static List<DisclosureEvent> events(RouterTestKafka kafka) {
        AvroSingleObjectDeserializer<DisclosureEvent> values = new AvroSingleObjectDeserializer<>(DisclosureEvent.class);
        return kafka.readAll("audit.disclosures", true).stream().map(r -> values.deserialize(r.topic(), r.value())).toList();
    }
}
