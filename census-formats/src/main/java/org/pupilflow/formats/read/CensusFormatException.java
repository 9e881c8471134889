package org.pupilflow.formats.read;

/**
 * The whole file is unusable and the return must be rejected: malformed XML, a DTD or entity
 * reference, not a census file PupilFlow reads, a CSV header without the required columns, a record
 * too large to be a pupil, an unsafe zip or an incomplete set of census tables. {@link #getMessage()} is the problem alone; {@link #location()} says where
 * ({@code "line 3, column 17"} for XML, {@code "line 1"} for CSV, {@code "pupilonroll.csv line 1"} for census tables). Neither ever contains data
 * from outside the file.
 */
public class CensusFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String location;

    public CensusFormatException(String location, String message) {
        super(message);
        this.location = location;
    }

    public CensusFormatException(String location, String message, Throwable cause) {
        super(message, cause);
        this.location = location;
    }

    public String location() {
        return location;
    }

    @Override
    public String toString() {
        return getClass().getName() + ": " + location + ": " + getMessage();
    }
}
