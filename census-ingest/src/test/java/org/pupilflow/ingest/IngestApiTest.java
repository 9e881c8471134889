package org.pupilflow.ingest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * census-ingest against a real (in-process KRaft) broker, with the Norfolk policy and the test
 * signing key. Test classes with this annotation and nothing else share one application.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "pupilflow.test.published-policy=../policies/norfolk.yaml",
    "pupilflow.ingest.partitions=3",
    "pupilflow.security.local-dev-secret=" + IngestTestSupport.SECRET})
@EmbeddedKafka(count = 1, partitions = 3)
public @interface IngestApiTest {
}
