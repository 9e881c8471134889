package org.pupilflow.audit.verify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.pupilflow.audit.anchor.ChainHeadTopic;
import org.pupilflow.audit.chain.ChainAnchor;
import org.pupilflow.audit.chain.ChainBreak;
import org.pupilflow.audit.chain.ChainHash;
import org.pupilflow.audit.chain.ChainReport;
import org.pupilflow.audit.chain.ChainVerifier;
import org.pupilflow.audit.chain.CheckpointSigner;
import org.pupilflow.audit.chain.Erasure;
import org.pupilflow.audit.store.ChainStore;
import org.pupilflow.audit.store.ChainStore.HeadRow;
import org.pupilflow.audit.store.Ledger;
import org.pupilflow.audit.store.LedgerTable;
import org.pupilflow.audit.store.Ledgers;
import org.pupilflow.audit.store.StoreConfiguration.SnapshotTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Recomputes every chain from the database in one consistent snapshot and compares it with the
 * latest chain heads published outside the database. Also verifies just the rows appended since a
 * chain's last published head, before the next head is published.
 *
 * <p>Metrics: {@code pupilflow_audit_verify_status} (1 intact, 0 broken, -1 not verified yet),
 * {@code pupilflow_audit_verify_broken_chains}, {@code pupilflow_audit_verify_anchors_checked}
 * (1 if the published heads were compared) and {@code pupilflow_audit_verify_seconds}.
 */
@Service
public class VerificationService {

    private static final Logger log = LoggerFactory.getLogger(VerificationService.class);

    private final ChainStore store;
    private final ChainHeadTopic headTopic;
    private final CheckpointSigner signer;
    private final SnapshotTransactions snapshots;
    private final AtomicReference<VerifyReport> last = new AtomicReference<>();
    private final Timer duration;
    private final Counter failures;

    public VerificationService(ChainStore store, ChainHeadTopic headTopic, CheckpointSigner signer, SnapshotTransactions snapshots, MeterRegistry registry) {
        this.store = store;
        this.headTopic = headTopic;
        this.signer = signer;
        this.snapshots = snapshots;
        Gauge.builder("pupilflow.audit.verify.status", last, ref -> ref.get() == null ? -1 : ref.get().intact() ? 1 : 0)
                .description("Result of the last verification: 1 intact, 0 broken, -1 not verified yet").register(registry);
        Gauge.builder("pupilflow.audit.verify.broken.chains", last, ref -> ref.get() == null ? 0 : ref.get().chains().stream().filter(c -> !c.intact()).count())
                .description("Chains whose last verification found a broken link").register(registry);
        Gauge.builder("pupilflow.audit.verify.anchors.checked", last, ref -> ref.get() != null && ref.get().anchorsChecked() ? 1 : 0)
                .description("1 if the last verification compared the tables with the published chain heads").register(registry);
        Gauge.builder("pupilflow.audit.chain.intact", last, ref -> ref.get() == null ? Double.NaN : ref.get().intact() ? 1 : 0)
                .description("1 if the last verification found every chain intact, 0 if one is broken; NaN until the first verification")
                .register(registry);
        Gauge.builder("pupilflow.audit.last.verified", last, ref -> ref.get() == null ? 0 : ref.get().verifiedAt().toEpochMilli() / 1000.0)
                .baseUnit("seconds").description("Unix time the last verification of the whole trail started (0: none yet)").register(registry);
        this.failures = Counter.builder("pupilflow.audit.verify.failures")
                .description("Verifications that could not complete (e.g. the database was unreachable)").register(registry);
        this.duration = Timer.builder("pupilflow.audit.verify").description("Time to verify the whole audit trail").register(registry);
    }

    /** Verifies every chain of both ledgers; a verification that cannot complete is counted and rethrown. */
    public VerifyReport verifyAll() {
        try {
            return verifyEveryChain();
        } catch (RuntimeException e) {
            failures.increment();
            throw e;
        }
    }

