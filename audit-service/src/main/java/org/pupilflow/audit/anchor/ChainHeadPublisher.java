package org.pupilflow.audit.anchor;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.pupilflow.audit.chain.ChainAnchor;
import org.pupilflow.audit.chain.ChainHash;
import org.pupilflow.audit.chain.ChainReport;
import org.pupilflow.audit.chain.CheckpointSigner;
import org.pupilflow.audit.store.ChainStore;
import org.pupilflow.audit.store.ChainStore.HeadRow;
import org.pupilflow.audit.verify.VerificationService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Publishes each chain's head to {@code audit.chain-heads} (run every
 * {@code pupilflow.audit.anchor-interval}). A head is published only if it extends the previously
 * published one: the published row must still carry the published hash and every row since must
 * verify. Otherwise nothing is published for that chain (so a rewritten table is never blessed),
 * an error is logged and {@code pupilflow_audit_anchors_refused_total} counts it.
 */
@Component
public class ChainHeadPublisher {

    private static final Logger log = LoggerFactory.getLogger(ChainHeadPublisher.class);

    private final ChainStore store;
    private final ChainHeadTopic topic;
    private final VerificationService verification;
    private final CheckpointSigner signer;
    private final Map<String, ChainAnchor> published = new ConcurrentHashMap<>();
    private final Counter publishedCount;
    private final Counter refusedCount;
    private boolean loaded;

    public ChainHeadPublisher(ChainStore store, ChainHeadTopic topic, VerificationService verification, CheckpointSigner signer, MeterRegistry registry) {
        this.store = store;
        this.topic = topic;
        this.verification = verification;
        this.signer = signer;
        this.publishedCount = Counter.builder("pupilflow.audit.anchors.published").description("Chain heads published to the chain-heads topic").register(registry);
        this.refusedCount = Counter.builder("pupilflow.audit.anchors.refused")
                .description("Chain heads NOT published because the chain no longer extends its last published head").register(registry);
    }

    /** Publishes every chain head that moved since it was last published; returns how many were published. */
    public synchronized int publishHeads() {
        if (!loaded) {
            published.putAll(topic.latest());
            loaded = true;
        }
        int count = 0;
        for (HeadRow head : store.heads()) {
            ChainAnchor last = published.get(head.chainId());
            if (head.seq() == 0 || last != null && last.seq() == head.seq() && Arrays.equals(last.hash(), head.hash())) {
                continue;
            }
            ChainReport segment = verification.verifySince(head.chainId(), head.ledger(), last);
            if (!segment.intact()) {
                refusedCount.increment();
                log.error("NOT publishing the head of {} {}: it does not extend the head published at seq {}: {} at seq {}: {}", head.ledger().table(),
                        head.chainId(), last == null ? 0 : last.seq(), segment.firstBreak().kind(), segment.firstBreak().seq(), segment.firstBreak().detail());
                continue;
            }
            ChainAnchor anchor = new ChainAnchor(head.chainId(), head.ledger().table(), segment.lastSeq(), ChainHash.fromHex(segment.lastHash()),
                    Instant.now().truncatedTo(ChronoUnit.MICROS), null).signedWith(signer);
            topic.publish(anchor);
            published.put(head.chainId(), anchor);
            publishedCount.increment();
            count++;
        }
        return count;
    }
}
