package org.pupilflow.ingest.parse;

import java.time.LocalDate;
import java.util.Locale;

import org.pupilflow.census.CensusContext;
import org.pupilflow.census.CensusTerm;
import org.pupilflow.census.SchoolPhase;

/** Values both formats read the same way: school phase and the census context. */
final class CensusValues {

    private CensusValues() {
    }

    /**
     * The phase a DfE establishment number implies: 1000–1999 NURSERY, 2000–3999 PRIMARY,
     * 4000–5999 SECONDARY, 7000–7999 SPECIAL, anything else (independent schools, not a number)
     * OTHER. Used when the file gives no phase.
     */
    static SchoolPhase phaseFromEstablishment(String establishmentNumber) {
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
    static SchoolPhase phase(RecordIssues issues, String field, String text, String establishmentNumber) {
        if (text != null) {
            String name = text.toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
            for (SchoolPhase phase : SchoolPhase.values()) {
                if (phase.name().equals(name)) {
                    return phase;
                }
            }
            issues.add(field, "code-list", field + " " + RecordIssues.quote(text) + " is not one of " + java.util.Arrays.toString(SchoolPhase.values()));
        }
        return phaseFromEstablishment(establishmentNumber);
    }

    /**
     * The census context of a record: the file's term, census day and LA where it gives them
     * (and they can be read), else the return's. {@code returnId} is always the return's. Null,
     * with issues, if one of the three is known from neither.
     *
     * @param term      the file's term text (AUTUMN, SPRING, SUMMER, case ignored), or null
     * @param termField the field to name in issues about it
     */
    static CensusContext context(ReturnContext context, RecordIssues issues,
                                 String term, String termField, String censusDay, String censusDayField, String laNumber, String laField) {
        CensusTerm fileTerm = null;
        if (term != null) {
            try {
                fileTerm = CensusTerm.valueOf(term.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                issues.add(termField, "code-list", termField + " " + RecordIssues.quote(term) + " is not one of AUTUMN, SPRING, SUMMER");
            }
        }
        LocalDate fileDay = issues.date(censusDayField, censusDay, false);

        CensusTerm resolvedTerm = fileTerm != null ? fileTerm : context.term();
        LocalDate resolvedDay = fileDay != null ? fileDay : context.censusDay();
        String resolvedLa = laNumber != null ? laNumber : context.laNumber();
        if (resolvedTerm == null) {
            unknown(issues, termField, term, "census term");
        }
        if (resolvedDay == null) {
            unknown(issues, censusDayField, censusDay, "census day");
        }
        if (resolvedLa == null) {
            unknown(issues, laField, null, "LA number");
        }
        if (resolvedTerm == null || resolvedDay == null || resolvedLa == null) {
            return null;
        }
        return CensusContext.newBuilder()
                .setReturnId(context.returnId())
                .setTerm(resolvedTerm)
                .setCensusDay(resolvedDay)
                .setLaNumber(resolvedLa)
                .build();
    }

    private static void unknown(RecordIssues issues, String field, String unreadable, String what) {
        if (unreadable != null) {
            // Already reported as unreadable; the record still cannot be built.
            issues.cannotBuild();
        } else {
            issues.missing(field, field + " is missing and the return was not given a " + what + " either");
        }
    }
}
