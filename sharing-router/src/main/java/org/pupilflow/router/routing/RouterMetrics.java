package org.pupilflow.router.routing;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.decide.Decision;
import org.pupilflow.policy.decide.Evaluation;
import org.pupilflow.sharing.DisclosureOutcome;

/**
 * The router's Prometheus metrics. Names are what the Grafana dashboards query:
 * {@code pupilflow_router_decisions_total{recipient,outcome}},
 * {@code pupilflow_router_withheld_total{recipient,reason}},
 * {@code pupilflow_router_out_of_cohort_total{recipient}},
 * {@code pupilflow_router_not_in_force_total{recipient}},
 * {@code pupilflow_router_dead_letters_total{reason}},
 * {@code pupilflow_router_objections_not_fresh_total{topic}} (freshness timeouts: the record's transaction is aborted and retried),
 * {@code pupilflow_router_objection_freshness_wait_seconds} (records that waited for recent objections, histogram),
 * {@code pupilflow_router_stream_threads_replaced_total}, {@code pupilflow_router_running} (1 while the streams run or rebalance),
 * {@code pupilflow_router_records_total},
 * {@code pupilflow_router_processing_seconds} and {@code pupilflow_router_record_age_seconds}
 * (census publish to decision). Every counter a dashboard or alert uses exists from the start at 0, so a first
 * dead letter is an increase Prometheus can see, and a renamed one fails the metric contract test.
 *
 * <p>Under exactly-once processing a transaction that aborts is processed again, so these
 * counters can run slightly ahead of what was committed; the audit trail is the exact record.
 */
final class RouterMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Counter records;
    private final Timer processing;
    private final Timer recordAge;
    private final Timer freshnessWait;

    RouterMetrics(MeterRegistry registry, List<RecipientRule> recipients) {
        this.registry = registry;
        this.records = Counter.builder("pupilflow.router.records").description("Census records read").register(registry);
        this.processing = Timer.builder("pupilflow.router.processing").description("Time to decide and route one census record")
                .publishPercentileHistogram().register(registry);
        this.recordAge = Timer.builder("pupilflow.router.record.age").description("Time from census publish to routing decision")
                .publishPercentileHistogram().register(registry);
        this.freshnessWait = Timer.builder("pupilflow.router.objection.freshness.wait")
                .description("Time census records waited until recent objections were loaded (only records that had to wait)")
                .publishPercentileHistogram().register(registry);
        for (RecipientRule recipient : recipients) {
            for (DisclosureOutcome outcome : DisclosureOutcome.values()) {
                if (outcome != DisclosureOutcome.UNRECOGNISED) {
                    decisions(recipient.id(), outcome.name());
                }
            }
            outOfCohort(recipient.id());
            notInForce(recipient.id());
            withheld(recipient.id());
        }
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters(reason);
        }
        notFresh();
    }

    /** Stream threads replaced after an uncaught exception (the failed thread's transaction is aborted and its input re-read). */
    static Counter threadsReplaced(MeterRegistry registry) {
        return Counter.builder("pupilflow.router.stream.threads.replaced")
                .description("Stream threads replaced after an uncaught exception").register(registry);
    }

    void routed(Evaluation evaluation, long startedNanos, long recordTimestampMs, long nowMs) {
        records.increment();
        for (Decision decision : evaluation.decisions()) {
            if (decision.outcome() == DisclosureOutcome.WITHHELD) {
                withheld(decision.recipient().id()).increment();
            }
        }
        for (RecipientRule rule : evaluation.outOfCohort()) {
            outOfCohort(rule.id()).increment();
        }
        for (RecipientRule rule : evaluation.notInForce()) {
            notInForce(rule.id()).increment();
        }
        processing.record(Duration.ofNanos(System.nanoTime() - startedNanos));
        if (recordTimestampMs > 0 && nowMs >= recordTimestampMs) {
            recordAge.record(Duration.ofMillis(nowMs - recordTimestampMs));
        }
    }

    /** One audit event forwarded: {@code decisions_total} counts exactly what the audit trail will hold, by outcome. */
    void audited(String recipient, DisclosureOutcome outcome) {
        decisions(recipient, outcome.name()).increment();
    }

    void objectionsNotFresh() {
        notFresh().increment();
    }

    void waitedForObjections(long nanos) {
        freshnessWait.record(Duration.ofNanos(nanos));
    }

    void deadLettered(DeadLetterReason reason) {
        records.increment();
        deadLetters(reason).increment();
    }

    private Counter decisions(String recipient, String outcome) {
        return counter("pupilflow.router.decisions", "Sharing decisions", "recipient", recipient, "outcome", outcome);
    }

    private Counter withheld(String recipient) {
        return counter("pupilflow.router.withheld", "Records withheld from a recipient", "recipient", recipient, "reason", "objection");
    }

    private Counter outOfCohort(String recipient) {
        return counter("pupilflow.router.out.of.cohort", "Pupils outside a recipient's cohort (no decision)", "recipient", recipient, null, null);
    }

    private Counter notInForce(String recipient) {
        return counter("pupilflow.router.not.in.force", "Pupils not shared because the recipient's agreement is not in force", "recipient", recipient, null, null);
    }

    private Counter notFresh() {
        return counter("pupilflow.router.objections.not.fresh", "Census records retried because recent objections were not loaded in time (freshness timeouts)",
                "topic", "objections", null, null);
    }

    private Counter deadLetters(DeadLetterReason reason) {
        return counter("pupilflow.router.dead.letters", "Census records sent to the dead-letter topic", "reason", reason.name().toLowerCase(Locale.ROOT), null, null);
    }

    private Counter counter(String name, String description, String tag1, String value1, String tag2, String value2) {
        String key = name + '|' + value1 + '|' + value2;
        return counters.computeIfAbsent(key, k -> {
            Counter.Builder builder = Counter.builder(name).description(description).tag(tag1, value1);
            if (tag2 != null) {
                builder.tag(tag2, value2);
            }
            return builder.register(registry);
        });
    }
}
