package org.pupilflow.ingest.parse;

import java.util.List;

import org.pupilflow.census.CensusPupil;

/**
 * One record as read from a return.
 *
 * @param index    1-based position of the record in the file (CTF: the {@code Pupil} element's
 *                 index; CSV: the data row's index, blank rows not counted)
 * @param location where the record is, as in {@link FieldIssue#location()}
 * @param pupil    the pupil if every required field could be read, else null. Values are not
 *                 validated here (check letters, code lists, plausible dates come later)
 * @param issues   the problems found while reading; never null, immutable. Issues with optional
 *                 parts (the part is then left out) can accompany a non-null pupil
 * @param upn      the UPN text as found (trimmed), or null if there was none; set even when
 *                 {@code pupil} is null so duplicates and error reports can name the pupil
 */
public record ParsedRecord(long index, String location, CensusPupil pupil, List<FieldIssue> issues, String upn) {

    public ParsedRecord {
        issues = List.copyOf(issues);
    }
}