    private VerifyReport verifyEveryChain() {
        Instant started = Instant.now();
        Map<String, ChainAnchor> anchors = Map.of();
        String anchorsProblem = null;
        try {
            anchors = headTopic.latest();
        } catch (RuntimeException e) {
            anchorsProblem = "the published chain heads could not be read: " + e.getMessage();
            log.warn("Verifying without the published chain heads: {}", e.getMessage());
        }
        Map<String, ChainAnchor> published = anchors;
        List<VerifyReport.Chain> chains = snapshots.template().execute(status -> {
            List<VerifyReport.Chain> results = new ArrayList<>();
            Map<String, HeadRow> heads = new java.util.HashMap<>();
            store.heads().forEach(head -> heads.put(head.chainId(), head));
            for (LedgerTable<?> table : Ledgers.all()) {
                java.util.TreeSet<String> chainIds = new java.util.TreeSet<>(store.chainIds(table.ledger()));
                published.values().stream().filter(a -> table.table().equals(a.ledger())).forEach(a -> chainIds.add(a.chainId()));
                for (String chainId : chainIds) {
                    ChainReport report = verifyChain(table, chainId, heads.get(chainId), published.get(chainId));
                    results.add(VerifyReport.Chain.of(table.table(), report));
                }
            }
            return results;
        });
        long rows = chains.stream().mapToLong(VerifyReport.Chain::rowsChecked).sum();
        long erased = chains.stream().mapToLong(VerifyReport.Chain::rowsErased).sum();
        VerifyReport.Link firstBreak = chains.stream().filter(c -> !c.intact()).findFirst()
                .map(c -> new VerifyReport.Link(c.ledger(), c.chainId(), c.firstBreak().seq(), c.firstBreak().kind(), c.firstBreak().detail()))
                .orElse(null);
        VerifyReport report = new VerifyReport(firstBreak == null ? VerifyReport.Status.INTACT : VerifyReport.Status.BROKEN, started,
                anchorsProblem == null, anchorsProblem, rows, erased, firstBreak, chains);
        duration.record(java.time.Duration.between(started, Instant.now()));
        last.set(report);
        if (firstBreak != null) {
            log.error("AUDIT TRAIL BROKEN: {} chain {} at seq {}: {} ({})", firstBreak.ledger(), firstBreak.chainId(), firstBreak.seq(),
                    firstBreak.kind(), firstBreak.detail());
        } else {
            log.info("Audit trail intact: {} chains, {} rows checked, {} erased under retention, published heads {}", chains.size(), rows, erased,
                    anchorsProblem == null ? "compared" : "NOT compared");
        }
        return report;
    }

    /** The last report, if any verification has run. */
    public Optional<VerifyReport> lastReport() {
        return Optional.ofNullable(last.get());
    }

    /**
     * Verifies the rows of a chain after its last published head (all of it when none was
     * published), after checking the published row still carries the published hash.
     */
    public ChainReport verifySince(String chainId, Ledger ledger, ChainAnchor published) {
        return snapshots.template().execute(status -> {
            HeadRow head = store.heads().stream().filter(h -> h.chainId().equals(chainId)).findFirst().orElse(null);
            LedgerTable<?> table = Ledgers.of(ledger);
            if (published == null) {
                return verifyChain(table, chainId, head, null);
            }
            ChainBreak discontinuity = discontinuity(ledger, chainId, published);
            if (discontinuity != null) {
                return new ChainReport(chainId, published.seq() + 1, published.seq(), ChainHash.hex(published.hash()), 0, 0, published.seq(), discontinuity);
            }
            return verifyAfter(table, chainId, head, published);
        });
    }

    private ChainBreak discontinuity(Ledger ledger, String chainId, ChainAnchor published) {
        Optional<byte[]> stored = store.hashAt(ledger, chainId, published.seq());
        if (stored.isPresent()) {
            return Arrays.equals(stored.get(), published.hash()) ? null : new ChainBreak(published.seq(), ChainBreak.Kind.ANCHOR_MISMATCH,
                    "row " + published.seq() + " now has hash " + ChainHash.hex(stored.get()) + " but " + ChainHash.hex(published.hash())
                            + " was published for it at " + published.publishedAt() + ": the chain was rewritten");
        }
        for (Erasure erasure : store.erasures(chainId)) {
            if (erasure.firstSeq() <= published.seq() && published.seq() <= erasure.lastSeq()) {
                boolean consistent = erasure.lastSeq() != published.seq() || Arrays.equals(erasure.lastHash(), published.hash());
                return consistent && signer.verify(erasure) ? null : new ChainBreak(published.seq(), ChainBreak.Kind.ANCHOR_MISMATCH,
                        "published row " + published.seq() + " is covered by an erasure checkpoint that does not match it");
            }
        }
        return new ChainBreak(published.seq(), ChainBreak.Kind.ANCHOR_BEYOND_TABLE, "published row " + published.seq()
                + " is no longer in the table and no erasure checkpoint covers it");
    }

    private <R> ChainReport verifyChain(LedgerTable<R> table, String chainId, HeadRow head, ChainAnchor anchor) {
        ChainVerifier<R>.Run run = new ChainVerifier<>(table.codec(), signer).start(chainId, store.erasures(chainId), anchor);
        store.forEachRow(table, chainId, 0, run::accept);
        return run.finish(head == null ? null : new ChainVerifier.Head(head.seq(), head.hash()));
    }

    private <R> ChainReport verifyAfter(LedgerTable<R> table, String chainId, HeadRow head, ChainAnchor published) {
        ChainVerifier<R>.Run run = new ChainVerifier<>(table.codec(), signer)
                .startAfter(chainId, published.seq(), published.hash(), store.erasures(chainId), null);
        store.forEachRow(table, chainId, published.seq(), run::accept);
        return run.finish(head == null ? null : new ChainVerifier.Head(head.seq(), head.hash()));
    }
}
