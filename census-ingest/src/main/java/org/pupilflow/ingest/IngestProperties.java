package org.pupilflow.ingest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

import org.pupilflow.census.CensusTerm;
import org.pupilflow.formats.census.CensusContextResolver;
import org.pupilflow.formats.census.CensusDays;
import org.pupilflow.formats.tables.TableSetLimits;
import org.pupilflow.schemas.topics.TopicCatalog;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of census-ingest ({@code pupilflow.ingest.*}).
 *
 * @param maxReturnBytes     largest census return accepted, in bytes (default 2 GiB); larger uploads get 413
 * @param maxIssuesReported  how many individual record issues a report lists (default 1,000; counts by rule are always complete)
 * @param topics             topic names
 * @param partitions         partitions of topics ingest creates (default 6)
 * @param replicationFactor  replication factor of topics ingest creates (default 1; use 3 in production)
 * @param censusDays         census days that depart from the DfE rule (default: none)
 * @param tables             limits of uploaded census tables (zips)
 * @param limits             limits on what one request may carry (JSON bodies as a whole: {@code pupilflow.web.max-json-body})
 * @param async              uploads answered 202 at once ({@code Prefer: respond-async}) and read in the background
 * @param disclosureRequests limits on case-by-case disclosure requests
 */
@Validated
@ConfigurationProperties("pupilflow.ingest")
public record IngestProperties(
        @Min(1) Long maxReturnBytes,
        @Min(1) Integer maxIssuesReported,
        @Valid Topics topics,
        @Min(1) Integer partitions,
        @Min(1) Short replicationFactor,
        CensusDayOverrides censusDays,
        @Valid Tables tables,
        @Valid Limits limits,
        @Valid Async async,
        @Valid DisclosureRequests disclosureRequests) {

    public IngestProperties {
        maxReturnBytes = maxReturnBytes == null ? 2L * 1024 * 1024 * 1024 : maxReturnBytes;
        maxIssuesReported = maxIssuesReported == null ? 1_000 : maxIssuesReported;
        topics = topics == null ? new Topics(null, null, null, null, null, null, null) : topics;
        partitions = partitions == null ? 6 : partitions;
        replicationFactor = replicationFactor == null ? 1 : replicationFactor;
        censusDays = censusDays == null ? new CensusDayOverrides(null) : censusDays;
        tables = tables == null ? new Tables(null, null, null, null) : tables;
        limits = limits == null ? new Limits(null, null) : limits;
        async = async == null ? new Async(null, null, null) : async;
        disclosureRequests = disclosureRequests == null ? new DisclosureRequests(null, null, null) : disclosureRequests;
    }

    /**
     * Case-by-case disclosure requests ({@code pupilflow.ingest.disclosure-requests.*}); longer or larger ones get 422.
     *
     * @param maxPupils              most pupils one request may name (default 50): a request is about the children of a case
     * @param caseReferenceMaxLength longest case reference, in characters (default 100)
     * @param purposeMaxLength       longest purpose, in characters (default 1,000)
     */
    public record DisclosureRequests(@Min(1) Integer maxPupils, @Min(1) Integer caseReferenceMaxLength, @Min(1) Integer purposeMaxLength) {
        public DisclosureRequests {
            maxPupils = maxPupils == null ? 50 : maxPupils;
            caseReferenceMaxLength = caseReferenceMaxLength == null ? 100 : caseReferenceMaxLength;
            purposeMaxLength = purposeMaxLength == null ? 1_000 : purposeMaxLength;
        }
    }

    /**
     * Census days the DfE moved: {@code pupilflow.ingest.census-days.overrides.<academic year>.<term>=<day>}, the
     * academic year by the calendar year it starts in (2025 = 2025/26), the term {@code autumn}, {@code spring} or
     * {@code summer}, the day ISO ({@code 2026-01-22}). Used only when neither the file nor the upload gives a census
     * day. An override outside its term, an unknown term or a day that is not a date stops the service at start,
     * naming the key.
     *
     * @param overrides academic year → term → day (default: none, the DfE rule for every census)
     */
    public record CensusDayOverrides(Map<String, Map<String, String>> overrides) {

        public CensusDayOverrides {
            overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
            censusDays(overrides);
        }

        /** The DfE rule with these overrides. */
        public CensusDays censusDays() {
            return censusDays(overrides);
        }

        private static CensusDays censusDays(Map<String, Map<String, String>> overrides) {
            Map<Integer, Map<CensusTerm, LocalDate>> parsed = new HashMap<>();
            for (Map.Entry<String, Map<String, String>> year : overrides.entrySet()) {
                String key = "pupilflow.ingest.census-days.overrides." + year.getKey();
                int academicYear;
                try {
                    academicYear = Integer.parseInt(year.getKey().strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + ": '" + year.getKey() + "' is not an academic year (the calendar year it starts in, 2025 for 2025/26)");
                }
                for (Map.Entry<String, String> term : year.getValue().entrySet()) {
                    CensusTerm censusTerm = CensusContextResolver.term(term.getKey());
                    if (censusTerm == null) {
                        throw new IllegalArgumentException(key + "." + term.getKey() + ": '" + term.getKey() + "' is not autumn, spring or summer");
                    }
                    try {
                        parsed.computeIfAbsent(academicYear, y -> new HashMap<>()).put(censusTerm, LocalDate.parse(term.getValue().strip()));
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException(key + "." + term.getKey() + ": '" + term.getValue() + "' is not a date (YYYY-MM-DD)");
                    }
                }
            }
            return CensusDays.withOverrides(parsed);
        }
    }

    /**
     * Limits of uploaded census tables (a zip of CSV files), checked while the zip is read, before anything is published.
     *
     * @param maxEntries           entries in the zip (default 64)
     * @param maxUncompressedBytes all entries together, uncompressed (default 4 GiB): a zip bomb's total
     * @param maxCompressionRatio  uncompressed to compressed size of one entry (default 200; CSV compresses 5 to 20 times)
     * @param spoolDirectory       where an uploaded zip and its pupil-level tables wait while the return is read (default: the
     *                             system temporary directory); needs the zip plus about the uncompressed size of its pupil-level
     *                             tables
     */
    public record Tables(@Min(1) Integer maxEntries, @Min(1) Long maxUncompressedBytes, @Min(1) Double maxCompressionRatio, String spoolDirectory) {

        public Tables {
            TableSetLimits defaults = TableSetLimits.defaults();
            maxEntries = maxEntries == null ? defaults.maxEntries() : maxEntries;
            maxUncompressedBytes = maxUncompressedBytes == null ? defaults.maxUncompressedBytes() : maxUncompressedBytes;
            maxCompressionRatio = maxCompressionRatio == null ? defaults.maxCompressionRatio() : maxCompressionRatio;
        }

        public TableSetLimits limits() {
            TableSetLimits defaults = TableSetLimits.defaults();
            return new TableSetLimits(maxEntries, maxUncompressedBytes, maxCompressionRatio, defaults.ratioCheckFromBytes(),
                    defaults.maxRecordChars(), spoolDirectory == null || spoolDirectory.isBlank() ? null : Path.of(spoolDirectory));
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
     * @param disclosureRequests compacted case-by-case requests, latest state per request (default {@code disclosure.requests})
     * @param requestedPupils    the named pupils of approved requests, for the router (default {@code disclosure.requested-pupils})
     * @param policy             the policy the router applies, as it publishes it (default {@code policy.in-force}); read only
     */
    public record Topics(@NotBlank String census, @NotBlank String rejected, @NotBlank String returns, @NotBlank String objections,
                         @NotBlank String disclosureRequests, @NotBlank String requestedPupils, @NotBlank String policy) {
        public Topics {
            policy = policy == null ? TopicCatalog.POLICY_IN_FORCE.name() : policy;
            census = census == null ? TopicCatalog.CENSUS_RECORDS.name() : census;
            rejected = rejected == null ? TopicCatalog.CENSUS_REJECTED.name() : rejected;
            returns = returns == null ? TopicCatalog.CENSUS_RETURNS.name() : returns;
            objections = objections == null ? TopicCatalog.OBJECTIONS.name() : objections;
            disclosureRequests = disclosureRequests == null ? TopicCatalog.DISCLOSURE_REQUESTS.name() : disclosureRequests;
            requestedPupils = requestedPupils == null ? TopicCatalog.REQUESTED_PUPILS.name() : requestedPupils;
        }
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
}
