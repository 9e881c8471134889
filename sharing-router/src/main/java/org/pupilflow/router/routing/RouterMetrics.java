package org.pupilflow.router.routing;

import java.time.Duration;
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
 * {@code pupilflow_router_records_total},
 * {@code pupilflow_router_processing_seconds} and {@code pupilflow_router_record_age_seconds}
 * (census publish to decision).
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

    RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.records = Counter.builder("pupilflow.router.records").description("Census records read").register(registry);
        this.processing = Timer.builder("pupilflow.router.processing").description("Time to decide and route one census record")
                .publishPercentileHistogram().register(registry);
        this.recordAge = Timer.builder("pupilflow.router.record.age").description("Time from census publish to routing decision")
                .publishPercentileHistogram().register(registry);
    }

    void routed(Evaluation evaluation, long startedNanos, long recordTimestampMs, long nowMs) {
        records.increment();
        for (Decision decision : evaluation.decisions()) {
            counter("pupilflow.router.decisions", "Sharing decisions", "recipient", decision.recipient().id(),
                    "outcome", decision.outcome().name()).increment();
            if (decision.outcome() == DisclosureOutcome.WITHHELD) {
                counter("pupilflow.router.withheld", "Records withheld from a recipient", "recipient", decision.recipient().id(),
                        "reason", "objection").increment();
            }
        }
        for (RecipientRule rule : evaluation.outOfCohort()) {
            counter("pupilflow.router.out.of.cohort", "Pupils outside a recipient's cohort (no decision)", "recipient", rule.id(), null, null).increment();
        }
        for (RecipientRule rule : evaluation.notInForce()) {
            counter("pupilflow.router.not.in.force", "Pupils not shared because the recipient's agreement is not in force", "recipient", rule.id(), null, null).increment();
        }
        processing.record(Duration.ofNanos(System.nanoTime() - startedNanos));
        if (recordTimestampMs > 0 && nowMs >= recordTimestampMs) {
            recordAge.record(Duration.ofMillis(nowMs - recordTimestampMs));
        }
    }

    void objectionsNotFresh() {
        counter("pupilflow.router.objections.not.fresh", "Census records retried because recent objections were not yet loaded", "topic", "objections", null, null).increment();
    }

    void deadLettered(DeadLetterReason reason) {
        records.increment();
        counter("pupilflow.router.dead.letters", "Census records sent to the dead-letter topic", "reason", reason.name().toLowerCase(Locale.ROOT), null, null).increment();
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
