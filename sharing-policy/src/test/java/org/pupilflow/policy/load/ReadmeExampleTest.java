package org.pupilflow.policy.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.pupilflow.policy.ObjectionRule;
import org.pupilflow.policy.SharingPolicy;

/** The policy example in the README is documentation people copy: it must stay a valid policy. */
class ReadmeExampleTest {

    @Test
    void theReadmePolicyExampleLoadsAsWritten() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("```yaml\n");
        int end = readme.indexOf("```", start + 8);
        assertThat(start).as("a ```yaml block in the README").isPositive();

        SharingPolicy policy = new PolicyLoader().parse("README.md", readme.substring(start + 8, end).getBytes(StandardCharsets.UTF_8));

        assertThat(policy.recipient("youth-support")).hasValueSatisfying(rule -> {
            assertThat(rule.objections().effect()).isEqualTo(ObjectionRule.Effect.RESTRICT);
            assertThat(rule.cohort().age().min()).isEqualTo(13);
        });
        assertThat(policy.retention()).hasSize(1);
    }
}
