package org.pupilflow.formats.write;

import java.io.Closeable;
import java.io.IOException;

import org.pupilflow.census.CensusPupil;

/** Streams census records to a file format; holds at most one record in memory (census tables: on disk until closed). */
public interface CensusWriter extends Closeable {

    void write(CensusPupil pupil) throws IOException;

    /** Writes every pupil of the census, then closes. */
    default void writeAll(Iterable<CensusPupil> pupils) throws IOException {
        try (this) {
            for (CensusPupil pupil : pupils) {
                write(pupil);
            }
        }
    }
}
