package org.pupilflow.formats.read;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The issues of one record as it is read, and the readers of typed values that report them. A
 * required value that is missing or unreadable makes the record's pupil unbuildable
 * ({@link #pupilReadable()} false); an optional one is left out and only reported.
 */
public final class RecordIssues {

    /** Longest stretch of a bad value quoted in a message. */
    private static final int QUOTED_MAX = 60;

    private final String location;
    private final List<FieldIssue> issues = new ArrayList<>(0);
    private boolean requiredMissing;

    public RecordIssues(String location) {
        this.location = location;
    }

    public String location() {
        return location;
    }

    public List<FieldIssue> list() {
        return issues;
    }

    /** False once a required value was missing or unreadable. */
    public boolean pupilReadable() {
        return !requiredMissing;
    }

    public void add(String field, String rule, String message) {
        issues.add(new FieldIssue(location, field, rule, message));
    }

    /** A required value is missing: reported, and the pupil cannot be built. */
    public void missing(String field, String message) {
        add(field, "required", message);
        requiredMissing = true;
    }

    /** A required value is unusable for a reason already reported (or reported by the caller). */
    public void cannotBuild() {
        requiredMissing = true;
    }

    /** {@code value}, or null and a "required" issue if it is absent. */
    public String required(String field, String value) {
        if (value == null) {
            missing(field, field + " is missing");
        }
        return value;
    }

    /** A part an item (a contact, an FSM period, ...) cannot do without: null and a "required" issue; the item is left out, the pupil kept. */
    public String need(String field, String value, String item) {
        if (value == null) {
            add(field, "required", field + " is missing, so the " + item + " is left out");
        }
        return value;
    }

    public LocalDate date(String field, String value, boolean required) {
        return date(field, field, value, required);
    }

    /** A YYYY-MM-DD date; {@code label} names the value in messages (a packed CSV part is "fsm_periods item 2 start date"). */
    public LocalDate date(String field, String label, String value, boolean required) {
        return date(field, label, value, required, text -> LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE), "YYYY-MM-DD");
    }

    /**
     * A date read with {@code parser}, which throws {@link DateTimeParseException} for text that is
     * not a date; {@code expected} describes the accepted forms in messages.
     */
    public LocalDate date(String field, String label, String value, boolean required, Function<String, LocalDate> parser, String expected) {
        if (value == null) {
            if (required) {
                missing(field, label + " is missing");
            }
            return null;
        }
        try {
            return parser.apply(value);
        } catch (DateTimeParseException e) {
            add(field, "date", label + " " + quote(value) + " is not a date (" + expected + ")");
            requiredMissing |= required;
            return null;
        }
    }

    public Integer integer(String field, String value, boolean required) {
        return integer(field, field, value, required);
    }

    public Integer integer(String field, String label, String value, boolean required) {
        if (value == null) {
            if (required) {
                missing(field, label + " is missing");
            }
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            add(field, "integer", label + " " + quote(value) + " is not a whole number");
            requiredMissing |= required;
            return null;
        }
    }

    /** An xs:boolean: true, false, 1 or 0 (case ignored). */
    public Boolean bool(String field, String value, boolean required) {
        return bool(field, field, value, required);
    }

    public Boolean bool(String field, String label, String value, boolean required) {
        if (value == null) {
            if (required) {
                missing(field, label + " is missing");
            }
            return null;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1":
                return Boolean.TRUE;
            case "false", "0":
                return Boolean.FALSE;
            default:
                add(field, "boolean", label + " " + quote(value) + " is not true or false");
                requiredMissing |= required;
                return null;
        }
    }

    /** The value in quotes for a message: control characters replaced, long values cut. */
    public static String quote(String value) {
        StringBuilder quoted = new StringBuilder(Math.min(value.length(), QUOTED_MAX) + 5).append('\'');
        for (int i = 0; i < value.length() && i < QUOTED_MAX; i++) {
            char c = value.charAt(i);
            quoted.append(Character.isISOControl(c) ? '?' : c);
        }
        if (value.length() > QUOTED_MAX) {
            quoted.append("...");
        }
        return quoted.append('\'').toString();
    }
}
