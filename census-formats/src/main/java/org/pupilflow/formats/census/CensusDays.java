package org.pupilflow.formats.census;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.pupilflow.census.CensusTerm;

/**
 * Census days in England: the DfE rule, and overrides for the years the DfE moves a date.
 *
 * <p>The rule: the autumn census is on the first Thursday of October, the spring census on the
 * third Thursday of January and the summer census on the third Thursday of May (DOMAIN.md §3.1).
 * An academic year is named by the calendar year it starts in (2025 = 2025/26, starting in
 * September 2025), so its spring and summer censuses fall in the next calendar year.
 *
 * <p>An override replaces the rule for one term of one academic year. It must fall within that
 * term (autumn: September to December; spring: January to March; summer: April to July), so a
 * mistyped year or term is refused when the overrides are built rather than silently used.
 */
public final class CensusDays {

    private static final CensusDays DFE_RULE = new CensusDays(Map.of());

    /** academic year start → term → census day. */
    private final Map<Integer, Map<CensusTerm, LocalDate>> overrides;

    private CensusDays(Map<Integer, Map<CensusTerm, LocalDate>> overrides) {
        this.overrides = overrides;
    }

    /** The DfE rule with no overrides. */
    public static CensusDays dfeRule() {
        return DFE_RULE;
    }

    /**
     * The DfE rule with {@code overrides} (academic year start → term → census day).
     *
     * @throws IllegalArgumentException naming the year and term of an override outside its term
     */
    public static CensusDays withOverrides(Map<Integer, Map<CensusTerm, LocalDate>> overrides) {
        Map<Integer, Map<CensusTerm, LocalDate>> checked = new TreeMap<>();
        for (Map.Entry<Integer, Map<CensusTerm, LocalDate>> year : Objects.requireNonNull(overrides, "overrides").entrySet()) {
            Map<CensusTerm, LocalDate> terms = new EnumMap<>(CensusTerm.class);
            for (Map.Entry<CensusTerm, LocalDate> term : year.getValue().entrySet()) {
                LocalDate day = Objects.requireNonNull(term.getValue(), "census day");
                if (!withinTerm(year.getKey(), term.getKey(), day)) {
                    throw new IllegalArgumentException("The census day override " + day + " for the " + name(term.getKey()) + " census of "
                            + academicYearName(year.getKey()) + " is not in that term (" + termWindow(year.getKey(), term.getKey()) + ")");
                }
                terms.put(term.getKey(), day);
            }
            if (!terms.isEmpty()) {
                checked.put(year.getKey(), Map.copyOf(terms));
            }
        }
        return checked.isEmpty() ? DFE_RULE : new CensusDays(Map.copyOf(checked));
    }

    /** The census day of {@code term} in the academic year starting in September of {@code academicYearStart}: the override if one is configured, else the rule's. */
    public LocalDate censusDay(int academicYearStart, CensusTerm term) {
        LocalDate overridden = override(academicYearStart, term);
        return overridden != null ? overridden : ruleDay(academicYearStart, term);
    }

    /** The configured override for that census, or null. */
    public LocalDate override(int academicYearStart, CensusTerm term) {
        Map<CensusTerm, LocalDate> terms = overrides.get(academicYearStart);
        return terms == null ? null : terms.get(term);
    }

    /** The overrides, academic year start → term → day. */
    public Map<Integer, Map<CensusTerm, LocalDate>> overrides() {
        return overrides;
    }

    /** The DfE rule alone: first Thursday of October, third Thursday of January, third Thursday of May. */
    public static LocalDate ruleDay(int academicYearStart, CensusTerm term) {
        return switch (term) {
            case AUTUMN -> LocalDate.of(academicYearStart, Month.OCTOBER, 1).with(TemporalAdjusters.firstInMonth(DayOfWeek.THURSDAY));
            case SPRING -> LocalDate.of(academicYearStart + 1, Month.JANUARY, 1).with(TemporalAdjusters.dayOfWeekInMonth(3, DayOfWeek.THURSDAY));
            case SUMMER -> LocalDate.of(academicYearStart + 1, Month.MAY, 1).with(TemporalAdjusters.dayOfWeekInMonth(3, DayOfWeek.THURSDAY));
        };
    }

    /** The rule in words, for reports: "the third Thursday of January". */
    public static String ruleDescription(CensusTerm term) {
        return switch (term) {
            case AUTUMN -> "the first Thursday of October";
            case SPRING -> "the third Thursday of January";
            case SUMMER -> "the third Thursday of May";
        };
    }

    /** The census term a day falls in: September–December autumn, January–March spring, April–August summer. */
    public static CensusTerm termOf(LocalDate date) {
        int month = date.getMonthValue();
        if (month >= 9) {
            return CensusTerm.AUTUMN;
        }
        return month <= 3 ? CensusTerm.SPRING : CensusTerm.SUMMER;
    }

    /** The calendar year in which the academic year containing {@code date} started (academic years start on 1 September). */
    public static int academicYearStart(LocalDate date) {
        return date.getMonthValue() >= 9 ? date.getYear() : date.getYear() - 1;
    }

    /** The academic year starting in {@code academicYearStart} that has a census of {@code term} in {@code calendarYear}. */
    public static int academicYearStartOf(CensusTerm term, int calendarYear) {
        return term == CensusTerm.AUTUMN ? calendarYear : calendarYear - 1;
    }

    /** "2025/26". */
    public static String academicYearName(int academicYearStart) {
        return academicYearStart + "/" + String.format("%02d", (academicYearStart + 1) % 100);
    }

    static String name(CensusTerm term) {
        return term.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean withinTerm(int academicYearStart, CensusTerm term, LocalDate day) {
        return switch (term) {
            case AUTUMN -> day.getYear() == academicYearStart && day.getMonthValue() >= 9;
            case SPRING -> day.getYear() == academicYearStart + 1 && day.getMonthValue() <= 3;
            case SUMMER -> day.getYear() == academicYearStart + 1 && day.getMonthValue() >= 4 && day.getMonthValue() <= 7;
        };
    }

    private static String termWindow(int academicYearStart, CensusTerm term) {
        return switch (term) {
            case AUTUMN -> "September to December " + academicYearStart;
            case SPRING -> "January to March " + (academicYearStart + 1);
            case SUMMER -> "April to July " + (academicYearStart + 1);
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CensusDays days && days.overrides.equals(overrides);
    }

    @Override
    public int hashCode() {
        return overrides.hashCode();
    }

    @Override
    public String toString() {
        return overrides.isEmpty() ? "the DfE rule" : "the DfE rule with overrides " + overrides;
    }
}
