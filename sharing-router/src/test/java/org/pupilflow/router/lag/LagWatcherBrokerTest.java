package org.pupilflow.router.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.pupilflow.schemas.topics.BrokerIdentity;
import org.pupilflow.schemas.topics.Collection;
import org.pupilflow.schemas.topics.TopicCatalog;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The lag watcher against a real broker: transactional topics (markers between records), a recipient with two groups
 * of its own, a recipient nobody has collected yet, a webhook recipient collected by recipient-adapters' group, and
 * audit-service's input. Commit markers carry the time they were written, long after these records' timestamps: the
 * oldest uncollected record must be a record, never a marker.
 */
@EmbeddedKafka(count = 1, partitions = 1)
class LagWatcherBrokerTest {

    private static final long T0 = 1_780_000_000_000L;

    @Test
    void eachCollectorsLagAndOldestUncollectedRecordAreMeasuredWithoutReadingARecord(EmbeddedKafkaBroker broker) throws Exception {
        String brokers = broker.getBrokersAsString();
        List<TopicCatalog.RecipientTopic> recipients = List.of(
                new TopicCatalog.RecipientTopic("youth-support", "recipient.youth-support", true),
                new TopicCatalog.RecipientTopic("dfe", "recipient.dfe", true),
                new TopicCatalog.RecipientTopic("childrens-centres", "recipient.childrens-centres", false));
        Map<String, Object> client = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        try (Admin admin = Admin.create(client); var reader = AdminOffsetIndex.timestampReader(client)) {
            admin.createTopics(List.of(new NewTopic("recipient.youth-support", 2, (short) 1), new NewTopic("recipient.dfe", 1, (short) 1),
                    new NewTopic("recipient.childrens-centres", 1, (short) 1), new NewTopic(TopicCatalog.AUDIT_DISCLOSURES.name(), 1, (short) 1),
                    new NewTopic(TopicCatalog.AUDIT_DELIVERIES.name(), 1, (short) 1))).all().get();
            // Ten records per partition, one transaction each: offsets 0,2,4,... are records, 1,3,5,... commit markers.
            publishInTransactions(brokers, "recipient.youth-support", 0, 10);
            publishInTransactions(brokers, "recipient.youth-support", 1, 10);
            publishInTransactions(brokers, "recipient.dfe", 0, 3);
            publishInTransactions(brokers, "recipient.childrens-centres", 0, 4);
            publishInTransactions(brokers, TopicCatalog.AUDIT_DISCLOSURES.name(), 0, 5);

            String ownGroup = BrokerIdentity.recipientUser("youth-support");
            // The recipient's main group collected partition 0 up to record 6 (offset 12) and all of partition 1 but the last marker.
            commit(admin, ownGroup, "recipient.youth-support", Map.of(0, 12L, 1, 19L));
            // A second group of the recipient read everything.
            commit(admin, ownGroup + ".reports", "recipient.youth-support", Map.of(0, 20L, 1, 20L));
            // A group that is not the recipient's (another principal's) is never counted.
            commit(admin, "recipient-youth-supportx", "recipient.youth-support", Map.of(0, 0L));
            commit(admin, BrokerIdentity.adaptersGroup("childrens-centres"), "recipient.childrens-centres", Map.of(0, 8L));
            commit(admin, BrokerIdentity.of(org.pupilflow.schemas.topics.Service.AUDIT_SERVICE).consumerGroup().orElseThrow(),
                    TopicCatalog.AUDIT_DISCLOSURES.name(), Map.of(0, 4L));

            List<LagWatcher.Measurement> measured = LagWatcher.measure(new AdminOffsetIndex(admin, reader, Duration.ofSeconds(10)),
                    Collection.all(recipients));

            assertThat(find(measured, "youth-support", ownGroup).lag())
                    .isEqualTo(new CollectionLag.Lag(8 + 1, Optional.of(T0 + 6 * 1_000)));
            assertThat(find(measured, "youth-support", ownGroup + ".reports").lag()).isEqualTo(CollectionLag.Lag.NONE);
            assertThat(measured).noneMatch(m -> m.group().equals("recipient-youth-supportx"));
            assertThat(find(measured, "dfe", LagWatcher.NO_GROUP).lag()).as("nobody collected recipient.dfe")
                    .isEqualTo(new CollectionLag.Lag(6, Optional.of(T0)));
            assertThat(find(measured, "childrens-centres", BrokerIdentity.adaptersGroup("childrens-centres")).lag()).isEqualTo(CollectionLag.Lag.NONE);
            LagWatcher.Measurement audit = measured.stream().filter(m -> m.collection().kind() == Collection.Kind.AUDIT
                    && m.collection().topic().equals(TopicCatalog.AUDIT_DISCLOSURES.name())).findFirst().orElseThrow();
            assertThat(audit.lag()).isEqualTo(new CollectionLag.Lag(6, Optional.of(T0 + 2 * 1_000)));
        }
    }

    private static LagWatcher.Measurement find(List<LagWatcher.Measurement> measured, String recipient, String group) {
        return measured.stream().filter(m -> m.collection().owner().equals(recipient) && m.group().equals(group)).findFirst()
                .orElseThrow(() -> new AssertionError("no measurement of " + recipient + " by " + group + " in " + measured));
    }

    /** Record i has timestamp T0 + i seconds and is committed in a transaction of its own. */
    private static void publishInTransactions(String brokers, String topic, int partition, int records) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "lag-test-" + topic + "-" + partition);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            for (int i = 0; i < records; i++) {
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, partition, T0 + i * 1_000L, "key-" + i, "value"));
                producer.commitTransaction();
            }
        }
    }

    private static void commit(Admin admin, String group, String topic, Map<Integer, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> commits = new java.util.HashMap<>();
        offsets.forEach((partition, offset) -> commits.put(new TopicPartition(topic, partition), new OffsetAndMetadata(offset)));
        admin.alterConsumerGroupOffsets(group, commits).all().get();
    }
}
