package org.pupilflow.formats.csv;

import java.util.ArrayList;
import java.util.List;

/**
 * The columns of PupilFlow's census CSV, its single spelling of them: the reader, the writer and
 * anything else that needs a column name use these constants. One row per pupil; repeating items
 * packed into one cell ({@code census-formats/README.md}).
 */
public final class CensusCsvColumns {

    private CensusCsvColumns() {
    }

    public static final String UPN = "upn";
    public static final String FORMER_UPN = "former_upn";
    public static final String ULN = "uln";
    public static final String SURNAME = "surname";
    public static final String FORENAME = "forename";
    public static final String MIDDLE_NAMES = "middle_names";
    public static final String PREFERRED_SURNAME = "preferred_surname";
    public static final String PREFERRED_FORENAME = "preferred_forename";
    public static final String FORMER_SURNAME = "former_surname";
    public static final String DOB = "dob";
    public static final String SEX = "sex";
    /** The prefix of the address lines, {@code address_line1} to {@code address_lineN}, of the pupil and (after {@code contactN_}) of a contact. */
    public static final String ADDRESS_LINE = "address_line";
    public static final String TOWN = "town";
    public static final String POSTCODE = "postcode";
    public static final String UPRN = "uprn";
    public static final String HOME_PHONE = "home_phone";
    /** The prefix of a contact's columns: {@code contact1_surname}. */
    public static final String CONTACT = "contact";
    /** Contact columns, after {@code contactN_}; {@link #TITLE}, {@link #FORENAME}, {@link #SURNAME}, {@link #TOWN}, {@link #POSTCODE} too. */
    public static final String ORDER = "order";
    public static final String TITLE = "title";
    public static final String RELATIONSHIP = "relationship";
    public static final String RESPONSIBILITY = "responsibility";
    public static final String ADDRESS_AS_PUPIL = "address_as_pupil";
    public static final String MOBILE = "mobile";
    public static final String LA = "la";
    public static final String ESTAB = "estab";
    public static final String URN = "urn";
    public static final String SCHOOL_NAME = "school_name";
    public static final String PHASE = "phase";
    public static final String NC_YEAR = "nc_year";
    public static final String ENROL_STATUS = "enrol_status";
    public static final String ENTRY_DATE = "entry_date";
    public static final String FSM_REVIEW_DATE = "fsm_review_date";
    public static final String FSM_PERIODS = "fsm_periods";
    public static final String SEN_PROVISION = "sen_provision";
    public static final String SEN_START_DATE = "sen_start_date";
    public static final String SEN_NEEDS = "sen_needs";
    public static final String FIRST_LANGUAGE = "first_language";
    public static final String LANGUAGE_SOURCE = "language_source";
    public static final String ETHNICITY = "ethnicity";
    public static final String ETHNICITY_SOURCE = "ethnicity_source";
    public static final String EXCLUSIONS = "exclusions";
    public static final String ATTENDANCE = "attendance";
    public static final String EYFSP = "eyfsp";
    public static final String PHONICS = "phonics";
    public static final String KS1 = "ks1";
    public static final String KS2 = "ks2";
    public static final String LOOKED_AFTER = "looked_after";
    public static final String CARE_AUTHORITY = "care_authority";
    public static final String CHILD_IN_NEED = "child_in_need";
    public static final String RETURN_ID = "return_id";
    public static final String CENSUS_TERM = "census_term";
    public static final String CENSUS_DAY = "census_day";
    public static final String CENSUS_LA = "census_la";

    /** {@code contact1_surname}: the column of contact {@code n}. */
    public static String contact(int n, String column) {
        return CONTACT + n + "_" + column;
    }

    /** Columns every return must have. */
    public static final List<String> REQUIRED = List.of(UPN, SURNAME, FORENAME, DOB, SEX, NC_YEAR, ENROL_STATUS, ETHNICITY, FIRST_LANGUAGE, LA, ESTAB, SCHOOL_NAME);

    /** The columns the writer writes, in order: up to three pupil address lines and two contacts, as most MIS exports have. */
    public static final List<String> HEADER = header();

    private static List<String> header() {
        List<String> columns = new ArrayList<>(List.of(UPN, FORMER_UPN, ULN, SURNAME, FORENAME, MIDDLE_NAMES, PREFERRED_SURNAME, PREFERRED_FORENAME,
                FORMER_SURNAME, DOB, SEX, ADDRESS_LINE + 1, ADDRESS_LINE + 2, ADDRESS_LINE + 3, TOWN, POSTCODE, UPRN, HOME_PHONE));
        for (int n = 1; n <= 2; n++) {
            for (String column : List.of(ORDER, TITLE, FORENAME, SURNAME, RELATIONSHIP, RESPONSIBILITY, ADDRESS_AS_PUPIL,
                    ADDRESS_LINE + 1, ADDRESS_LINE + 2, TOWN, POSTCODE, MOBILE)) {
                columns.add(contact(n, column));
            }
        }
        columns.addAll(List.of(LA, ESTAB, URN, SCHOOL_NAME, PHASE, NC_YEAR, ENROL_STATUS, ENTRY_DATE,
                FSM_REVIEW_DATE, FSM_PERIODS, SEN_PROVISION, SEN_START_DATE, SEN_NEEDS, FIRST_LANGUAGE, LANGUAGE_SOURCE,
                ETHNICITY, ETHNICITY_SOURCE, EXCLUSIONS, ATTENDANCE, EYFSP, PHONICS, KS1, KS2, LOOKED_AFTER, CARE_AUTHORITY, CHILD_IN_NEED,
                RETURN_ID, CENSUS_TERM, CENSUS_DAY, CENSUS_LA));
        return List.copyOf(columns);
    }
}
