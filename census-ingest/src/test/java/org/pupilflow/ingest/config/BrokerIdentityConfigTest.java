package org.pupilflow.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.pupilflow.schemas.topics.BrokerIdentity;
import org.pupilflow.schemas.topics.Service;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

/** census-ingest's transactional ids fall under the prefix its ACLs are derived for. */
class BrokerIdentityConfigTest {

    @Test
    void theTransactionalIdPrefixIsUnderTheOneTheAclsAllow() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        Properties configured = yaml.getObject();

        assertThat(configured.getProperty("pupilflow.ingest.transaction-id-prefix"))
                .startsWith(BrokerIdentity.of(Service.CENSUS_INGEST).transactionalIdPrefix().orElseThrow());
    }
}
