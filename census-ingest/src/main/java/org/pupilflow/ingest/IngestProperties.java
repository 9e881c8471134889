package org.pupilflow.ingest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.pupilflow.schemas.topics.TopicCatalog;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of census-ingest ({@code pupilflow.ingest.*}).
 *
 * @param policyFile         the LA's sharing policy (YAML): objection scopes are checked against it and dry runs apply it; required
 * @param maxReturnBytes     largest census return accepted, in bytes (default 2 GiB); larger uploads get 413
 * @param maxIssuesReported  how many individual record issues a report lists (default 1,000; counts by rule are always complete)
 * @param topics             topic names
 * @param partitions         partitions of topics ingest creates (default 6)
 * @param replicationFactor  replication factor of topics ingest creates (default 1; use 3 in production)
 * @param limits             limits on what one request may carry (JSON bodies as a whole: {@code pupilflow.web.max-json-body})
 * @param async              uploads answered 202 at once ({@code Prefer: respond-async}) and read in the background
 */
@Validated
@ConfigurationProperties("pupilflow.ingest")
public record IngestProperties(
        @NotBlank String policyFile,
        @Min(1) Long maxReturnBytes,
        @Min(1) Integer maxIssuesReported,
        @Valid Topics topics,
        @Min(1) Integer partitions,
        @Min(1) Short replicationFactor,
        @Valid Limits limits,
        @Valid Async async) {

    public IngestProperties {
        maxReturnBytes = maxReturnBytes == null ? 2L * 1024 * 1024 * 1024 : maxReturnBytes;
        maxIssuesReported = maxIssuesReported == null ? 1_000 : maxIssuesReported;
        topics = topics == null ? new Topics(null, null, null, null) : topics;
        partitions = partitions == null ? 6 : partitions;
        replicationFactor = replicationFactor == null ? 1 : replicationFactor;
        limits = limits == null ? new Limits(null, null) : limits;
        async = async == null ? new Async(null, null, null) : async;
    }

    /**
     * Limits on fields and records ({@code pupilflow.ingest.limits.*}).
     *
     * @param evidenceReferenceMaxLength longest {@code evidenceReference} of an objection, in characters (default 500);
     *                                   longer ones get 422
     * @param maxRecordSize              largest census record published to Kafka (default 256KB, well under the broker's 1 MB);
     *                                   a larger pupil is an invalid record (rule {@code record-too-large}), never a failed transaction
     */
    public record Limits(@Min(1) Integer evidenceReferenceMaxLength, DataSize maxRecordSize) {
        public Limits {
            evidenceReferenceMaxLength = evidenceReferenceMaxLength == null ? 500 : evidenceReferenceMaxLength;
            maxRecordSize = maxRecordSize == null ? DataSize.ofKilobytes(256) : maxRecordSize;
            if (maxRecordSize.toBytes() < 1024) {
                throw new IllegalArgumentException("pupilflow.ingest.limits.max-record-size must be at least 1KB, was " + maxRecordSize);
            }
        }
    }

    /**
     * Uploads sent with {@code Prefer: respond-async} ({@code pupilflow.ingest.async.*}): the body is spooled to a file,
     * the client gets 202 with {@code Location: /returns/{id}}, and the return is read, validated and published in the
     * background while {@code GET /returns/{id}} shows its progress.
     *
     * @param spoolDirectory where uploads wait to be read (default: the JVM's temporary directory); each file is deleted
     *                       once its return is done
     * @param concurrency    how many returns are read at once in the background (default 2); more wait their turn
     * @param maxQueued      how many more may wait (default 20); beyond that an async upload gets 503 with Retry-After
     */
    public record Async(String spoolDirectory, @Min(1) Integer concurrency, @Min(0) Integer maxQueued) {
        public Async {
            spoolDirectory = spoolDirectory == null || spoolDirectory.isBlank() ? System.getProperty("java.io.tmpdir") : spoolDirectory;
            concurrency = concurrency == null ? 2 : concurrency;
            maxQueued = maxQueued == null ? 20 : maxQueued;
        }
    }

    /**
     * Topic names: the defaults are the topic catalog's ({@link TopicCatalog}); override them only
     * where the broker's access rules are not derived from the catalog (tests, benchmarks).
     *
     * @param census     valid census records, keyed by UPN (default {@code census.pupil-records})
     * @param rejected   invalid records of lenient uploads, with their reasons (default {@code census.rejected})
     * @param returns    compacted registry of returns: status, report, content hash (default {@code census.returns})
     * @param objections compacted objections, keyed by {@link org.pupilflow.schemas.topics.ObjectionKey} (default {@code consent.objections})
     */
    public record Topics(@NotBlank String census, @NotBlank String rejected, @NotBlank String returns, @NotBlank String objections) {
        public Topics {
            census = census == null ? TopicCatalog.CENSUS_RECORDS.name() : census;
            rejected = rejected == null ? TopicCatalog.CENSUS_REJECTED.name() : rejected;
            returns = returns == null ? TopicCatalog.CENSUS_RETURNS.name() : returns;
            objections = objections == null ? TopicCatalog.OBJECTIONS.name() : objections;
        }
    }
}
