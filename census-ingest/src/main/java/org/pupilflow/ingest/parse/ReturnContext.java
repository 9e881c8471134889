package org.pupilflow.ingest.parse;

import java.time.LocalDate;
import java.util.Objects;

import org.pupilflow.census.CensusTerm;

/**
 * The census context a return needs. Values found in the file (CTF {@code Header}, CSV
 * {@code census_*} columns) win; these fill the gaps. {@code returnId} is always the one the
 * ingest service assigned, whatever the file says.
 *
 * @param returnId  the ingest-assigned return id, copied into every record's {@code CensusContext}
 * @param term      the census term, or null if only the file can say
 * @param censusDay the census day, or null if only the file can say
 * @param laNumber  the 3-digit DfE number of the LA making the return, or null if only the file can say
 */
public record ReturnContext(String returnId, CensusTerm term, LocalDate censusDay, String laNumber) {

    public ReturnContext {
        Objects.requireNonNull(returnId, "returnId");
    }
}
