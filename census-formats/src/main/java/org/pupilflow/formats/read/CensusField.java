package org.pupilflow.formats.read;

/**
 * The values of a census record that checks after reading (validation, duplicate UPNs, the LA of
 * the return) report issues about. Each format names them in its own vocabulary
 * ({@link FieldNames}), so an issue points at the element, column or table cell the uploader can
 * find in the file.
 */
public enum CensusField {
    UPN,
    FORMER_UPN,
    ULN,
    SEX,
    DATE_OF_BIRTH,
    NC_YEAR,
    ENROLMENT_STATUS,
    SEN_PROVISION,
    /** A type of special educational need (one of the pupil's needs). */
    SEN_NEED_TYPE,
    ETHNICITY,
    FIRST_LANGUAGE,
    /** The UK country of a free school meals period. */
    FSM_UK_COUNTRY,
    /** The LA number of the pupil's school. */
    SCHOOL_LA,
    /** The LA number of the LA (or school) making the return. */
    RETURN_LA
}
