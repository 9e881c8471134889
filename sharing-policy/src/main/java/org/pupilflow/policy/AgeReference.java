package org.pupilflow.policy;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The date a rule measures a pupil's age on; recorded with every decision. */
public enum AgeReference {
    /** The census day of the return the record came from (the default). */
    @JsonProperty("census-day")
    CENSUS_DAY,
    /** The day the router decides. */
    @JsonProperty("decision-date")
    DECISION_DATE,
    /** 31 August before the academic year of the census, the date NC years are set from. */
    @JsonProperty("start-of-academic-year")
    START_OF_ACADEMIC_YEAR
}
