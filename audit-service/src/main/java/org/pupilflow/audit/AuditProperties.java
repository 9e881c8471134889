package org.pupilflow.audit;

import java.time.Duration;
import java.time.Period;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.pupilflow.schemas.topics.TopicCatalog;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of audit-service ({@code pupilflow.audit.*}).
 *
 * @param topics             topic names
 * @param createTopics       create missing topics at start (default true)
 * @param partitions         partitions of topics this service creates, except chain heads (default 6)
 * @param replicationFactor  replication factor of topics this service creates (default 1; use 3 in production)
 * @param batchSize          most records persisted in one database transaction ({@code max.poll.records}; default 500,
 *                           application.yml 2000)
 * @param concurrency        consumer threads per source topic (default 1, application.yml 3; more than the partition count idle)
 * @param retry              back-off while the database refuses a batch: the same batch is retried, forever, with the
 *                           consumer paused (default 500ms doubling to 30s)
 * @param anchorInterval     how often chain heads are published to {@code topics.chain-heads} (default 1m)
 * @param verifyInterval     how often the whole trail is verified in the background for the metrics
 *                           {@code pupilflow_audit_chain_intact} and {@code pupilflow_audit_last_verified_seconds}
 *                           (default 1h, the first one a minute after the start, or sooner if the interval is; 0 disables)
 * @param checkpointKey      HMAC key signing erasure checkpoints and published chain heads: at least 32 bytes, from a
 *                           secret store. Required; no default outside the {@code local-dev} profile. Changing it
 *                           invalidates existing checkpoints, so rotate only with a re-seal.
 * @param retention          how long rows are kept
 * @param database           the database the trail is kept in
 */
