package org.pupilflow.policy;

import java.util.List;

import org.pupilflow.census.SchoolPhase;

/**
 * Which pupils a recipient receives. Every condition given must hold; an absent condition
 * does not restrict.
 *
 * @param age           whole years of age, measured on {@code ageMeasuredOn}
 * @param ageMeasuredOn the date age is measured on; census day unless the rule says otherwise
 * @param ncYears       NC year codes ({@code R}, {@code 1} ... {@code 14})
 * @param schoolPhases  phases of the school the pupil is on roll at
 * @param lookedAfter   when set, only pupils whose looked-after flag equals it
 * @param childInNeed   when set, only pupils whose child-in-need flag equals it
 */
public record Cohort(AgeRange age, AgeReference ageMeasuredOn, List<String> ncYears, List<SchoolPhase> schoolPhases,
                     Boolean lookedAfter, Boolean childInNeed) {

    public static final Cohort EVERYONE = new Cohort(null, null, null, null, null, null);

    public Cohort {
        ageMeasuredOn = ageMeasuredOn == null ? AgeReference.CENSUS_DAY : ageMeasuredOn;
        ncYears = ncYears == null ? List.of() : List.copyOf(ncYears);
        schoolPhases = schoolPhases == null ? List.of() : List.copyOf(schoolPhases);
    }

    /** Inclusive whole-year bounds; either may be absent. */
    public record AgeRange(Integer min, Integer max) {
        public boolean contains(int age) {
            return (min == null || age >= min) && (max == null || age <= max);
        }
    }
}
