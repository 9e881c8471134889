package org.pupilflow.adapters.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final Instant FIRST_ATTEMPT = Instant.parse("2026-01-20T09:00:00Z");

    @Test
    void defaultsAreOneSecondDoublingToFifteenMinutesForAHundredAttemptsOrADay() {
        RetrySchedule defaults = RetrySchedule.defaults();

        assertThat(defaults.initialInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.multiplier()).isEqualTo(2.0);
        assertThat(defaults.maxInterval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(defaults.maxAttempts()).isEqualTo(100);
        assertThat(defaults.maxAge()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void ceilingGrowsExponentiallyUntilTheMaximumInterval() {
        RetrySchedule schedule = RetrySchedule.defaults();

        assertThat(List.of(1, 2, 3, 4, 9, 10, 11)).extracting(schedule::ceiling).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(256), Duration.ofSeconds(512), Duration.ofMinutes(15));
        assertThat(schedule.ceiling(1_000_000)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void everyDelayOverManySeedsLiesBetweenZeroAndItsCeilingAndUsesTheWholeRange() {
        for (int attempt = 1; attempt <= 15; attempt++) {
            Duration ceiling = RetrySchedule.defaults().ceiling(attempt);
            List<Duration> delays = new ArrayList<>();
            for (long seed = 0; seed < 500; seed++) {
                delays.add(RetrySchedule.defaults().withSeed(seed).nextDelay(attempt));
            }

            assertThat(delays).allSatisfy(delay -> assertThat(delay).isBetween(Duration.ZERO, ceiling));
            // Full jitter: delays spread over the whole range, not bunched at the ceiling.
            assertThat(delays).anyMatch(delay -> delay.compareTo(ceiling.dividedBy(4)) < 0)
                    .anyMatch(delay -> delay.compareTo(ceiling.multipliedBy(3).dividedBy(4)) > 0);
        }
    }

    @Test
    void sameSeedGivesTheSameDelays() {
        RetrySchedule first = RetrySchedule.defaults().withSeed(42);
        RetrySchedule second = RetrySchedule.defaults().withSeed(42);

        for (int attempt = 1; attempt <= 12; attempt++) {
            assertThat(first.nextDelay(attempt)).isEqualTo(second.nextDelay(attempt));
        }
    }

    @Test
    void receiversRetryAfterIsHonouredAsGivenEvenBeyondTheMaximumInterval() {
        RetrySchedule schedule = RetrySchedule.defaults().withSeed(7);

        assertThat(schedule.nextDelay(1, Optional.of(Duration.ofSeconds(7)))).isEqualTo(Duration.ofSeconds(7));
        assertThat(schedule.nextDelay(12, Optional.of(Duration.ofMinutes(30)))).isEqualTo(Duration.ofMinutes(30));
        assertThat(schedule.nextDelay(3, Optional.empty())).isBetween(Duration.ZERO, Duration.ofSeconds(4));
    }

    @Test
    void givesUpOnceTheAttemptsAreUsed() {
        RetrySchedule schedule = RetrySchedule.defaults();
        Instant soon = FIRST_ATTEMPT.plusSeconds(60);

        assertThat(schedule.giveUp(RetrySchedule.DEFAULT_MAX_ATTEMPTS - 1, FIRST_ATTEMPT, soon)).isFalse();
        assertThat(schedule.giveUp(RetrySchedule.DEFAULT_MAX_ATTEMPTS, FIRST_ATTEMPT, soon)).isTrue();
    }

    @Test
    void givesUpOnceTheDeliveryIsTooOldWhateverTheAttempts() {
        RetrySchedule schedule = RetrySchedule.defaults();

        assertThat(schedule.giveUp(2, FIRST_ATTEMPT, FIRST_ATTEMPT.plus(Duration.ofHours(24)).minusMillis(1))).isFalse();
        assertThat(schedule.giveUp(2, FIRST_ATTEMPT, FIRST_ATTEMPT.plus(Duration.ofHours(24)))).isTrue();
    }

    @Test
    void refusesSchedulesThatCannotWork() {
        Duration second = Duration.ofSeconds(1);
        Duration minute = Duration.ofMinutes(1);
        Random random = new Random(1);

        assertThatThrownBy(() -> new RetrySchedule(Duration.ZERO, 2, minute, 3, minute, random)).hasMessageContaining("initialInterval");
        assertThatThrownBy(() -> new RetrySchedule(second, 0.5, minute, 3, minute, random)).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new RetrySchedule(second, Double.NaN, minute, 3, minute, random)).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new RetrySchedule(second, 2, Duration.ofSeconds(-1), 3, minute, random)).hasMessageContaining("maxInterval");
        assertThatThrownBy(() -> new RetrySchedule(minute, 2, second, 3, minute, random)).hasMessageContaining("exceeds maxInterval");
        assertThatThrownBy(() -> new RetrySchedule(second, 2, minute, 0, minute, random)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new RetrySchedule(second, 2, minute, 3, null, random)).hasMessageContaining("maxAge");
        assertThatThrownBy(() -> RetrySchedule.defaults().nextDelay(0)).hasMessageContaining("at least 1");
    }
}
