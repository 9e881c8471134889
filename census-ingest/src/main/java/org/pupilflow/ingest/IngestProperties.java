package org.pupilflow.ingest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.pupilflow.schemas.topics.TopicCatalog;
import org.springframework.boot.context.properties.ConfigurationProperties;
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
 */
@Validated
@ConfigurationProperties("pupilflow.ingest")
public record IngestProperties(
        @NotBlank String policyFile,
        @Min(1) Long maxReturnBytes,
        @Min(1) Integer maxIssuesReported,
        @Valid Topics topics,
        @Min(1) Integer partitions,
        @Min(1) Short replicationFactor) {

    public IngestProperties {
        maxReturnBytes = maxReturnBytes == null ? 2L * 1024 * 1024 * 1024 : maxReturnBytes;
        maxIssuesReported = maxIssuesReported == null ? 1_000 : maxIssuesReported;
        topics = topics == null ? new Topics(null, null, null, null) : topics;
        partitions = partitions == null ? 6 : partitions;
        replicationFactor = replicationFactor == null ? 1 : replicationFactor;
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
