package org.pupilflow.policy;

import java.time.Period;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How long the LA keeps records of a category of pupil, as its notice states (retention is
 * per-LA policy data, e.g. Barnet: looked-after children 75 years after the 18th birthday).
 *
 * @param category  e.g. {@code looked-after}, {@code child-in-need}, {@code disclosure-audit}
 * @param keep      how long, e.g. {@code P75Y}
 * @param from      the event the period runs from
 * @param note      where the rule comes from, for the DPO
 */
public record RetentionRule(String category, Period keep, From from, String note) {

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