@Validated
@ConfigurationProperties("pupilflow.audit")
public record AuditProperties(
        @Valid Topics topics,
        Boolean createTopics,
        @Min(1) Integer partitions,
        @Min(1) Short replicationFactor,
        @Min(1) @Max(10_000) Integer batchSize,
        @Min(1) Integer concurrency,
        @Valid Retry retry,
        Duration anchorInterval,
        Duration verifyInterval,
        @NotBlank(message = "is required: an HMAC key of at least 32 bytes from the secret store (the local-dev profile has a public one)")
        @Size(min = 32, message = "must be at least 32 bytes") String checkpointKey,
        @Valid Retention retention,
        @Valid Database database) {

    public AuditProperties {
        topics = topics == null ? new Topics(null, null, null, null, null, null) : topics;
        createTopics = createTopics == null || createTopics;
        partitions = partitions == null ? 6 : partitions;
        replicationFactor = replicationFactor == null ? 1 : replicationFactor;
        batchSize = batchSize == null ? 500 : batchSize;
        concurrency = concurrency == null ? 1 : concurrency;
        retry = retry == null ? new Retry(null, null) : retry;
        anchorInterval = anchorInterval == null ? Duration.ofMinutes(1) : anchorInterval;
        verifyInterval = verifyInterval == null ? Duration.ofHours(1) : verifyInterval;
        retention = retention == null ? new Retention(null, null, null, null) : retention;
        database = database == null ? new Database(null) : database;
    }

    /**
     * Topic names: the defaults are the topic catalog's ({@link TopicCatalog}); override them only
     * where the broker's access rules are not derived from the catalog (tests, benchmarks).
     *
     * @param disclosures             DisclosureEvents from the router (default {@code audit.disclosures})
     * @param deliveries              DeliveryReceipts from the recipient adapters (default {@code audit.deliveries})
     * @param chainHeads              compacted topic the chain heads are published to (default {@code audit.chain-heads})
     * @param disclosuresDeadLetters  disclosure records that cannot be decoded or stored (default {@code <disclosures>.dead-letters})
     * @param deliveriesDeadLetters   delivery records that cannot be decoded or stored (default {@code <deliveries>.dead-letters})
     * @param policy                  the policy the router publishes at each start; each change is recorded (default {@code policy.in-force})
     */
    public record Topics(@NotBlank String disclosures, @NotBlank String deliveries, @NotBlank String chainHeads,
                         @NotBlank String disclosuresDeadLetters, @NotBlank String deliveriesDeadLetters, @NotBlank String policy) {
        public Topics {
            policy = policy == null ? TopicCatalog.POLICY_IN_FORCE.name() : policy;
            disclosures = disclosures == null ? TopicCatalog.AUDIT_DISCLOSURES.name() : disclosures;
            deliveries = deliveries == null ? TopicCatalog.AUDIT_DELIVERIES.name() : deliveries;
            chainHeads = chainHeads == null ? TopicCatalog.AUDIT_CHAIN_HEADS.name() : chainHeads;
            disclosuresDeadLetters = disclosuresDeadLetters == null ? TopicCatalog.deadLettersOf(disclosures) : disclosuresDeadLetters;
            deliveriesDeadLetters = deliveriesDeadLetters == null ? TopicCatalog.deadLettersOf(deliveries) : deliveriesDeadLetters;
        }
    }

    /**
     * @param initialInterval  first wait after a failed batch (default 500ms)
     * @param maxInterval      longest wait between attempts (default 30s)
     */
    public record Retry(Duration initialInterval, Duration maxInterval) {
        public Retry {
            initialInterval = initialInterval == null ? Duration.ofMillis(500) : initialInterval;
            maxInterval = maxInterval == null ? Duration.ofSeconds(30) : maxInterval;
        }
    }

    /**
     * Retention: a row is removed once it is older than the period of the most specific rule that matches it (recipient
     * and outcome, then recipient, then outcome, then a rule naming neither), its {@code retainUntil} (the policy's own
     * retention rule for the pupil, set by the router) if any has passed, and its delete-by date, if any, has passed: the
     * later of the rule's expiry and {@code retainUntil} decides. A row no rule matches is removed after its
     * {@code retainUntil}; with neither, it is kept. Removal leaves a signed erasure checkpoint, so the chain still verifies.
     *
     * @param enabled    run the retention job (default true; with no rules it removes only rows whose retainUntil has passed)
     * @param interval   how often it runs (default 6h)
     * @param batchSize  rows examined per transaction (default 5000)
     * @param rules      retention periods (default none: keep everything)
     */
    public record Retention(Boolean enabled, Duration interval, @Min(1) Integer batchSize, List<@Valid Rule> rules) {
        public Retention {
            enabled = enabled == null || enabled;
            interval = interval == null ? Duration.ofHours(6) : interval;
            batchSize = batchSize == null ? 5_000 : batchSize;
            rules = rules == null ? List.of() : List.copyOf(rules);
            Set<String> seen = new HashSet<>();
            for (Rule rule : rules) {
                if (!seen.add(rule.recipient() + "/" + rule.outcome())) {
                    throw new IllegalArgumentException("pupilflow.audit.retention.rules: two rules for recipient " + rule.recipient()
                            + " and outcome " + rule.outcome());
                }
            }
        }

        /**
         * @param recipient  recipient id the rule applies to; omit for every recipient
         * @param outcome    DISCLOSED, RESTRICTED, WITHHELD, UNCHANGED, DELETION_REQUESTED or DELETION_DUE; omit for every outcome
         * @param keep       how long after the decision rows are kept, e.g. {@code P6Y} (longer for rows whose retainUntil is later)
         */
        public record Rule(String recipient,
                           @Pattern(regexp = "DISCLOSED|RESTRICTED|WITHHELD|UNCHANGED|DELETION_REQUESTED|DELETION_DUE") String outcome,
                           @NotNull Period keep) {
        }
    }

    /**
     * The database itself is Spring Boot's {@code spring.datasource.*} (the application role) and {@code spring.flyway.*}
     * (the schema owner); without {@code spring.datasource.url} the service refuses to start.
     *
     * @param appRole   the role the application connects as; migrations (run as the schema owner) grant it only read,
     *                  append and checkpointed delete (default {@code pupilflow_audit_app})
     */
    public record Database(@NotBlank String appRole) {
        public Database {
            appRole = appRole == null ? "pupilflow_audit_app" : appRole;
        }
    }
}
