package org.pupilflow.formats.write;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Objects;

import org.pupilflow.census.CensusTerm;

/**
 * What a writer puts in a return's header: who makes the return, for which census, and when the
 * file was made.
 *
 * @param laNumber          the 3-digit DfE number of the LA making the return
 * @param academicYearStart the academic year (2025 = 2025/26)
 * @param term              the census term
 * @param censusDay         the census day
 * @param returnId          the return id (PupilFlow's CTF addition and CSV column; the other formats have none)
 * @param generatedAt       when the file was made
 */
public record ReturnHeader(String laNumber, int academicYearStart, CensusTerm term, LocalDate censusDay, String returnId, LocalDateTime generatedAt) {

    public ReturnHeader {
        Objects.requireNonNull(laNumber, "laNumber");
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(censusDay, "censusDay");
        Objects.requireNonNull(generatedAt, "generatedAt");
    }
}
