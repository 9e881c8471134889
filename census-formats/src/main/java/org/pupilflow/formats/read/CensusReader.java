package org.pupilflow.formats.read;

import java.io.Closeable;

/**
 * Reads a census return one record at a time; memory does not grow with the number of records.
 * Not thread-safe. {@link #close()} releases the parser but leaves the stream or reader passed
 * in open: the caller owns it (and may read what is left, to hash the whole upload, say).
 */
public interface CensusReader extends Closeable {

    /**
     * The next record, or null at the end of the file (and on every call after that).
     *
     * @throws CensusFormatException for a structural problem; the return must be rejected, even if
     *         records were already returned
     */
    ParsedRecord next();
}
