package org.pupilflow.ingest.returns;

import java.time.LocalDate;

import org.pupilflow.census.CensusTerm;

/**
 * A census day the records of a return use, for the report: normally one per return.
 *
 * @param term        the census term
 * @param censusDay   the census day
 * @param source      FILE (the file states it), REQUEST (the upload's {@code censusDay} parameter), RULE (the DfE
 *                    rule for the term and academic year) or CONFIGURED (an override of the rule for that census)
 * @param explanation which element, column or parameter, or which rule with which term and academic year
 * @param records     how many records use it
 */
public record CensusDayUsed(CensusTerm term, LocalDate censusDay, String source, String explanation, long records) {
}
