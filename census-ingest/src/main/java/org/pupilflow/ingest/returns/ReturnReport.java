package org.pupilflow.ingest.returns;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.pupilflow.formats.read.FieldIssue;

/**
 * The validation report of one uploaded return, as answered to the uploader and kept in the
 * returns registry.
 *
 * @param format        the format the file was recognised as: CTF, COLLECT, TABLES or CSV (null if it was none)
 * @param censusDays    the census day(s) the records use and where each came from (normally one)
 * @param issues        the first issues found (at most {@code pupilflow.ingest.max-issues-reported})
 * @param issuesByRule  every issue counted by rule, complete
 * @param preview       for dry runs: per recipient, how many pupils would be disclosed, restricted, withheld
 * @param earlierReturnId for a duplicate: the published return with the same content
 */
public record ReturnReport(String returnId, ReturnStatus status, String format, String mode, String contentHash, long bytes,
                           Instant receivedAt, Instant completedAt, List<CensusDayUsed> censusDays, long records, long valid, long invalid, long published,
                           long rejectedToTopic, Map<String, Long> issuesByRule, List<FieldIssue> issues,
                           Map<String, Map<String, Long>> preview, String earlierReturnId, String detail) {
}
