package org.pupilflow.ingest.returns;

import java.io.InputStream;
import java.time.LocalDate;

import org.pupilflow.census.CensusTerm;

/**
 * One upload of a census return, in any format PupilFlow reads: the format is recognised from the
 * content, whatever the upload is called or labelled.
 *
 * @param term      census term when the file does not say (the file's wins)
 * @param censusDay census day when the file does not say; wins over the DfE rule
 * @param laNumber  LA when the file does not say
 */
public record Upload(InputStream body, Mode mode, boolean dryRun, CensusTerm term, LocalDate censusDay, String laNumber) {

    /** strict (default): any invalid record rejects the whole return; lenient: valid records are published and invalid ones go to census.rejected. */
    public enum Mode {
        STRICT, LENIENT
    }
}
