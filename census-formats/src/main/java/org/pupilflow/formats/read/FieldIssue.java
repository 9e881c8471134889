package org.pupilflow.formats.read;

/**
 * One problem with one field of one record (or of the file).
 *
 * @param location where the record is: XML {@code "Pupil[17] (line 2031)"} (1-based index of the
 *                 pupil element and the line of its start tag); CSV {@code "line 18"} (the
 *                 physical line the record starts on); census tables {@code "pupilonroll.csv line 18"}
 * @param field    the element path inside the pupil ({@code "BasicDetails/NCyearActual"},
 *                 {@code "Contacts/Contact[2]/Surname"}; repeatable elements always carry a 1-based
 *                 index), a {@code Header/...} path for census context taken from an XML header,
 *                 the CSV column name ({@code "nc_year"}), or {@code table.column} for census tables
 * @param rule     a short stable code: {@code required}, {@code date}, {@code integer},
 *                 {@code boolean}, {@code code-list}, {@code format}, ...
 * @param message  a sentence naming the bad value
 */
public record FieldIssue(String location, String field, String rule, String message) {
}
