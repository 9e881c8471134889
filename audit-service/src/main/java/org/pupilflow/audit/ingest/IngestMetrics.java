package org.pupilflow.audit.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.pupilflow.audit.store.Ledger;
import org.springframework.stereotype.Component;

/**
 * Ingest metrics, as Prometheus names: {@code pupilflow_audit_events_persisted_total{ledger}},
 * {@code pupilflow_audit_events_duplicate_total{ledger}},
 * {@code pupilflow_audit_dead_letters_total{ledger,reason}} (events that could NOT be audited),
 * {@code pupilflow_audit_batch_seconds{ledger}} (one database transaction, histogram) and
 * {@code pupilflow_audit_batch_failures_total{ledger}} (batches the database refused; retried).
 * Consumer lag is Kafka's own {@code kafka_consumer_fetch_manager_records_lag_max}.
 */
@Component
public class IngestMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<Ledger, Timer> batches = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Ledger ledger : Ledger.values()) {
            persisted(ledger, 0);
            duplicates(ledger, 0);
            counter("pupilflow.audit.batch.failures", "Batches the database refused (retried, consumption paused)", ledger, null);
            batchTimer(ledger);
            for (String reason : new String[] {AuditBatchListener.UNDECODABLE, AuditBatchListener.UNSTORABLE}) {
                counter("pupilflow.audit.dead.letters", "Events that could not be audited and went to the dead-letter topic", ledger, reason);
            }
        }
    }

    void persisted(Ledger ledger, int count) {
        counter("pupilflow.audit.events.persisted", "Audit events stored", ledger, null).increment(count);
    }

    void duplicates(Ledger ledger, int count) {
        counter("pupilflow.audit.events.duplicate", "Audit events already stored, skipped", ledger, null).increment(count);
    }

    void deadLettered(Ledger ledger, String reason) {
        counter("pupilflow.audit.dead.letters", "Events that could not be audited and went to the dead-letter topic", ledger, reason).increment();
    }

    void batchFailed(Ledger ledger) {
        counter("pupilflow.audit.batch.failures", "Batches the database refused (retried, consumption paused)", ledger, null).increment();
    }

    Timer batchTimer(Ledger ledger) {
        return batches.computeIfAbsent(ledger, l -> Timer.builder("pupilflow.audit.batch").description("Time to persist one batch in one database transaction")
                .tag("ledger", l.table()).publishPercentileHistogram().register(registry));
    }

    private Counter counter(String name, String description, Ledger ledger, String reason) {
        return counters.computeIfAbsent(name + '|' + ledger + '|' + reason, key -> {
            Counter.Builder builder = Counter.builder(name).description(description).tag("ledger", ledger.table());
            if (reason != null) {
                builder.tag("reason", reason);
            }
            return builder.register(registry);
        });
    }
}
