package org.pupilflow.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pupilflow.census.CensusTerm;
import org.pupilflow.ingest.IngestProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code pupilflow.ingest.census-days.overrides}: bound as configured, refused at start when it cannot be right. */
class CensusDayOverridesTest {

    private static IngestProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bind("pupilflow.ingest", IngestProperties.class).get();
    }

    @Test
    void overridesBindPerAcademicYearAndTerm() {
        IngestProperties properties = bind(Map.of(
                "pupilflow.ingest.partitions", "6",
                "pupilflow.ingest.census-days.overrides.2025.spring", "2026-01-22",
                "pupilflow.ingest.census-days.overrides.2026.AUTUMN", "2026-10-08"));

        var days = properties.censusDays().censusDays();
        assertThat(days.censusDay(2025, CensusTerm.SPRING)).isEqualTo(LocalDate.of(2026, 1, 22));
        assertThat(days.censusDay(2026, CensusTerm.AUTUMN)).isEqualTo(LocalDate.of(2026, 10, 8));
        assertThat(days.censusDay(2025, CensusTerm.SUMMER)).as("the rule elsewhere").isEqualTo(LocalDate.of(2026, 5, 21));
    }

    @Test
    void withoutOverridesEveryCensusIsTheRules() {
        assertThat(bind(Map.of("pupilflow.ingest.partitions", "6")).censusDays().censusDays().overrides()).isEmpty();
    }

    @Test
    void anOverrideThatCannotBeRightStopsTheServiceNamingTheKey() {
        assertThatThrownBy(() -> bind(Map.of("pupilflow.ingest.partitions", "6", "pupilflow.ingest.census-days.overrides.2025.winter", "2026-01-22")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("overrides.2025.winter: 'winter' is not autumn, spring or summer");
        assertThatThrownBy(() -> bind(Map.of("pupilflow.ingest.partitions", "6", "pupilflow.ingest.census-days.overrides.2025.spring", "22/01/2026")))
                .rootCause().hasMessageContaining("overrides.2025.spring: '22/01/2026' is not a date");
        assertThatThrownBy(() -> bind(Map.of("pupilflow.ingest.partitions", "6", "pupilflow.ingest.census-days.overrides.2026.spring", "2026-01-22")))
                .rootCause().hasMessageContaining("for the spring census of 2026/27 is not in that term (January to March 2027)");
    }
}
