package org.pupilflow.ingest.returns;

import java.io.InputStream;
import java.time.LocalDate;
import java.util.List;

import org.pupilflow.census.CensusTerm;

/**
 * One upload of a census return, in any format PupilFlow reads: the format is recognised from the
 * content, whatever the upload is called or labelled.
 *
 * @param term      census term when the file does not say (the file's wins)
 * @param censusDay census day when the file does not say; wins over the DfE rule
 * @param laNumber  LA when the file does not say
 * @param replaces  the published returns this one replaces: every return already published for its schools and census day
 */
public record Upload(InputStream body, Mode mode, boolean dryRun, CensusTerm term, LocalDate censusDay, String laNumber, List<String> replaces) {

    public Upload {
        replaces = replaces == null ? List.of() : List.copyOf(replaces);
    }

    public Upload(InputStream body, Mode mode, boolean dryRun, CensusTerm term, LocalDate censusDay, String laNumber) {
        this(body, mode, dryRun, term, censusDay, laNumber, List.of());
    }

    /** strict (default): any invalid record rejects the whole return; lenient: valid records are published and invalid ones go to census.rejected. */
    public enum Mode {
        STRICT, LENIENT
    }
}
