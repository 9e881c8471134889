package org.pupilflow.adapters.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * When to try a failed webhook delivery again, and when to stop: exponential backoff with full
 * jitter (a random delay between zero and the exponential ceiling, so many deliveries failing
 * together do not come back together and knock the receiver over again), unless the receiver
 * said when to come back.
 *
 * <p>Attempt numbers count delivery attempts already made: after the first failed attempt,
 * {@code nextDelay(1)} is drawn from {@code [0, initialInterval]}, after the second from
 * {@code [0, initialInterval × multiplier]}, and so on up to {@code maxInterval}.
 *
 * @param initialInterval ceiling of the first delay
 * @param multiplier      growth of the ceiling per attempt, at least 1
 * @param maxInterval     the ceiling never exceeds this
 * @param maxAttempts     give up once this many attempts have been made
 * @param maxAge          give up once this long has passed since the first attempt
 * @param random          source of the jitter; the schedule is otherwise immutable. Must be
 *                        thread-safe if the schedule is shared between threads (the default
 *                        {@link Random} is).
 */
public record RetrySchedule(Duration initialInterval, double multiplier, Duration maxInterval, int maxAttempts, Duration maxAge,
                            RandomGenerator random) {

    public static final Duration DEFAULT_INITIAL_INTERVAL = Duration.ofSeconds(1);
    public static final double DEFAULT_MULTIPLIER = 2;
    /** Long enough that a recipient down for an afternoon loses nothing; {@link #DEFAULT_MAX_AGE} bounds the whole. */
    public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofMinutes(15);
    public static final int DEFAULT_MAX_ATTEMPTS = 100;
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);

    public RetrySchedule {
        positive(initialInterval, "initialInterval");
        positive(maxInterval, "maxInterval");
        positive(maxAge, "maxAge");
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number of at least 1, was " + multiplier);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialInterval.compareTo(maxInterval) > 0) {
            throw new IllegalArgumentException("initialInterval " + initialInterval + " exceeds maxInterval " + maxInterval);
        }
        Objects.requireNonNull(random, "random");
    }

    /** Initial 1 s, multiplier 2, max interval 15 min, 100 attempts, 24 h. */
    public static RetrySchedule defaults() {
        return new RetrySchedule(DEFAULT_INITIAL_INTERVAL, DEFAULT_MULTIPLIER, DEFAULT_MAX_INTERVAL, DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_AGE,
                new Random());
    }

    /** The same schedule drawing its jitter from {@code newRandom}. */
    public RetrySchedule withRandom(RandomGenerator newRandom) {
        return new RetrySchedule(initialInterval, multiplier, maxInterval, maxAttempts, maxAge, newRandom);
    }

    /** The same schedule with repeatable jitter, for tests. */
    public RetrySchedule withSeed(long seed) {
        return withRandom(new Random(seed));
    }

    /** The delay before the next attempt, after {@code attemptsMade} attempts: random in {@code [0, ceiling(attemptsMade)]}. */
    public Duration nextDelay(int attemptsMade) {
        long ceilingMillis = ceiling(attemptsMade).toMillis();
        return Duration.ofMillis(random.nextLong(ceilingMillis + 1));
    }

    /**
     * The receiver's {@code Retry-After} when it gave one, else {@link #nextDelay(int)}. The
     * receiver's wait is honoured as given, even beyond {@code maxInterval}: coming back sooner
     * than asked only earns another refusal. A wait longer than the schedule has left ends in
     * {@link #giveUp} instead.
     */
    public Duration nextDelay(int attemptsMade, Optional<Duration> retryAfter) {
        requireAttempt(attemptsMade);
        return retryAfter.filter(wait -> !wait.isNegative()).orElseGet(() -> nextDelay(attemptsMade));
    }

    /** The upper bound of the jittered delay after {@code attemptsMade} attempts. */
    public Duration ceiling(int attemptsMade) {
        requireAttempt(attemptsMade);
        // In doubles, so a large attempt number saturates at maxInterval instead of overflowing.
        double exponential = initialInterval.toMillis() * Math.pow(multiplier, attemptsMade - 1);
        return Duration.ofMillis((long) Math.min(maxInterval.toMillis(), exponential));
    }

    /**
     * Whether to stop retrying: {@code attemptsMade} reached {@code maxAttempts}, or {@code maxAge}
     * has passed since {@code firstAttemptAt} (or since the record was written, if that is the
     * start the caller measures from).
     */
    public boolean giveUp(int attemptsMade, Instant firstAttemptAt, Instant now) {
        return attemptsMade >= maxAttempts || Duration.between(firstAttemptAt, now).compareTo(maxAge) >= 0;
    }

    private static void requireAttempt(int attemptsMade) {
        if (attemptsMade < 1) {
            throw new IllegalArgumentException("A delay follows a failed attempt: attemptsMade must be at least 1, was " + attemptsMade);
        }
    }

    private static void positive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
