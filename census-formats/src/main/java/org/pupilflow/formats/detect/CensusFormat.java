package org.pupilflow.formats.detect;

/** The census files PupilFlow reads, each recognised by its content ({@link CensusFormatDetector}). */
public enum CensusFormat {

    /** DfE Common Transfer File XML: a root {@code CTfile}. */
    CTF("a DfE Common Transfer File (XML, root CTfile)"),
    /** The school census return a school submits to COLLECT: XML, root {@code Message}. */
    COLLECT("a school census return (COLLECT XML, root Message)"),
    /** The LA's pupil-level census tables: a zip of CSV files. */
    TABLES("the LA's school census tables (a zip of CSV files: schoolcensus, school, pupilonroll, addressesonroll, ...)"),
    /** PupilFlow's census CSV: one row per pupil. */
    CSV("PupilFlow's census CSV (one row per pupil, a header starting upn, ...)");

    private final String description;

    CensusFormat(String description) {
        this.description = description;
    }

    /** What the format is, for messages. */
    public String description() {
        return description;
    }
}
