package org.pupilflow.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.pupilflow.schemas.topics.BrokerIdentity;
import org.pupilflow.schemas.topics.Service;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

/** audit-service's consumer group is the one its ACLs are derived for. */
class BrokerIdentityConfigTest {

    @Test
    void theConsumerGroupIsTheOneTheAclsAreDerivedFor() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        Properties configured = yaml.getObject();

        assertThat(BrokerIdentity.of(Service.AUDIT_SERVICE).consumerGroup()).contains(configured.getProperty("spring.kafka.consumer.group-id"));
    }
}
