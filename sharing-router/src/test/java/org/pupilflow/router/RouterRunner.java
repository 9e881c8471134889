package org.pupilflow.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the real router application (as its own Spring context) against a test broker, so tests can stop and restart it. */
final class RouterRunner {

    private RouterRunner() {
    }

    static ConfigurableApplicationContext start(String brokers, String applicationId, Map<String, String> extra) {
        List<String> properties = new ArrayList<>(List.of(
                "spring.kafka.bootstrap-servers=" + brokers,
                "spring.kafka.streams.application-id=" + applicationId,
                "spring.kafka.streams.properties.state.dir=" + System.getProperty("java.io.tmpdir") + "/" + applicationId,
                "pupilflow.router.policy-file=../policies/norfolk.yaml",
                "pupilflow.router.pseudonymisation-key=recovery-test-pseudonymisation-key-0123456789",
                "pupilflow.router.partitions=3",
                "server.port=0"));
        extra.forEach((key, value) -> properties.add(key + "=" + value));
        return new SpringApplicationBuilder(SharingRouterApplication.class).properties(properties.toArray(String[]::new)).run();
    }
}
