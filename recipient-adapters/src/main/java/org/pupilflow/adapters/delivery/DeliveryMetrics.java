package org.pupilflow.adapters.delivery;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.pupilflow.sharing.DeliveryOutcome;

/**
 * Delivery metrics per recipient and channel, for the ops dashboards:
 * {@code pupilflow_adapters_receipts_total{recipient,channel,outcome}} (delivered, failed, rejected — counted when the
 * receipt commits), {@code pupilflow_adapters_retries_total}, {@code pupilflow_adapters_dead_letters_total{recipient,reason}}
 * and {@code pupilflow_adapters_oldest_undelivered_age_seconds} (the oldest record fetched and not yet finished; 0 when none).
 */
public final class DeliveryMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, AtomicLong> oldestUndelivered = new ConcurrentHashMap<>();

    public DeliveryMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Registers a recipient's meters up front, so dashboards show zeros rather than gaps. */
    public void register(String recipient, String channel) {
        for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
            receipts(recipient, channel, outcome);
        }
        retries(recipient, channel);
        for (String reason : Outcome.DEAD_LETTER_REASONS) {
            deadLetters(recipient, reason);
        }
        AtomicLong oldest = oldestUndelivered.computeIfAbsent(recipient, r -> new AtomicLong(-1));
        Gauge.builder("pupilflow.adapters.oldest.undelivered.age", oldest, value -> {
            long at = value.get();
            return at < 0 ? 0 : Math.max(0, (clock.millis() - at) / 1000.0);
        }).baseUnit("seconds").description("Age of the oldest record fetched for the recipient and not yet delivered, refused or failed")
                .tag("recipient", recipient).tag("channel", channel).register(registry);
    }

    public void committed(String recipient, String channel, Outcome outcome) {
        if (outcome.receipt() != null) {
            receipts(recipient, channel, outcome.receipt()).increment();
        }
        if (outcome.deadLetter() != null) {
            deadLetters(recipient, outcome.deadLetter()).increment();
        }
    }

    public void retried(String recipient, String channel) {
        retries(recipient, channel).increment();
    }

    /** The disclosure time of the oldest record not yet finished, or -1. */
    public void oldestUndelivered(String recipient, long disclosedAtMillis) {
        oldestUndelivered.computeIfAbsent(recipient, r -> new AtomicLong(-1)).set(disclosedAtMillis);
    }

    private Counter receipts(String recipient, String channel, DeliveryOutcome outcome) {
        return Counter.builder("pupilflow.adapters.receipts").description("Delivery receipts written, by outcome")
                .tag("recipient", recipient).tag("channel", channel).tag("outcome", outcome.name()).register(registry);
    }

    private Counter deadLetters(String recipient, String reason) {
        return Counter.builder("pupilflow.adapters.dead.letters").description("Records sent to the recipient's dead-letter topic")
                .tag("recipient", recipient).tag("reason", reason).register(registry);
    }

    private Counter retries(String recipient, String channel) {
        return Counter.builder("pupilflow.adapters.retries").description("Failed attempts that will be retried")
                .tag("recipient", recipient).tag("channel", channel).register(registry);
    }
}
