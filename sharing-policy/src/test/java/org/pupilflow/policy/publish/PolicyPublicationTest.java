package org.pupilflow.policy.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.InvalidPolicyException;
import org.pupilflow.policy.load.PolicyLoader;

class PolicyPublicationTest {

    private static final Path NORFOLK = Path.of("..", "policies", "norfolk.yaml");

    @Test
    void aPublicationCarriesTheDocumentAndLoadsToExactlyThePolicyTheRouterLoaded() throws Exception {
        byte[] document = Files.readAllBytes(NORFOLK);
        SharingPolicy loaded = new PolicyLoader().load(NORFOLK);
        PolicyPublication publication = PolicyPublication.of(loaded, "norfolk.yaml", document, Instant.parse("2026-11-28T09:00:00Z"),
                "User:sharing-router@router-0");

        PolicyPublication read = PolicyPublication.fromJson(publication.toJson());

        assertThat(read).isEqualTo(publication);
        assertThat(read.policy()).isEqualTo(loaded);
        assertThat(read.contentHash()).isEqualTo(loaded.contentHash());
    }

    @Test
    void aDocumentThatDoesNotMatchItsEnvelopeOrDoesNotLoadIsRefused() throws Exception {
        String document = Files.readString(NORFOLK);
        SharingPolicy loaded = new PolicyLoader().load(NORFOLK);
        PolicyPublication edited = new PolicyPublication(loaded.id(), loaded.version(), loaded.contentHash(), "norfolk.yaml",
                document.replace("version: \"2026.1\"", "version: \"2026.9\""), Instant.now(), "someone");
        PolicyPublication broken = new PolicyPublication(loaded.id(), loaded.version(), loaded.contentHash(), "norfolk.yaml", "id: [", Instant.now(),
                "someone");

        assertThatThrownBy(edited::policy).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(loaded.contentHash());
        assertThatThrownBy(broken::policy).isInstanceOf(InvalidPolicyException.class);
        assertThatThrownBy(() -> PolicyPublication.fromJson("{\"policyId\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a policy publication");
    }
}
