package org.pupilflow.audit.retention;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.pupilflow.audit.AuditProperties;
import org.pupilflow.audit.AuditProperties.Retention.Rule;
import org.pupilflow.audit.chain.CheckpointSigner;
import org.pupilflow.audit.chain.Erasure;
import org.pupilflow.audit.store.ChainStore;
import org.pupilflow.audit.store.Ledger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes rows whose retention period has passed, without breaking verification. A disclosure row
 * expires at the later of two dates: the end of the period of the most specific configured rule
 * that matches it, and its {@code retainUntil} (the policy's own retention rule for this pupil, e.g.
 * looked-after children: 75 years after the 18th birthday, computed by the router). With only one
 * of the two, that one decides; with neither, the row is kept. In every case its delete-by date (if
 * any) must have passed too. Its delivery receipts go with it. For every run of consecutive
 * sequence numbers removed from a chain, a signed erasure checkpoint (chain, first and last seq,
 * hash of the last row, time, rule) is written first, in the same transaction; the database refuses
 * any delete not covered by one, and verification continues across the gap from the checkpoint's hash.
 */
@Component
public class RetentionJob {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    /** The rule recorded in the erasure checkpoint of a row that had a retainUntil (the date itself is erased with the row). */
    private static final String RETAIN_UNTIL_ONLY = "retention: the policy's retainUntil passed (no configured rule matches)";
    private static final String RETAIN_UNTIL_TOO = ", and the policy's retainUntil passed";

    private final JdbcTemplate jdbc;
    private final ChainStore store;
    private final CheckpointSigner signer;
    private final TransactionTemplate transactions;
    private final AuditProperties.Retention retention;
    private final MeterRegistry registry;

    public RetentionJob(JdbcTemplate jdbc, ChainStore store, CheckpointSigner signer, TransactionTemplate transactions, AuditProperties properties,
                        MeterRegistry registry) {
        this.jdbc = jdbc;
        this.store = store;
        this.signer = signer;
        this.transactions = transactions;
        this.retention = properties.retention();
        this.registry = registry;
        for (Ledger ledger : Ledger.values()) {
            erasedCounter(ledger);
        }
    }

    /** What one run removed. */
    public record Result(long disclosuresErased, long deliveriesErased, int checkpoints) {
    }

    /** Removes everything expired at {@code now}. */
    public synchronized Result run(Instant now) {
        // Rows a configured rule may expire are older than the longest rule's cutoff; rows with a retainUntil are found by it.
        Instant oldestCutoff = retention.rules().stream().map(rule -> cutoff(now, rule)).max(Comparator.naturalOrder()).orElse(null);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        long disclosures = 0;
        long deliveries = 0;
        int checkpoints = 0;
        Candidate after = null;
        while (true) {
            List<Candidate> page = candidates(oldestCutoff, today, after, retention.batchSize());
            if (page.isEmpty()) {
                break;
            }
            after = page.get(page.size() - 1);
            List<Expired> expired = new ArrayList<>();
            for (Candidate candidate : page) {
                String reason = expiredBecause(candidate, now, today);
                if (reason != null) {
                    expired.add(new Expired(candidate, reason));
                }
            }
            if (!expired.isEmpty()) {
                Result batch = transactions.execute(status -> erase(expired, now));
                disclosures += batch.disclosuresErased();
                deliveries += batch.deliveriesErased();
                checkpoints += batch.checkpoints();
            }
        }
        erasedCounter(Ledger.DISCLOSURE).increment(disclosures);
        erasedCounter(Ledger.DELIVERY).increment(deliveries);
        if (disclosures > 0 || deliveries > 0) {
            log.info("Retention removed {} disclosures and {} delivery receipts, leaving {} signed erasure checkpoints", disclosures, deliveries, checkpoints);
        }
        return new Result(disclosures, deliveries, checkpoints);
    }

    /**
     * Why the row has expired at {@code now} (the rule recorded in its erasure checkpoint), or null if it is kept: the later of
     * the configured rule's expiry and {@code retainUntil} has passed, and so has the delete-by date. A day-precision date has
     * passed once it is before {@code today}: the row is kept through the whole of its retainUntil and delete-by day.
     */
    private String expiredBecause(Candidate candidate, Instant now, LocalDate today) {
        if (candidate.deleteBy() != null && !candidate.deleteBy().isBefore(today)) {
            return null;
        }
        boolean retainUntilPassed = candidate.retainUntil() == null || candidate.retainUntil().isBefore(today);
        Rule rule = ruleFor(candidate.recipientId(), candidate.outcome());
        if (rule == null) {
            return candidate.retainUntil() != null && retainUntilPassed ? RETAIN_UNTIL_ONLY : null;
        }
        if (!candidate.decidedAt().isBefore(cutoff(now, rule)) || !retainUntilPassed) {
            return null;
        }
        return candidate.retainUntil() == null ? describe(rule) : describe(rule) + RETAIN_UNTIL_TOO;
    }

    /** The most specific rule: recipient and outcome, then recipient, then outcome, then neither. */
    Rule ruleFor(String recipientId, String outcome) {
        Rule best = null;
        int bestScore = -1;
        for (Rule rule : retention.rules()) {
            boolean recipientMatches = rule.recipient() == null || rule.recipient().equals(recipientId);
            boolean outcomeMatches = rule.outcome() == null || rule.outcome().equals(outcome);
            if (recipientMatches && outcomeMatches) {
                int score = (rule.recipient() != null ? 2 : 0) + (rule.outcome() != null ? 1 : 0);
                if (score > bestScore) {
                    best = rule;
                    bestScore = score;
                }
            }
        }
        return best;
    }

