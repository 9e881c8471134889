package org.pupilflow.audit.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole service against a real (in-process KRaft) broker and a real embedded PostgreSQL
 * server. Test classes with this annotation and no other configuration share one application.
 * Tests reach the broker through the {@code EmbeddedKafkaBroker} bean: the
 * {@code spring.embedded.kafka.brokers} system property names whichever broker started last.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedKafka(count = 1, partitions = 3)
@ActiveProfiles("test")
public @interface AuditServiceTest {
}
