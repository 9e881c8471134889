package org.pupilflow.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Samples a monotonic count of work done (input offsets committed by a consumer group, rows persisted) until it
 * reaches the expected total, then answers the two figures a throughput benchmark should keep apart:
 * <ul>
 * <li>the <b>steady-state rate</b>: work per second between 10% and 90% of the total, so start-up, rebalance,
 *     JIT warm-up and the last straggling commit are outside it and runs of the same size compare;</li>
 * <li>the <b>time to first output</b>: from a start instant to the first sample above zero.</li>
 * </ul>
 * Crossing times are interpolated between samples, so the resolution is finer than the sampling interval.
 */
final class Progress {

    private final List<long[]> samples = new ArrayList<>();   // {nanoTime, count}

    /**
     * Samples {@code count} every {@code interval} until it reaches {@code total}.
     *
     * @param alive called between samples; throws if the system under test died
     * @throws IllegalStateException if the total is not reached within {@code timeout}
     */
    static Progress watch(DoubleSupplier count, long total, Duration interval, Duration timeout, Runnable alive) throws InterruptedException {
        Progress progress = new Progress();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            double value = count.getAsDouble();
            long now = System.nanoTime();
            if (!Double.isNaN(value)) {
                progress.samples.add(new long[] {now, (long) value});
                if (value >= total) {
                    return progress;
                }
            }
            if (now > deadline) {
                throw new IllegalStateException("only " + progress.last() + " of " + total + " done after " + timeout);
            }
            alive.run();
            Thread.sleep(interval.toMillis());
        }
    }

    long last() {
        return samples.isEmpty() ? 0 : samples.get(samples.size() - 1)[1];
    }

    /** Work per second between {@code from} and {@code to} (fractions of {@code total}). */
    double rate(long total, double from, double to) {
        double start = crossing(from * total);
        double end = crossing(to * total);
        return (to - from) * total / ((end - start) / 1e9);
    }

    /** Steady state: 10% to 90% of the total. */
    double steadyRate(long total) {
        return rate(total, 0.1, 0.9);
    }

    /** Seconds from {@code startNanos} to the first sample with any work done. */
    double secondsToFirst(long startNanos) {
        for (long[] sample : samples) {
            if (sample[1] > 0) {
                return (sample[0] - startNanos) / 1e9;
            }
        }
        return Double.NaN;
    }

    /** Seconds from {@code startNanos} until the total was reached. */
    double secondsToEnd(long startNanos) {
        return (samples.get(samples.size() - 1)[0] - startNanos) / 1e9;
    }

    /** Nano time at which the count crossed {@code value}, interpolated linearly between the samples around it. */
    double crossing(double value) {
        long[] before = null;
        for (long[] sample : samples) {
            if (sample[1] >= value) {
                if (before == null || sample[1] == before[1]) {
                    return sample[0];
                }
                return before[0] + (sample[0] - before[0]) * (value - before[1]) / (sample[1] - before[1]);
            }
            before = sample;
        }
        throw new IllegalStateException("never reached " + value);
    }
}
