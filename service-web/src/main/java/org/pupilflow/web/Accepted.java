package org.pupilflow.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** What a parameter or field of a given Java type accepts, in words a client can act on. */
public final class Accepted {

    private Accepted() {
    }

    /** E.g. "one of AUTUMN, SPRING, SUMMER", "an ISO date (yyyy-MM-dd, e.g. 2026-01-15)". */
    public static String describe(Class<?> type) {
        if (type == null) {
            return "a value of the right type";
        }
        if (type.isEnum()) {
            return "one of " + String.join(", ", values(type));
        }
        if (type == LocalDate.class) {
            return "an ISO date (yyyy-MM-dd, e.g. 2026-01-15)";
        }
        if (type == Instant.class || type == OffsetDateTime.class) {
            return "an ISO instant (e.g. 2026-01-15T09:00:00Z)";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class || type == short.class || type == Short.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "text";
        }
        return "a " + type.getSimpleName();
    }

    /** The names of an enumeration's constants; empty for any other type. */
    public static List<String> values(Class<?> type) {
        if (type == null || !type.isEnum()) {
            return List.of();
        }
        return Arrays.stream(type.getEnumConstants()).map(constant -> ((Enum<?>) constant).name()).toList();
    }

    /** A value as a client sent it, cut short so a problem document never echoes a huge value. */
    static String shown(Object value) {
        String text = String.valueOf(value);
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
