package org.pupilflow.router.lag;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.InterruptException;
import org.pupilflow.kafka.login.BrokerLogin;
import org.pupilflow.schemas.topics.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Every {@code interval}, how far each collector is behind: for every recipient topic, each consumer group that
 * collects it (the recipient's own groups, or recipient-adapters' group for a webhook or file-drop recipient), and for
 * audit-service on its two input topics. Exported as
 * <ul>
 * <li>{@code pupilflow_recipient_lag_records{recipient,topic,group}} and
 *     {@code pupilflow_recipient_oldest_uncollected_age_seconds{recipient,topic,group}} — {@code group="none"} while no
 *     group of the recipient has committed anything, counting every record still on the topic;</li>
 * <li>{@code pupilflow_audit_lag_records{topic}} and {@code pupilflow_audit_oldest_unpersisted_age_seconds{topic}};</li>
 * <li>{@code pupilflow_recipient_lag_check_failures_total}.</li>
 * </ul>
 * The router watches because it writes these topics and keeps running when audit-service or a recipient does not —
 * which is exactly when the numbers matter. Offsets come from the Admin API; the oldest record's timestamp from one
 * fetch of one record, whose value is dropped undecoded (the router wrote every byte of it).
 */
public final class LagWatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LagWatcher.class);
    static final String NO_GROUP = "none";

    private final Map<String, Object> clientConfig;
    private final List<Collection> collections;
    private final Duration interval;
    private final Clock clock;
    private final MultiGauge recipientLag;
    private final MultiGauge recipientAge;
    private final MultiGauge auditLag;
    private final MultiGauge auditAge;
    private final Counter failures;
    private volatile Thread thread;
    /** The rows' values: gauges hold their objects weakly, so the last published rows are kept here. */
    private volatile List<List<MultiGauge.Row<?>>> published = List.of();

    public LagWatcher(Map<String, Object> clientConfig, List<Collection> collections, Duration interval, Clock clock, MeterRegistry registry) {
        this.clientConfig = clientConfig;
        this.collections = List.copyOf(collections);
        this.interval = interval;
        this.clock = clock;
        this.recipientLag = MultiGauge.builder("pupilflow.recipient.lag").baseUnit("records")
                .description("Records on the recipient's topic the consumer group has not collected (committed past)").register(registry);
        this.recipientAge = MultiGauge.builder("pupilflow.recipient.oldest.uncollected.age").baseUnit("seconds")
                .description("Age of the oldest record on the recipient's topic the consumer group has not collected (0 when none)").register(registry);
        this.auditLag = MultiGauge.builder("pupilflow.audit.lag").baseUnit("records")
                .description("Records on audit-service's input topic it has not persisted (committed past)").register(registry);
        this.auditAge = MultiGauge.builder("pupilflow.audit.oldest.unpersisted.age").baseUnit("seconds")
                .description("Age of the oldest record on audit-service's input topic not yet persisted (0 when none)").register(registry);
        this.failures = Counter.builder("pupilflow.recipient.lag.check.failures")
                .description("Lag checks that failed (broker unreachable, permission refused)").register(registry);
    }

    /** One measurement of one collector on one topic. */
    record Measurement(Collection collection, String group, CollectionLag.Lag lag) {
    }

    /** Measures every collection once. */
    static List<Measurement> measure(OffsetIndex index, List<Collection> collections) throws Exception {
        Set<String> groups = index.groups();
        Map<String, Map<Integer, Long>> earliest = new HashMap<>();
        Map<String, Map<Integer, Long>> ends = new HashMap<>();
        List<Measurement> measurements = new ArrayList<>();
        for (Collection collection : collections) {
            String topic = collection.topic();
            Map<Integer, Long> start = earliest.computeIfAbsent(topic, t -> uncheckedOffsets(() -> index.earliest(t)));
            Map<Integer, Long> end = ends.computeIfAbsent(topic, t -> uncheckedOffsets(() -> index.latestCommitted(t)));
            boolean anyGroup = false;
            for (String group : groups) {
                if (!collection.collectedBy(group)) {
                    continue;
                }
                Map<Integer, Long> committed = index.committed(group, topic);
                if (committed.isEmpty()) {
                    continue;   // a group of the recipient that never collected this topic (e.g. it tried another one)
                }
                anyGroup = true;
                measurements.add(new Measurement(collection, group, CollectionLag.of(index, topic, start, end, committed)));
            }
            if (!anyGroup) {
                measurements.add(new Measurement(collection, NO_GROUP, CollectionLag.of(index, topic, start, end, Map.of())));
            }
        }
        return measurements;
    }

    private interface OffsetsCall {
        Map<Integer, Long> call() throws Exception;
    }

    private static Map<Integer, Long> uncheckedOffsets(OffsetsCall call) {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void publish(List<Measurement> measurements) {
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        List<MultiGauge.Row<?>> auditLagRows = new ArrayList<>();
        List<MultiGauge.Row<?>> auditAgeRows = new ArrayList<>();
        for (Measurement measurement : measurements) {
            Optional<Long> oldest = measurement.lag().oldestMs();
            Collection collection = measurement.collection();
            if (collection.kind() == Collection.Kind.RECIPIENT) {
                Tags tags = Tags.of("recipient", collection.owner(), "topic", collection.topic(), "group", measurement.group());
                lagRows.add(MultiGauge.Row.of(tags, measurement.lag().records()));
                // The age keeps growing between checks: computed when scraped.
                ageRows.add(MultiGauge.Row.of(tags, oldest, at -> ageSeconds(at)));
            } else {
                Tags tags = Tags.of("topic", collection.topic());
                auditLagRows.add(MultiGauge.Row.of(tags, measurement.lag().records()));
                auditAgeRows.add(MultiGauge.Row.of(tags, oldest, at -> ageSeconds(at)));
            }
        }
        published = List.of(lagRows, ageRows, auditLagRows, auditAgeRows);
        recipientLag.register(lagRows, true);
        recipientAge.register(ageRows, true);
        auditLag.register(auditLagRows, true);
        auditAge.register(auditAgeRows, true);
    }

    private double ageSeconds(Optional<Long> oldestMs) {
        return oldestMs.map(at -> Math.max(0, clock.millis() - at) / 1000.0).orElse(0.0);
    }

    @Override
    public void start() {
        if (interval.isZero() || interval.isNegative()) {
            log.info("Not measuring recipient and audit lag: pupilflow.router.lag-watch.interval is {}", interval);
            return;
        }
        Thread watcher = new Thread(this::watch, "lag-watcher");
        watcher.setDaemon(true);
        thread = watcher;
        watcher.start();
    }

    private void watch() {
        // Both clients live and die on this thread (a consumer is not thread-safe).
        try (Admin admin = Admin.create(clientConfig); Consumer<byte[], byte[]> reader = AdminOffsetIndex.timestampReader(clientConfig)) {
            AdminOffsetIndex index = new AdminOffsetIndex(admin, reader, Duration.ofSeconds(10));
            boolean refused = false;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    publish(measure(index, collections));
                    refused = false;
                } catch (InterruptedException | InterruptException e) {
                    return;
                } catch (Exception e) {
                    failures.increment();
                    index.forgetPartitions();
                    if (BrokerLogin.isRefusal(e)) {
                        if (!refused) {
                            log.error("{}; recipient and audit lag are not measured until it is fixed", BrokerLogin.describeRefusal(e, clientConfig));
                        }
                        refused = true;
                    } else {
                        log.warn("Lag check failed ({}); trying again in {}", e.toString(), interval);
                    }
                }
                Thread.sleep(interval.toMillis());
            }
        } catch (InterruptedException | InterruptException e) {
            // stopping
        } catch (RuntimeException e) {
            log.error("The lag watcher stopped: {}", e.toString(), e);
        }
    }

    @Override
    public void stop() {
        Thread running = thread;
        thread = null;
        if (running != null) {
            running.interrupt();
            try {
                running.join(Duration.ofSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
