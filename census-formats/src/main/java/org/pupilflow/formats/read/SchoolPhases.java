package org.pupilflow.formats.read;

import java.util.Arrays;
import java.util.Locale;

import org.pupilflow.census.SchoolPhase;

/** The phase of a pupil's school, as the file gives it or as its DfE establishment number implies. */
public final class SchoolPhases {

    private SchoolPhases() {
    }

    /**
     * The phase a DfE establishment number implies: 1000–1999 NURSERY, 2000–3999 PRIMARY,
     * 4000–5999 SECONDARY, 7000–7999 SPECIAL, anything else (independent schools, not a number)
     * OTHER. Used when the file gives no phase.
     */
    public static SchoolPhase fromEstablishment(String establishmentNumber) {
        if (establishmentNumber == null || !establishmentNumber.matches("\\d{4}")) {
            return SchoolPhase.OTHER;
        }
        int estab = Integer.parseInt(establishmentNumber);
        if (estab >= 1000 && estab <= 1999) {
            return SchoolPhase.NURSERY;
        }
        if (estab >= 2000 && estab <= 3999) {
            return SchoolPhase.PRIMARY;
        }
        if (estab >= 4000 && estab <= 5999) {
            return SchoolPhase.SECONDARY;
        }
        if (estab >= 7000 && estab <= 7999) {
            return SchoolPhase.SPECIAL;
        }
        return SchoolPhase.OTHER;
    }

    /**
     * The phase the file gives (a {@link SchoolPhase} name, case ignored), else the one the
     * establishment number implies. A phase the file gives that is not a known name is reported
     * ("code-list") and the derived phase used instead.
     */
    public static SchoolPhase phase(RecordIssues issues, String field, String text, String establishmentNumber) {
        if (text != null) {
            String name = text.toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
            for (SchoolPhase phase : SchoolPhase.values()) {
                if (phase.name().equals(name)) {
                    return phase;
                }
            }
            issues.add(field, "code-list", field + " " + RecordIssues.quote(text) + " is not one of " + Arrays.toString(SchoolPhase.values()));
        }
        return fromEstablishment(establishmentNumber);
    }
}
