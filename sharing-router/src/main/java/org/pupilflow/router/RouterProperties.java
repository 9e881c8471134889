package org.pupilflow.router;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.pupilflow.schemas.topics.TopicCatalog;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the sharing-router ({@code pupilflow.router.*}).
 *
 * @param policyFile           the LA's sharing policy (YAML); required. A policy change means a restart.
 * @param pseudonymisationKey  secret key for recipient pseudonyms (HMAC-SHA256, at least 32 bytes); required
 *                             when the policy has a pseudonymised recipient. No default outside the
 *                             {@code local-dev} profile. It is the master key: each pseudonymised recipient gets
 *                             pseudonyms from its own key derived from it, and disclosure ids are keyed with it.
 * @param pseudonymisationKeyVersion the master key's version (default 1), recorded with every pseudonym in the audit
 *                             event and the recipient record; a rotation is a new master key with the next version
 * @param topics               topic names
 * @param createTopics         create missing topics at start (default true)
 * @param partitions           partitions of topics the router creates (default 6)
 * @param replicationFactor    replication factor of topics the router creates (default 1; use 3 in production)
 * @param objectionFreshness   the barrier that keeps a running router from deciding before recent objections are loaded
 * @param lagWatch             how often the recipients' and audit-service's lag is measured for the metrics
 * @param rights               how often objections and delete-by dates are followed up for what recipients hold
 */
@Validated
@ConfigurationProperties("pupilflow.router")
public record RouterProperties(
        @NotBlank String policyFile,
        String pseudonymisationKey,
        @Min(1) Integer pseudonymisationKeyVersion,
        @Valid Topics topics,
        Boolean createTopics,
        @Min(1) Integer partitions,
        @Min(1) Short replicationFactor,
        @Valid ObjectionFreshness objectionFreshness,
        @Valid LagWatch lagWatch,
        @Valid Rights rights) {

    public RouterProperties {
        pseudonymisationKeyVersion = pseudonymisationKeyVersion == null ? 1 : pseudonymisationKeyVersion;
        topics = topics == null ? new Topics(null, null, null, null, null, null, null) : topics;
        createTopics = createTopics == null || createTopics;
        partitions = partitions == null ? 6 : partitions;
        replicationFactor = replicationFactor == null ? 1 : replicationFactor;
        objectionFreshness = objectionFreshness == null ? new ObjectionFreshness(null, null) : objectionFreshness;
        lagWatch = lagWatch == null ? new LagWatch(null) : lagWatch;
        rights = rights == null ? new Rights(null, null) : rights;
    }

    /**
     * @param objectionCheck how often each stream task follows up objections that arrived after pupils were shared
     *                       (deletion requests; default 200ms)
     * @param deadlineCheck  how often each stream task looks for disclosures whose delete-by date has passed
     *                       (DeletionDue notices; default 1m)
     */
    public record Rights(Duration objectionCheck, Duration deadlineCheck) {
        public Rights {
            objectionCheck = objectionCheck == null ? Duration.ofMillis(200) : objectionCheck;
            deadlineCheck = deadlineCheck == null ? Duration.ofMinutes(1) : deadlineCheck;
        }
    }

    /**
     * @param interval how often each recipient topic's and audit input's consumer-group lag and oldest uncollected record
     *                 are measured (default 30s; 0 disables). Each check costs a few Admin requests, more while a
     *                 collector is behind (a binary search of the time index, no record is read).
     */
    public record LagWatch(Duration interval) {
        public LagWatch {
            interval = interval == null ? Duration.ofSeconds(30) : interval;
        }
    }

    /**
     * @param pollInterval how often the objections topic's end offsets are read (default 50ms; adds up to this to live latency)
     * @param timeout      how long a census record waits for recent objections before its transaction is aborted and retried
     *                     (default 5s; keep it well below the streams producer's transaction timeout)
     */
    public record ObjectionFreshness(Duration pollInterval, Duration timeout) {
        public ObjectionFreshness {
            pollInterval = pollInterval == null ? Duration.ofMillis(50) : pollInterval;
            timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
        }
    }

    /**
     * Topic names: the defaults are the topic catalog's ({@link TopicCatalog}); override them only
     * where the broker's access rules are not derived from the catalog (tests, benchmarks).
     *
     * @param census      census records, keyed by UPN (default {@code census.pupil-records})
     * @param objections  compacted objections, keyed by {@link org.pupilflow.schemas.topics.ObjectionKey} (default {@code consent.objections})
     * @param audit       one DisclosureEvent per decision (default {@code audit.disclosures})
     * @param deadLetters census records the router cannot decide on, with the reason (default {@code <census>.dead-letters})
     * @param requestedPupils   the named pupils of approved case-by-case requests, keyed by UPN; as many partitions as
     *                          {@code census} (default {@code disclosure.requested-pupils})
     * @param requestDeadLetters requested pupils the router cannot decide on (default {@code <requestedPupils>.dead-letters})
     * @param policy      the policy this router applies, published at each start (default {@code policy.in-force})
     */
    public record Topics(@NotBlank String census, @NotBlank String objections, @NotBlank String audit, @NotBlank String deadLetters,
                         @NotBlank String requestedPupils, @NotBlank String requestDeadLetters, @NotBlank String policy) {
        public Topics {
            policy = policy == null ? TopicCatalog.POLICY_IN_FORCE.name() : policy;
            census = census == null ? TopicCatalog.CENSUS_RECORDS.name() : census;
            objections = objections == null ? TopicCatalog.OBJECTIONS.name() : objections;
            audit = audit == null ? TopicCatalog.AUDIT_DISCLOSURES.name() : audit;
            deadLetters = deadLetters == null ? TopicCatalog.deadLettersOf(census) : deadLetters;
            requestedPupils = requestedPupils == null ? TopicCatalog.REQUESTED_PUPILS.name() : requestedPupils;
            requestDeadLetters = requestDeadLetters == null ? TopicCatalog.deadLettersOf(requestedPupils) : requestDeadLetters;
        }
    }
}
