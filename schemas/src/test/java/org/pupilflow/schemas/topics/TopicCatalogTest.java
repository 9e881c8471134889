package org.pupilflow.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TopicCatalogTest {

    @Test
    void anObjectionKeyRoundTripsAndItsPupilsKeysShareAPrefix() {
        ObjectionKey key = new ObjectionKey("J935123420731", "c0ffee-1");

        assertThat(key.encode()).isEqualTo("J935123420731/c0ffee-1");
        assertThat(ObjectionKey.parse(key.encode())).contains(key);
        assertThat(key.encode()).startsWith(ObjectionKey.prefixOf("J935123420731"));
    }

    @Test
    void aKeyThatIsNotAnObjectionKeyParsesToNothing() {
        assertThat(ObjectionKey.parse(null)).isEmpty();
        assertThat(ObjectionKey.parse("J935123420731")).isEmpty();
        assertThat(ObjectionKey.parse("/id")).isEmpty();
        assertThat(ObjectionKey.parse("J935123420731/")).isEmpty();
    }

    @Test
    void anObjectionIdMayContainASlashButAUpnMayNot() {
        assertThat(ObjectionKey.parse("J935123420731/a/b")).contains(new ObjectionKey("J935123420731", "a/b"));
        assertThatThrownBy(() -> new ObjectionKey("J93/5", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fixedTopicNamesAreUniqueEvenAsKafkaCompares() {
        Set<String> forms = new HashSet<>();
        for (TopicSpec topic : TopicCatalog.fixed()) {
            assertThat(forms.add(TopicCatalog.collisionForm(topic.name()))).as(topic.name()).isTrue();
            assertThat(topic.isRecipientTopic()).as(topic.name()).isFalse();
        }
    }

    @Test
    void everyTopicThatIsReadIsWrittenBySomeone() {
        for (TopicSpec topic : TopicCatalog.fixed()) {
            assertThat(topic.writers()).as(topic.name()).isNotEmpty();
        }
    }

    @Test
    void aKafkaRecipientsTopicIsReadByItsOwnPrincipalAndAnAdapterRecipientsByTheAdapters() {
        TopicSpec kafka = TopicCatalog.recipientTopic(new TopicCatalog.RecipientTopic("dfe", "recipient.dfe", true));
        TopicSpec webhook = TopicCatalog.recipientTopic(new TopicCatalog.RecipientTopic("nhs", "recipient.nhs", false));

        assertThat(kafka.writers()).containsExactly(Service.SHARING_ROUTER);
        assertThat(kafka.readers()).isEmpty();
        assertThat(kafka.recipientReader()).contains("dfe");
        assertThat(webhook.readers()).containsExactly(Service.RECIPIENT_ADAPTERS);
        assertThat(webhook.recipientReader()).isEmpty();
        assertThat(TopicCatalog.all(List.of(new TopicCatalog.RecipientTopic("dfe", "recipient.dfe", true))))
                .hasSize(TopicCatalog.fixed().size() + 1).last().isEqualTo(kafka);
    }

    @Test
    void recipientTopicNamesMustBeLegalAndInTheRecipientFamily() {
        assertThat(TopicCatalog.problemWithRecipientTopic("recipient.youth-support")).isEmpty();
        assertThat(TopicCatalog.problemWithRecipientTopic("recipient.")).get().asString().contains("recipient.<name>");
        assertThat(TopicCatalog.problemWithRecipientTopic("census.pupil-records")).get().asString().contains("recipient.<name>");
        assertThat(TopicCatalog.problemWithRecipientTopic("recipient.a b")).get().asString().contains("not a legal Kafka topic name");
        assertThat(TopicCatalog.problemWithRecipientTopic("recipient." + "x".repeat(240))).get().asString().contains("not a legal Kafka topic name");
        assertThat(TopicCatalog.problemWithRecipientTopic("recipient.dfe.dead-letters")).get().asString().contains("dead-letter");
    }

    @Test
    void recipientPrincipalsCannotOverlapEachOthersGroups() {
        BrokerIdentity youth = BrokerIdentity.ofRecipient("youth-support");
        BrokerIdentity youthTwo = BrokerIdentity.ofRecipient("youth-support-two");

        assertThat(youth.principal()).isEqualTo("User:recipient-youth-support");
        assertThat(youth.consumerGroupPrefix()).contains("recipient-youth-support.");
        assertThat(youthTwo.consumerGroup().orElseThrow()).doesNotStartWith(youth.consumerGroupPrefix().orElseThrow());
    }
}
