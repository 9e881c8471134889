package org.pupilflow.ingest.returns;

import java.io.InputStream;
import java.time.LocalDate;
import java.util.List;

import org.pupilflow.census.CensusTerm;

/**
 * One upload of a census return.
 *
 * @param term      census term when the file does not say (CTF header / CSV column wins)
 * @param censusDay census day when the file does not say
 * @param laNumber  LA when the file does not say
 * @param replaces  the published returns this one replaces: every return already published for its schools and census day
 */
public record Upload(InputStream body, Format format, Mode mode, boolean dryRun, CensusTerm term, LocalDate censusDay, String laNumber,
                     List<String> replaces) {

    public Upload {
        replaces = replaces == null ? List.of() : List.copyOf(replaces);
    }

    public Upload(InputStream body, Format format, Mode mode, boolean dryRun, CensusTerm term, LocalDate censusDay, String laNumber) {
        this(body, format, mode, dryRun, term, censusDay, laNumber, List.of());
    }

    public enum Format {
        CTF, CSV
    }

    /** strict (default): any invalid record rejects the whole return; lenient: valid records are published and invalid ones go to census.rejected. */
    public enum Mode {
        STRICT, LENIENT
    }
}
