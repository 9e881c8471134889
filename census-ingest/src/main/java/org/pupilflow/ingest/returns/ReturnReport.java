package org.pupilflow.ingest.returns;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.pupilflow.formats.read.FieldIssue;

/**
 * The validation report of one uploaded return, as answered to the uploader and kept in the
 * returns registry.
 *
 * @param summary          one line at the top saying what happened or, for a dry run, what an upload would do (including
 *                         that strict mode would refuse it, and why)
 * @param format           the format the file was recognised as: CTF, COLLECT, TABLES or CSV (null if it was none)
 * @param censusDays       the census day(s) the records use and where each came from (normally one)
 * @param records          records read (so far, while {@code PROCESSING})
 * @param issues           the first issues found (at most {@code pupilflow.ingest.max-issues-reported})
 * @param issuesByRule     every issue counted by rule, complete
 * @param preview          for dry runs: per recipient, how many pupils would be disclosed, restricted, withheld
 * @param earlierReturnId  for a duplicate: the published return with the same content; for a replacement mismatch: the
 *                         first of {@code earlierReturnIds}
 * @param earlierReturnIds for a replacement mismatch (or a dry run that would be one): every published return for this
 *                         return's schools and census day, which {@code replaces} must name
 * @param replaces         the returns this one replaced (published) or would replace (dry run)
 * @param replacedBy       the return that replaced this one, once one has
 * @param schools          how many schools (establishments) the return's records are on roll at
 * @param policy           the policy in force (the router's) that the return was checked and previewed with, and for a dry
 *                         run whether another came into force while it was read; null only before reading started
 */
@JsonPropertyOrder({"summary", "returnId", "status"})
public record ReturnReport(String summary, String returnId, ReturnStatus status, String format, String mode, String contentHash, long bytes,
                           Instant receivedAt, Instant completedAt, List<CensusDayUsed> censusDays, long records, long valid, long invalid,
                           long published, long rejectedToTopic, Map<String, Long> issuesByRule, List<FieldIssue> issues,
                           Map<String, Map<String, Long>> preview, String earlierReturnId, List<String> earlierReturnIds,
                           List<String> replaces, String replacedBy, long schools, String detail, PolicyUsed policy) {

    /** This report, marked as replaced by {@code later}. */
    public ReturnReport replacedBy(String later) {
        return new ReturnReport(summary, returnId, status, format, mode, contentHash, bytes, receivedAt, completedAt, censusDays, records, valid,
                invalid, published, rejectedToTopic, issuesByRule, issues, preview, earlierReturnId, earlierReturnIds, replaces, later, schools, detail, policy);
    }
}
