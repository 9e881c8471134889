package org.pupilflow.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.pupilflow.schemas.topics.BrokerIdentity;
import org.pupilflow.schemas.topics.Service;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

/** The router's Kafka Streams application id is the one its ACLs are derived for (group, transactional ids, internal topics). */
class BrokerIdentityConfigTest {

    @Test
    void theApplicationIdIsTheOneTheAclsAreDerivedFor() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        Properties configured = yaml.getObject();

        BrokerIdentity router = BrokerIdentity.of(Service.SHARING_ROUTER);
        String applicationId = configured.getProperty("spring.kafka.streams.application-id");
        assertThat(router.consumerGroup()).contains(applicationId);
        assertThat(applicationId + "-").isEqualTo(router.transactionalIdPrefix().orElseThrow()).isEqualTo(router.internalTopicPrefix().orElseThrow());
    }
}
