package org.pupilflow.formats.census;

import java.time.LocalDate;
import java.util.Objects;

import org.pupilflow.census.CensusTerm;

/**
 * The census day a return's records use, and where it came from, for the upload report.
 *
 * @param term        the census term
 * @param censusDay   the census day
 * @param source      where the day came from
 * @param explanation a sentence an uploader can check: which element, column or parameter, or
 *                    which rule with which term and academic year
 */
public record CensusDayChoice(CensusTerm term, LocalDate censusDay, Source source, String explanation) {

    public CensusDayChoice {
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(censusDay, "censusDay");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(explanation, "explanation");
    }

    /** Where a census day came from. */
    public enum Source {
        /** The file states it (a census date element or column). */
        FILE,
        /** The upload's {@code censusDay} parameter. */
        REQUEST,
        /** Derived from the term and academic year by the DfE rule. */
        RULE,
        /** Derived from the term and academic year, and configured for that census instead of the rule's day. */
        CONFIGURED
    }
}
