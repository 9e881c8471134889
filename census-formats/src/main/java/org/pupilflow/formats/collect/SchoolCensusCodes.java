package org.pupilflow.formats.collect;

import java.util.Locale;

import org.pupilflow.census.CensusTerm;
import org.pupilflow.census.SchoolPhase;

/**
 * The school census code lists PupilFlow translates: collection, term and school phase, shared by
 * the COLLECT XML and the census tables (the same return, flattened). Codes from the DfE census
 * tables' schema in liia-tools ({@code census-formats/README.md}).
 */
public final class SchoolCensusCodes {

    private SchoolCensusCodes() {
    }

    /** The collection code of the school census ("School Census"). */
    public static final String SCHOOL_CENSUS = "SC";
    /** {@code SourceLevel}: a school's own return. */
    public static final String SOURCE_LEVEL_SCHOOL = "S";

    /** AUT, SPR, SUM. */
    public static String termCode(CensusTerm term) {
        return term.name().substring(0, 3);
    }

    /**
     * The school census phase code of a phase: NS nursery, PS primary, MP and MS middle deemed
     * primary and secondary, SS secondary, AT all-through, SP special, PR pupil referral unit
     * (alternative provision); OTHER has none (null).
     */
    public static String phaseCode(SchoolPhase phase) {
        return switch (phase) {
            case NURSERY -> "NS";
            case PRIMARY -> "PS";
            case MIDDLE_DEEMED_PRIMARY -> "MP";
            case MIDDLE_DEEMED_SECONDARY -> "MS";
            case SECONDARY -> "SS";
            case ALL_THROUGH -> "AT";
            case SPECIAL -> "SP";
            case ALTERNATIVE_PROVISION -> "PR";
            case OTHER -> null;
        };
    }

    /** The phase of a school census phase code (case ignored); EY (early years) and anything unknown are null. */
    public static SchoolPhase phase(String code) {
        if (code == null) {
            return null;
        }
        return switch (code.strip().toUpperCase(Locale.ROOT)) {
            case "NS" -> SchoolPhase.NURSERY;
            case "PS" -> SchoolPhase.PRIMARY;
            case "MP" -> SchoolPhase.MIDDLE_DEEMED_PRIMARY;
            case "MS" -> SchoolPhase.MIDDLE_DEEMED_SECONDARY;
            case "SS" -> SchoolPhase.SECONDARY;
            case "AT" -> SchoolPhase.ALL_THROUGH;
            case "SP" -> SchoolPhase.SPECIAL;
            case "PR" -> SchoolPhase.ALTERNATIVE_PROVISION;
            default -> null;
        };
    }

    /**
     * The academic year (its first calendar year) a termly attendance reported in a census of
     * {@code term} belongs to: each census reports the term before it, so the autumn census reports
     * the previous academic year's summer term.
     */
    public static int attendanceAcademicYear(CensusTerm term, int academicYearStart) {
        return term == CensusTerm.AUTUMN ? academicYearStart - 1 : academicYearStart;
    }
}
