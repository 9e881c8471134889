package org.pupilflow.formats.tables;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Dates in the census tables. The DfE's tables write dates and times as {@code 2026-Jan-15 00:00:00}
 * (liia-tools' schema: {@code %Y-%b-%d %H:%M:%S}); files that passed through a spreadsheet often
 * hold {@code 2026-01-15} or {@code 15/01/2026}. All three are read; the first is written.
 */
public final class TableDates {

    /** The forms read, for messages. */
    public static final String FORMS = "2026-Jan-15 00:00:00, 2026-01-15 or 15/01/2026";

    private static final DateTimeFormatter CENSUS_FORM = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("uuuu-MMM-dd")
            .optionalStart().appendLiteral(' ').appendPattern("HH:mm[:ss]").optionalEnd()
            .toFormatter(Locale.ENGLISH);
    private static final DateTimeFormatter WRITTEN = DateTimeFormatter.ofPattern("uuuu-MMM-dd HH:mm:ss", Locale.ENGLISH);
    private static final DateTimeFormatter UK_FORM = DateTimeFormatter.ofPattern("dd/MM/uuuu", Locale.ENGLISH);

    private TableDates() {
    }

    /**
     * The day of a table's date or date-time.
     *
     * @throws DateTimeParseException if the text is none of {@link #FORMS} (or an ISO date-time)
     */
    public static LocalDate parse(String text) {
        String value = text.strip();
        if (value.length() > 5 && value.charAt(4) == '-' && Character.isLetter(value.charAt(5))) {
            return LocalDate.parse(value, CENSUS_FORM);
        }
        if (value.indexOf('/') > 0) {
            return LocalDate.parse(value, UK_FORM);
        }
        if (value.length() > 10) {
            return LocalDateTime.parse(value.replace(' ', 'T')).toLocalDate();
        }
        return LocalDate.parse(value);
    }

    /** {@code 2026-Jan-15 00:00:00}. */
    public static String format(LocalDate date) {
        return date.atStartOfDay().format(WRITTEN);
    }

    /** {@code 2026-Jan-15 09:00:00}. */
    public static String format(LocalDateTime time) {
        return time.withNano(0).format(WRITTEN);
    }
}
