package org.pupilflow.formats.read;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

import org.pupilflow.census.CensusTerm;
import org.pupilflow.formats.census.CensusDays;

/**
 * What the uploader knows about a return beyond the file, and how census days are decided. Values
 * found in the file win; {@code term}, {@code censusDay} and {@code laNumber} fill the gaps, and a
 * census day still unknown after that follows {@code censusDays} where the format allows it.
 * {@code returnId} is always the one the ingest service assigned, whatever the file says.
 *
 * @param returnId   the ingest-assigned return id, copied into every record's {@code CensusContext}
 * @param term       the census term, or null if only the file can say
 * @param censusDay  the census day, or null if only the file (or the rule) can say
 * @param laNumber   the 3-digit DfE number of the LA making the return, or null if only the file can say
 * @param censusDays the DfE census-day rule with any configured overrides
 * @param receivedOn the day the return was received: the last resort for the term and academic
 *                   year of a file that does not say when it was made
 */
public record ReturnContext(String returnId, CensusTerm term, LocalDate censusDay, String laNumber, CensusDays censusDays, LocalDate receivedOn) {

    public ReturnContext {
        Objects.requireNonNull(returnId, "returnId");
        Objects.requireNonNull(censusDays, "censusDays");
        Objects.requireNonNull(receivedOn, "receivedOn");
    }

    /** The DfE rule without overrides, received today (UK time). */
    public ReturnContext(String returnId, CensusTerm term, LocalDate censusDay, String laNumber) {
        this(returnId, term, censusDay, laNumber, CensusDays.dfeRule(), LocalDate.now(ZoneId.of("Europe/London")));
    }
}
