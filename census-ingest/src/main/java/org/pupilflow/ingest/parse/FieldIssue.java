package org.pupilflow.ingest.parse;

/**
 * One problem with one field of one record (or of the file).
 *
 * @param location where the record is: CTF {@code "Pupil[17] (line 2031)"} (1-based index of the
 *                 {@code Pupil} element and the line of its start tag); CSV {@code "line 18"}
 *                 (the physical line the record starts on)
 * @param field    the CTF element path inside {@code Pupil} ({@code "BasicDetails/NCyearActual"},
 *                 {@code "Contacts/Contact[2]/Surname"}; repeatable elements always carry a 1-based
 *                 index), a {@code Header/...} path for census context taken from the CTF header,
 *                 or the CSV column name ({@code "nc_year"})
 * @param rule     a short stable code: {@code required}, {@code date}, {@code integer},
 *                 {@code boolean}, {@code code-list}, {@code format}
 * @param message  a sentence naming the bad value
 */
public record FieldIssue(String location, String field, String rule, String message) {
}
