package org.pupilflow.ingest.returns;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * census-ingest's Prometheus metrics: {@code pupilflow_ingest_returns_total{outcome}},
 * {@code pupilflow_ingest_records_total{outcome}} (accepted / rejected),
 * {@code pupilflow_ingest_record_issues_total{rule}}, {@code pupilflow_ingest_bytes_total},
 * {@code pupilflow_ingest_return_seconds} (read, validate and publish one return) and
 * {@code pupilflow_ingest_parse_rate} (pupils per second of the last return).
 */
public final class IngestMetrics {

    private final MeterRegistry registry;
    private final Timer returnTimer;
    private final Counter bytes;
    private volatile double lastRate;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.returnTimer = Timer.builder("pupilflow.ingest.return").description("Time to read, validate and publish one return").publishPercentileHistogram().register(registry);
        this.bytes = Counter.builder("pupilflow.ingest.bytes").description("Bytes of census returns read").baseUnit("bytes").register(registry);
        registry.gauge("pupilflow.ingest.parse.rate", this, metrics -> metrics.lastRate);
        for (ReturnStatus status : ReturnStatus.values()) {
            if (status != ReturnStatus.PROCESSING) {
                returns(status);
            }
        }
        for (String outcome : new String[] {"accepted", "rejected"}) {
            Counter.builder("pupilflow.ingest.records").tag("outcome", outcome).register(registry);
        }
    }

    private Counter returns(ReturnStatus status) {
        return Counter.builder("pupilflow.ingest.returns").description("Census returns by outcome")
                .tag("outcome", status.name().toLowerCase(Locale.ROOT)).register(registry);
    }

    void returned(ReturnReport report, long nanos) {
        returns(report.status()).increment();
        Counter.builder("pupilflow.ingest.records").tag("outcome", "accepted").register(registry).increment(report.valid());
        Counter.builder("pupilflow.ingest.records").tag("outcome", "rejected").register(registry).increment(report.invalid());
        for (Map.Entry<String, Long> rule : report.issuesByRule().entrySet()) {
            Counter.builder("pupilflow.ingest.record.issues").description("Record issues by validation rule")
                    .tag("rule", rule.getKey()).register(registry).increment(rule.getValue());
        }
        bytes.increment(report.bytes());
        returnTimer.record(Duration.ofNanos(nanos));
        if (nanos > 0 && report.records() > 0) {
            lastRate = report.records() / (nanos / 1e9);
        }
    }

    void registryWriteFailed() {
        Counter.builder("pupilflow.ingest.registry.write.failures").description("Return reports that could not be written to the registry topic")
                .register(registry).increment();
    }
}
