package org.pupilflow.formats.read;

import java.util.List;
import java.util.Objects;

import org.pupilflow.census.CensusPupil;
import org.pupilflow.formats.census.CensusDayChoice;

/**
 * One record as read from a return.
 *
 * @param index     1-based position of the record in the file (XML: the pupil element's index;
 *                  CSV and tables: the data row's index, blank rows not counted)
 * @param location  where the record is, as in {@link FieldIssue#location()}
 * @param pupil     the pupil if every required field could be read, else null. Values are not
 *                  validated here (check letters, code lists, plausible dates come later)
 * @param issues    the problems found while reading; never null, immutable. Issues with optional
 *                  parts (the part is then left out) can accompany a non-null pupil
 * @param upn       the UPN text as found (trimmed), or null if there was none; set even when
 *                  {@code pupil} is null so duplicates and error reports can name the pupil
 * @param fields    how the record's format names the values later checks report on
 * @param censusDay the census day the record's context uses and where it came from, or null if
 *                  it could not be decided
 */
public record ParsedRecord(long index, String location, CensusPupil pupil, List<FieldIssue> issues, String upn,
                           FieldNames fields, CensusDayChoice censusDay) {

    public ParsedRecord {
        issues = List.copyOf(issues);
        Objects.requireNonNull(fields, "fields");
    }
}