    private Result erase(List<Expired> expired, Instant now) {
        Instant erasedAt = now.truncatedTo(ChronoUnit.MICROS);
        List<Row> disclosureRows = expired.stream().map(e -> new Row(e.candidate().chainId(), e.candidate().seq(), e.candidate().hash(), e.rule())).toList();
        int checkpoints = eraseRows(Ledger.DISCLOSURE, disclosureRows, erasedAt);

        Object[] ids = expired.stream().map(e -> e.candidate().disclosureId()).toArray();
        List<Row> deliveryRows = jdbc.query(connection -> {
            PreparedStatement ps = connection.prepareStatement("SELECT chain_id, seq, hash FROM delivery WHERE disclosure_id = ANY (?)");
            ps.setArray(1, connection.createArrayOf("text", ids));
            return ps;
        }, (rs, n) -> new Row(rs.getString("chain_id"), rs.getLong("seq"), rs.getBytes("hash"), "retention: receipts of erased disclosures"));
        checkpoints += eraseRows(Ledger.DELIVERY, deliveryRows, erasedAt);
        return new Result(disclosureRows.size(), deliveryRows.size(), checkpoints);
    }

    /** Splits rows into runs of consecutive seq (and the same rule) per chain; writes a signed checkpoint for each, then deletes it. */
    private int eraseRows(Ledger ledger, List<Row> rows, Instant erasedAt) {
        Map<String, List<Row>> byChain = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparing(Row::chainId).thenComparingLong(Row::seq))
                .forEach(row -> byChain.computeIfAbsent(row.chainId(), chain -> new ArrayList<>()).add(row));
        int checkpoints = 0;
        for (Map.Entry<String, List<Row>> chain : byChain.entrySet()) {
            List<Row> sorted = chain.getValue();
            int start = 0;
            for (int i = 1; i <= sorted.size(); i++) {
                boolean runEnds = i == sorted.size() || sorted.get(i).seq() != sorted.get(i - 1).seq() + 1
                        || !sorted.get(i).rule().equals(sorted.get(start).rule());
                if (runEnds) {
                    Row first = sorted.get(start);
                    Row last = sorted.get(i - 1);
                    store.insertErasure(new Erasure(chain.getKey(), first.seq(), last.seq(), last.hash(), erasedAt, first.rule(), null).signedWith(signer));
                    int deleted = store.deleteRange(ledger, chain.getKey(), first.seq(), last.seq());
                    if (deleted != last.seq() - first.seq() + 1) {
                        throw new IllegalStateException("expected to erase " + (last.seq() - first.seq() + 1) + " rows of " + chain.getKey() + " but deleted " + deleted);
                    }
                    checkpoints++;
                    start = i;
                }
            }
        }
        return checkpoints;
    }

    /** Rows decided before {@code before} (null: none) or whose retainUntil is before {@code today}, in (decided_at, disclosure_id) order. */
    private List<Candidate> candidates(Instant before, LocalDate today, Candidate after, int limit) {
        String sql = "SELECT chain_id, seq, hash, disclosure_id, recipient_id, outcome, decided_at, delete_by, retain_until FROM disclosure WHERE ("
                + (before == null ? "" : "decided_at < ? OR ") + "retain_until < ?)"
                + (after == null ? "" : " AND (decided_at, disclosure_id) > (?, ?)") + " ORDER BY decided_at, disclosure_id LIMIT ?";
        return jdbc.query(connection -> {
            PreparedStatement ps = connection.prepareStatement(sql);
            int i = 0;
            if (before != null) {
                ps.setObject(++i, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
            }
            ps.setObject(++i, today);
            if (after != null) {
                ps.setObject(++i, OffsetDateTime.ofInstant(after.decidedAt(), ZoneOffset.UTC));
                ps.setString(++i, after.disclosureId());
            }
            ps.setInt(++i, limit);
            return ps;
        }, (rs, n) -> new Candidate(rs.getString("chain_id"), rs.getLong("seq"), rs.getBytes("hash"), rs.getString("disclosure_id"),
                rs.getString("recipient_id"), rs.getString("outcome"), rs.getObject("decided_at", OffsetDateTime.class).toInstant(),
                rs.getObject("delete_by", LocalDate.class), rs.getObject("retain_until", LocalDate.class)));
    }

    private static Instant cutoff(Instant now, Rule rule) {
        return now.atOffset(ZoneOffset.UTC).minus(rule.keep()).toInstant();
    }

    private static String describe(Rule rule) {
        return "retention: recipient " + Objects.requireNonNullElse(rule.recipient(), "*") + ", outcome " + Objects.requireNonNullElse(rule.outcome(), "*")
                + ", keep " + rule.keep();
    }

    private Counter erasedCounter(Ledger ledger) {
        return Counter.builder("pupilflow.audit.retention.erased").description("Rows removed under retention (each covered by a signed checkpoint)")
                .tag("ledger", ledger.table()).register(registry);
    }

    private record Candidate(String chainId, long seq, byte[] hash, String disclosureId, String recipientId, String outcome, Instant decidedAt,
                             LocalDate deleteBy, LocalDate retainUntil) {
    }

    private record Expired(Candidate candidate, String rule) {
    }

    private record Row(String chainId, long seq, byte[] hash, String rule) {
    }
}
