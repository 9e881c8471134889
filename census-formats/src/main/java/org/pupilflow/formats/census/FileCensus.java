package org.pupilflow.formats.census;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;

/**
 * What one census file says about its census, as text with the field each value came from, for
 * {@link CensusContextResolver}. Every value may be null (the file does not say).
 *
 * @param term              the census term: AUTUMN, SPRING, SUMMER or the school census codes AUT, SPR, SUM
 * @param censusDay         the census day the file states
 * @param year              the year the file states, read as {@code yearMeaning} says
 * @param yearMeaning       what {@code year} is
 * @param madeAt            when the file was made (an ISO date or date-time): the term and academic
 *                          year of a file that states neither
 * @param laNumber          the LA making the return
 * @param deriveCensusDay   whether a census day the file and the upload do not give is derived by the
 *                          DfE rule (the XML formats and census tables); if not, it is required
 * @param dateParser        reads {@code censusDay}; throws {@link java.time.format.DateTimeParseException}
 * @param dateForm          the accepted date forms, for messages
 */
public record FileCensus(Value term, Value censusDay, Value year, YearMeaning yearMeaning, Value madeAt, Value laNumber,
                         boolean deriveCensusDay, Function<String, LocalDate> dateParser, String dateForm) {

    /** A value as found in the file, and the field to name in issues and reports. */
    public record Value(String text, String field) {
        public static Value of(String text, String field) {
            return new Value(text, field);
        }
    }

    /** What a file's year means. */
    public enum YearMeaning {
        /** The calendar year the academic year starts in (CTF {@code AcademicYear}: 2025 = 2025/26). */
        ACADEMIC_YEAR_START,
        /** The calendar year of the census day (the school census {@code Year}, read so: see the collect package). */
        CENSUS_CALENDAR_YEAR
    }

    /** ISO dates (YYYY-MM-DD). */
    public static final Function<String, LocalDate> ISO_DATE = text -> LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE);
}
