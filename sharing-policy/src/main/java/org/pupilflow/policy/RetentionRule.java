package org.pupilflow.policy;

import java.time.Period;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How long the LA keeps records of a category of pupil, as its notice states (retention is
 * per-LA policy data, e.g. Barnet: looked-after children 75 years after the 18th birthday).
 *
 * @param category  e.g. {@code looked-after}, {@code child-in-need}, {@code all-pupils} (the ones PupilFlow applies to
 *                  its own records, {@link #PUPIL_CATEGORIES}); any other category is rendered in the notice and
 *                  listed as not applied by PupilFlow
 * @param keep      how long, e.g. {@code P75Y}
 * @param from      the event the period runs from
 * @param note      where the rule comes from, for the DPO
 */
public record RetentionRule(String category, Period keep, From from, String note) {

    /** Categories PupilFlow can recognise in a census record: looked-after children, children in need, every pupil. */
    public static final java.util.List<String> PUPIL_CATEGORIES = java.util.List.of("looked-after", "child-in-need", "all-pupils");

    /**
     * Why PupilFlow cannot apply this rule to what it keeps (its audit trail and router state), or null if it can: the
     * category must be one it can recognise in a census record and the period must run from a date the census holds.
     */
    public String whyNotAppliedByPupilFlow() {
        if (!PUPIL_CATEGORIES.contains(category)) {
            return "the census does not say which pupils are '" + category + "'";
        }
        if (from == From.CASE_CLOSURE) {
            return "the census does not hold the date a case is closed; the LA's case management system applies this rule";
        }
        return null;
    }

    /**
     * Until when records about this pupil must be kept under this rule, or null when the rule does not apply to the
     * pupil or PupilFlow cannot apply it.
     *
     * @param lookedAfter   the pupil is looked after (census)
     * @param childInNeed   the pupil is a child in need (census)
     * @param decisionDate  the date the record is made (for periods running from the disclosure)
     */
    public java.time.LocalDate keepUntil(java.time.LocalDate dateOfBirth, boolean lookedAfter, boolean childInNeed, java.time.LocalDate decisionDate) {
        if (whyNotAppliedByPupilFlow() != null) {
            return null;
        }
        boolean applies = switch (category) {
            case "looked-after" -> lookedAfter;
            case "child-in-need" -> childInNeed;
            default -> true;
        };
        if (!applies) {
            return null;
        }
        java.time.LocalDate start = switch (from == null ? From.DISCLOSURE : from) {
            case BIRTH -> dateOfBirth;
            case EIGHTEENTH_BIRTHDAY -> dateOfBirth.plusYears(18);
            case DISCLOSURE -> decisionDate;
            case CASE_CLOSURE -> null;
        };
        return start == null ? null : start.plus(keep);
    }

    public enum From {
        @JsonProperty("birth")
        BIRTH,
        @JsonProperty("18th-birthday")
        EIGHTEENTH_BIRTHDAY,
        @JsonProperty("case-closure")
        CASE_CLOSURE,
        @JsonProperty("disclosure")
        DISCLOSURE
    }
}
