package org.pupilflow.ingest.policy;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.pupilflow.identifiers.LocalAuthority;
import org.pupilflow.identifiers.LocalAuthorityRegister;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.decide.Pseudonymiser;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.policy.publish.PolicyPublication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The policy the router applies, as it last published it on the policy topic: census-ingest previews with it, checks
 * returns' LA and objection scopes against it, and has no policy file of its own, so a preview cannot promise what the
 * router will not do. Until a router has published one there is none ({@link #current()} is empty).
 *
 * <p>A publication that does not load (an invalid document, a hash that does not match) is logged and ignored: the
 * previous policy stays in force here, as it does at the router that could not have started with it.
 */
public final class PolicyInForce {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyInForce.class);
    static final String METRIC = "pupilflow.policy.in.force";

    /**
     * One policy in force.
     *
     * @param localAuthority the LA whose returns this policy takes; null for a national controller's policy
     * @param previewEngine  dry runs only count outcomes, so they never need the LA's real pseudonymisation key
     */
    public record Current(SharingPolicy policy, PolicyPublication publication, SharingEngine previewEngine, LocalAuthority localAuthority) {
        public String contentHash() {
            return policy.contentHash();
        }
    }

    private final AtomicReference<Current> current = new AtomicReference<>();
    private final MeterRegistry meters;
    private Meter gauge;

    public PolicyInForce(MeterRegistry meters) {
        this.meters = meters;
    }

    public Optional<Current> current() {
        return Optional.ofNullable(current.get());
    }

    /** A record of the policy topic (the topic mirror's callback). */
    public void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            PolicyPublication publication = PolicyPublication.fromJson(record.value());
            use(publication, publication.policy());
        } catch (RuntimeException e) {
            LOG.error("Ignored the policy published at offset {} of {}: it does not load ({}); the policy in force stays {}", record.offset(),
                    record.topic(), e.getMessage(), current().map(c -> c.contentHash()).orElse("none"));
        }
    }

    private synchronized void use(PolicyPublication publication, SharingPolicy policy) {
        byte[] throwaway = new byte[Pseudonymiser.MINIMUM_KEY_BYTES];
        new SecureRandom().nextBytes(throwaway);
        LocalAuthority la = policy.localAuthority() == null ? null
                : LocalAuthorityRegister.bundled().find(policy.localAuthority())
                        .orElse(new LocalAuthority(policy.localAuthority(), "LA " + policy.localAuthority(), null));
        Current previous = current.getAndSet(new Current(policy, publication, new SharingEngine(policy, new Pseudonymiser(throwaway)), la));
        if (previous == null || !previous.contentHash().equals(policy.contentHash())) {
            LOG.info("Policy in force: {} {} (SHA-256 {}), published {} by {}", policy.id(), policy.version(), policy.contentHash(),
                    publication.publishedAt(), publication.publishedBy());
            if (gauge != null) {
                meters.remove(gauge);
            }
            gauge = Gauge.builder(METRIC, () -> 1)
                    .description("1 for the policy this service applies (id, version, SHA-256 of the document)")
                    .tags("policy_id", policy.id(), "policy_version", policy.version(), "policy_hash", policy.contentHash())
                    .register(meters);
        }
    }

    /** For {@code /actuator/info}. */
    public Map<String, Object> info() {
        return current().<Map<String, Object>>map(c -> Map.of("id", c.policy().id(), "version", c.policy().version(), "contentHash", c.contentHash(),
                        "publishedAt", c.publication().publishedAt().toString(), "publishedBy", c.publication().publishedBy()))
                .orElse(Map.of("state", "none: no router has published the policy it applies yet; dry runs and uploads are refused"));
    }
}
