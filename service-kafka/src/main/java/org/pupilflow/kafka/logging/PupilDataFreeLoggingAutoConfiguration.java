package org.pupilflow.kafka.logging;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.ProducerListener;

/**
 * Spring Boot's {@link KafkaTemplate} gets the {@link PupilDataFreeProducerListener} instead of
 * the default one that logs record keys (UPNs) and values (pupil records) when a send fails.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@ConditionalOnClass(KafkaTemplate.class)
public class PupilDataFreeLoggingAutoConfiguration {

    @Bean
    ProducerListener<Object, Object> kafkaProducerListener() {
        return new PupilDataFreeProducerListener<>();
    }
}
