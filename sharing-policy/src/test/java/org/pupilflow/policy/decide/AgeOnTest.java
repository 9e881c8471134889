package org.pupilflow.policy.decide;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.Period;

import org.junit.jupiter.api.Test;

/** Ages are whole years exactly as {@link Period} counts them, 29 February and dates before the birth included. */
class AgeOnTest {

    @Test
    void ageIsPeriodsWholeYearsForEveryPairOfDatesAroundBirthdaysAndLeapDays() {
        LocalDate[] births = {LocalDate.of(2008, 2, 29), LocalDate.of(2010, 3, 1), LocalDate.of(2012, 12, 31), LocalDate.of(2011, 1, 1),
                LocalDate.of(2016, 2, 28), LocalDate.of(2030, 6, 15)};
        int checked = 0;
        for (LocalDate birth : births) {
            for (LocalDate date = LocalDate.of(2024, 1, 1); date.isBefore(LocalDate.of(2032, 1, 1)); date = date.plusDays(1)) {
                assertThat(SharingEngine.ageOn(birth, date)).as("%s on %s", birth, date).isEqualTo(Period.between(birth, date).getYears());
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(10_000);
    }
}
