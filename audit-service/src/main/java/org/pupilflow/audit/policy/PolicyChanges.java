package org.pupilflow.audit.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.publish.PolicyPublication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The DPO's record of the policy in force: each publication of the sharing-router that changes the policy (its
 * content hash) becomes one append-only {@code policy_change} row with who published it, when, the old and the new
 * hash and the document; a router restarted with the same policy changes nothing. Idempotent by the record's topic
 * and offset, so a publication delivered twice is recorded once.
 */
public final class PolicyChanges {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyChanges.class);

    /** One change, as the DPO sees it; {@code oldHash} null for the first policy. */
    public record PolicyChange(long seq, String policyId, String policyVersion, String oldHash, String newHash, Instant publishedAt,
                               String publishedBy, Instant recordedAt, String sourceTopic, long sourceOffset) {
    }

    /** The record and its verification: {@code intact} when every row continues the previous and matches its document. */
    public record PolicyChangeReport(boolean intact, List<String> problems, List<PolicyChange> changes) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public PolicyChanges(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** A record of the policy topic. A publication that does not load is not a policy anyone applies: logged, not recorded. */
    public void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        PolicyPublication publication;
        SharingPolicy policy;
        try {
            publication = PolicyPublication.fromJson(record.value());
            policy = publication.policy();
        } catch (RuntimeException e) {
            LOG.error("Policy publication at {}-{}@{} does not load and is not recorded as the policy in force: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        transactions.executeWithoutResult(status -> record(record, publication, policy));
    }

    private void record(ConsumerRecord<String, byte[]> record, PolicyPublication publication, SharingPolicy policy) {
        // The topic has one partition, read by one consumer of audit-service's group. Should two instances ever race, the
        // second insert of the same seq (primary key) fails, and the container retries the record after re-reading both.
        Integer seen = jdbc.queryForObject("SELECT count(*) FROM policy_change WHERE source_topic = ? AND source_offset = ?", Integer.class,
                record.topic(), record.offset());
        if (seen != null && seen > 0) {
            return;
        }
        List<String> last = jdbc.query("SELECT new_hash FROM policy_change ORDER BY seq DESC LIMIT 1", (rs, n) -> rs.getString(1));
        String oldHash = last.isEmpty() ? null : last.get(0);
        if (policy.contentHash().equals(oldHash)) {
            return;
        }
        Long next = jdbc.queryForObject("SELECT coalesce(max(seq), 0) + 1 FROM policy_change", Long.class);
        jdbc.update("INSERT INTO policy_change (seq, source_topic, source_offset, policy_id, policy_version, old_hash, new_hash, published_at, "
                        + "published_by, recorded_at, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                next, record.topic(), record.offset(), policy.id(), policy.version(), oldHash, policy.contentHash(),
                Timestamp.from(publication.publishedAt()), publication.publishedBy(), Timestamp.from(clock.instant()), publication.document());
        LOG.info("Policy change {} recorded: {} {} ({} -> {}), published {} by {}", next, policy.id(), policy.version(), oldHash, policy.contentHash(),
                publication.publishedAt(), publication.publishedBy());
    }

    /** Every change, oldest first, verified. */
    public PolicyChangeReport report() {
        List<String> problems = new ArrayList<>();
        List<PolicyChange> changes = new ArrayList<>();
        String[] previous = {null};
        long[] expectedSeq = {1};
        jdbc.query("SELECT seq, source_topic, source_offset, policy_id, policy_version, old_hash, new_hash, published_at, published_by, recorded_at, "
                + "document FROM policy_change ORDER BY seq", rs -> {
            long seq = rs.getLong("seq");
            String oldHash = rs.getString("old_hash");
            String newHash = rs.getString("new_hash");
            if (seq != expectedSeq[0]) {
                problems.add("change " + expectedSeq[0] + " is missing (next is " + seq + ")");
            }
            if (previous[0] == null ? oldHash != null && seq == 1 : !previous[0].equals(oldHash)) {
                problems.add("change " + seq + " says the policy before was " + oldHash + ", but change " + (seq - 1) + " put " + previous[0] + " in force");
            }
            if (!sha256(rs.getString("document")).equals(newHash)) {
                problems.add("change " + seq + ": the document kept does not hash to " + newHash);
            }
            changes.add(new PolicyChange(seq, rs.getString("policy_id"), rs.getString("policy_version"), oldHash, newHash,
                    rs.getObject("published_at", OffsetDateTime.class).toInstant(), rs.getString("published_by"),
                    rs.getObject("recorded_at", OffsetDateTime.class).toInstant(), rs.getString("source_topic"), rs.getLong("source_offset")));
            previous[0] = newHash;
            expectedSeq[0] = seq + 1;
        });
        return new PolicyChangeReport(problems.isEmpty(), List.copyOf(problems), List.copyOf(changes));
    }

    /** The document of one change, as published (YAML). */
    public String document(long seq) {
        List<String> found = jdbc.query("SELECT document FROM policy_change WHERE seq = ?", (rs, n) -> rs.getString(1), seq);
        return found.isEmpty() ? null : found.get(0);
    }

    private static String sha256(String document) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(document.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
