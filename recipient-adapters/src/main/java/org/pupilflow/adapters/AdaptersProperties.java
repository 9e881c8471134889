package org.pupilflow.adapters;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.pupilflow.adapters.webhook.RetrySchedule;
import org.pupilflow.schemas.topics.TopicCatalog;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of recipient-adapters ({@code pupilflow.adapters.*}). The policy says which recipients
 * are delivered by webhook or file drop; where to (URLs, directories, SFTP servers) and the secrets
 * come from here — in production from mounted secrets, never from the policy file.
 *
 * @param policyFile        the LA's sharing policy (YAML); required. Its {@code delivery: webhook|file-drop} recipients are delivered here
 * @param instanceId        this instance's name, part of its transactional ids so a restarted instance fences its zombie
 *                          (default {@code ${HOSTNAME}}, e.g. the pod name; {@code local} when unset)
 * @param recipients        per recipient id: its webhook or file-drop target and retry limits; every webhook or
 *                          file-drop recipient of the policy needs an entry, and an entry for any other id is refused
 * @param receiptsTopic     where receipts go (default the catalog's {@code audit.deliveries}; tests and benchmarks only)
 * @param createTopics      create the recipients' dead-letter topics when missing (default true; false on a secured broker,
 *                          where {@code pupilflow-admin topics} creates them)
 * @param partitions        partitions of topics it creates (default 6)
 * @param replicationFactor replication of topics it creates (default 1; 3 in production)
 * @param maxQueued         records fetched ahead of delivery per recipient before fetching pauses (default 500)
 */
@Validated
@ConfigurationProperties("pupilflow.adapters")
public record AdaptersProperties(
        @NotBlank String policyFile,
        String instanceId,
        Map<String, @Valid Recipient> recipients,
        String receiptsTopic,
        Boolean createTopics,
        @Min(1) Integer partitions,
        @Min(1) Short replicationFactor,
        @Min(1) Integer maxQueued) {

    public AdaptersProperties {
        instanceId = instanceId == null || instanceId.isBlank() ? "local" : instanceId;
        recipients = recipients == null ? Map.of() : Map.copyOf(recipients);
        receiptsTopic = receiptsTopic == null ? TopicCatalog.AUDIT_DELIVERIES.name() : receiptsTopic;
        createTopics = createTopics == null || createTopics;
        partitions = partitions == null ? 6 : partitions;
        replicationFactor = replicationFactor == null ? 1 : replicationFactor;
        maxQueued = maxQueued == null ? 500 : maxQueued;
    }

    /**
     * Where one recipient's records go: exactly one of {@code webhook} and {@code fileDrop}, matching the policy's channel.
     *
     * @param webhook  POST one signed JSON document per disclosure
     * @param fileDrop CSV files and manifests per census return
     * @param retry    how long and how often to try before a record goes to the dead letters (defaults below)
     */
    public record Recipient(@Valid Webhook webhook, @Valid FileDrop fileDrop, @Valid Retry retry) {
        public Recipient {
            retry = retry == null ? new Retry(null, null, null, null, null) : retry;
        }
    }

    /**
     * @param url            the recipient's endpoint (https in production)
     * @param secret         the signing secret agreed with the recipient, {@code whsec_<base64>} (Standard Webhooks); from a secret store
     * @param connectTimeout default 5s
     * @param requestTimeout default 30s
     */
    public record Webhook(URI url, String secret, Duration connectTimeout, Duration requestTimeout) {
        public Webhook {
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
            requestTimeout = requestTimeout == null ? Duration.ofSeconds(30) : requestTimeout;
        }

        @Override
        public String toString() {
            return "Webhook[url=" + url + ", secret=" + (secret == null ? "none" : "hidden") + "]";
        }
    }

    /**
     * @param directory  a local (or mounted) directory to drop files in; or
     * @param sftp       an SFTP server to upload to
     * @param maxRecords a file holds at most this many records (default 10,000)
     * @param maxWait    a file is written at most this long after its first record arrived (default 1m)
     */
    public record FileDrop(Path directory, @Valid Sftp sftp, @Min(1) Integer maxRecords, Duration maxWait) {
        public FileDrop {
            maxRecords = maxRecords == null ? 10_000 : maxRecords;
            maxWait = maxWait == null ? Duration.ofMinutes(1) : maxWait;
        }
    }

    /**
     * @param host            the SFTP server
     * @param port            default 22
     * @param username        the account PupilFlow logs in as
     * @param password        its password, or
     * @param privateKey      a private key file (OpenSSH or PEM)
     * @param hostKey         the server's public host key as an OpenSSH line ({@code ssh-ed25519 AAAA...}); required: the
     *                        server is pinned, never trusted on first use
     * @param remoteDirectory where files go (default the login directory)
     */
    public record Sftp(@NotBlank String host, Integer port, @NotBlank String username, String password, Path privateKey, @NotBlank String hostKey,
                       String remoteDirectory) {
        public Sftp {
            port = port == null ? 22 : port;
            remoteDirectory = remoteDirectory == null ? "." : remoteDirectory;
        }

        @Override
        public String toString() {
            return "Sftp[" + username + "@" + host + ":" + port + "/" + remoteDirectory + "]";
        }
    }

    /**
     * After a failed attempt (a 5xx, 408 or 429, a connection error, an SFTP failure) the next waits an exponentially
     * growing, jittered interval; after {@code maxAttempts} or once the record is {@code maxAge} old it goes to the
     * recipient's dead letters with a FAILED receipt.
     *
     * @param initialInterval default 1s
     * @param multiplier      default 2
     * @param maxInterval     default 15m
     * @param maxAttempts     default 100
     * @param maxAge          default 24h, counted from when the router disclosed the record
     */
    public record Retry(Duration initialInterval, Double multiplier, Duration maxInterval, @Min(1) Integer maxAttempts, Duration maxAge) {
        public Retry {
            initialInterval = initialInterval == null ? RetrySchedule.DEFAULT_INITIAL_INTERVAL : initialInterval;
            multiplier = multiplier == null ? RetrySchedule.DEFAULT_MULTIPLIER : multiplier;
            maxInterval = maxInterval == null ? RetrySchedule.DEFAULT_MAX_INTERVAL : maxInterval;
            maxAttempts = maxAttempts == null ? RetrySchedule.DEFAULT_MAX_ATTEMPTS : maxAttempts;
            maxAge = maxAge == null ? RetrySchedule.DEFAULT_MAX_AGE : maxAge;
        }

        /** The schedule these settings describe, with its own random source for the jitter. */
        public RetrySchedule schedule() {
            return new RetrySchedule(initialInterval, multiplier, maxInterval, maxAttempts, maxAge, new java.util.Random());
        }
    }
}
