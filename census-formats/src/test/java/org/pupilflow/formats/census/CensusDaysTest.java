package org.pupilflow.formats.census;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pupilflow.census.CensusTerm;

class CensusDaysTest {

    @ParameterizedTest(name = "{1} census of {0}/..: {2}")
    @CsvSource({
        "2025, AUTUMN, 2025-10-02",
        "2025, SPRING, 2026-01-15",
        "2025, SUMMER, 2026-05-21",
        "2023, AUTUMN, 2023-10-05",
        "2023, SPRING, 2024-01-18",
        "2023, SUMMER, 2024-05-16",
        "2026, AUTUMN, 2026-10-01"})
    void theDfeRuleIsTheFirstThursdayOfOctoberAndTheThirdThursdaysOfJanuaryAndMay(int year, CensusTerm term, LocalDate expected) {
        assertThat(CensusDays.ruleDay(year, term)).isEqualTo(expected).satisfies(d -> assertThat(d.getDayOfWeek()).isEqualTo(DayOfWeek.THURSDAY));
        assertThat(CensusDays.dfeRule().censusDay(year, term)).isEqualTo(expected);
    }

    @Test
    void anOverrideReplacesTheRuleForItsYearAndTermOnly() {
        CensusDays days = CensusDays.withOverrides(Map.of(2025, Map.of(CensusTerm.SPRING, LocalDate.of(2026, 1, 22))));

        assertThat(days.censusDay(2025, CensusTerm.SPRING)).isEqualTo(LocalDate.of(2026, 1, 22));
        assertThat(days.censusDay(2025, CensusTerm.SUMMER)).isEqualTo(LocalDate.of(2026, 5, 21));
        assertThat(days.censusDay(2024, CensusTerm.SPRING)).isEqualTo(LocalDate.of(2025, 1, 16));
        assertThat(days.override(2025, CensusTerm.SPRING)).isNotNull();
        assertThat(days.override(2025, CensusTerm.AUTUMN)).isNull();
    }

    @Test
    void anOverrideOutsideItsTermIsRefusedNamingTheCensus() {
        assertThatThrownBy(() -> CensusDays.withOverrides(Map.of(2025, Map.of(CensusTerm.SPRING, LocalDate.of(2025, 1, 22)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The census day override 2025-01-22 for the spring census of 2025/26 is not in that term (January to March 2026)");
        assertThatThrownBy(() -> CensusDays.withOverrides(Map.of(2025, Map.of(CensusTerm.AUTUMN, LocalDate.of(2026, 10, 1)))))
                .hasMessageContaining("autumn census of 2025/26").hasMessageContaining("September to December 2025");
        assertThatThrownBy(() -> CensusDays.withOverrides(Map.of(2025, Map.of(CensusTerm.SUMMER, LocalDate.of(2026, 8, 1)))))
                .hasMessageContaining("April to July 2026");
    }

    @ParameterizedTest(name = "{0}: {1}, academic year {2}")
    @CsvSource({
        "2026-01-20, SPRING, 2025",
        "2026-03-31, SPRING, 2025",
        "2026-04-01, SUMMER, 2025",
        "2026-08-31, SUMMER, 2025",
        "2026-09-01, AUTUMN, 2026",
        "2026-12-31, AUTUMN, 2026"})
    void aDayFallsInATermAndAnAcademicYear(LocalDate day, CensusTerm term, int academicYear) {
        assertThat(CensusDays.termOf(day)).isEqualTo(term);
        assertThat(CensusDays.academicYearStart(day)).isEqualTo(academicYear);
    }
}
