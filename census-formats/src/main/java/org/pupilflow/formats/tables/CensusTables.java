package org.pupilflow.formats.tables;

import java.util.List;
import java.util.Optional;

/**
 * The LA's pupil-level school census tables (one CSV file per table, uploaded as a zip), PupilFlow's
 * single spelling of their table and column names. The tables and columns are those of the DfE
 * school census as LAs receive it, as documented by liia-tools' school census schema
 * ({@code census-formats/README.md}): every table has its own id column ({@code <table>tableid}),
 * {@code NativeId}, an order column and {@code sourceid}; pupils refer to their return by
 * {@code schoolcensustableid}, and every pupil-level table to its pupil by {@code pupilonrolltableid}.
 * Some tables are named differently by term in that schema (autumn {@code addressesonroll} and
 * {@code fsmperiodsonroll}, spring and summer {@code addresses} and {@code fsmperiod}); the reader
 * accepts either name, the writer writes the first.
 */
public final class CensusTables {

    private CensusTables() {
    }

    /** One table: its names (the first is the one written) and whether a return needs it. */
    public record Table(List<String> names, boolean required) {

        /** The name written and used in messages. */
        public String name() {
            return names.get(0);
        }

        /** {@code <table>tableid}, the table's own id column, by which a table is recognised in its file's header. */
        public String idColumn(String tableName) {
            return tableName + TABLE_ID;
        }

        /** {@code <table>orderseqcolumn}. */
        public String orderColumn(String tableName) {
            return tableName + ORDER_SEQ;
        }

        /** The file name the writer gives the table. */
        public String fileName() {
            return name() + ".csv";
        }
    }

    static final String TABLE_ID = "tableid";
    static final String ORDER_SEQ = "orderseqcolumn";
    public static final String NATIVE_ID = "NativeId";
    public static final String SOURCE_ID = "sourceid";

    public static final Table SCHOOL_CENSUS = new Table(List.of("schoolcensus"), true);
    public static final Table SCHOOL = new Table(List.of("school"), true);
    public static final Table PUPIL_ON_ROLL = new Table(List.of("pupilonroll"), true);
    public static final Table ADDRESSES = new Table(List.of("addressesonroll", "addresses"), true);
    public static final Table FSM_PERIODS = new Table(List.of("fsmperiodsonroll", "fsmperiod"), false);
    public static final Table SEN_NEEDS = new Table(List.of("senneeds"), false);
    public static final Table EXCLUSIONS = new Table(List.of("termlyexclusionsonroll"), false);

    /** The tables PupilFlow reads, in the order the writer writes them. */
    public static final List<Table> TABLES = List.of(SCHOOL_CENSUS, SCHOOL, PUPIL_ON_ROLL, ADDRESSES, FSM_PERIODS, SEN_NEEDS, EXCLUSIONS);
    /** The pupil-level tables joined to {@link #PUPIL_ON_ROLL} by {@link #PUPIL_ON_ROLL_ID}. */
    public static final List<Table> PUPIL_TABLES = List.of(ADDRESSES, FSM_PERIODS, SEN_NEEDS, EXCLUSIONS);

    /**
     * The table a file holds, if it is one PupilFlow reads. A table's header names its own id,
     * {@code <table>tableid}, and may name other tables' ids as join columns ({@code school} has
     * {@code schoolcensustableid}); the table's own name is the one with both {@code <table>tableid}
     * and {@code <table>orderseqcolumn}, else the first {@code ...tableid} column.
     */
    public static Optional<Table> byHeader(List<String> header) {
        String own = ownName(header);
        if (own == null) {
            return Optional.empty();
        }
        for (Table table : TABLES) {
            if (table.names().contains(own)) {
                return Optional.of(table);
            }
        }
        return Optional.empty();
    }

    /** The name of the table a header belongs to, known to PupilFlow or not; null if it has no id column. */
    public static String ownName(List<String> header) {
        String first = null;
        for (String column : header) {
            if (column.endsWith(TABLE_ID) && column.length() > TABLE_ID.length()) {
                String name = column.substring(0, column.length() - TABLE_ID.length());
                if (header.contains(name + ORDER_SEQ)) {
                    return name;
                }
                if (first == null) {
                    first = name;
                }
            }
        }
        return first;
    }

    // Join columns.
    public static final String SCHOOL_CENSUS_ID = "schoolcensustableid";
    public static final String PUPIL_ON_ROLL_ID = "pupilonrolltableid";

    // schoolcensus: the return's header.
    public static final String COLLECTION = "collection";
    public static final String NAME = "name";
    public static final String TERM = "term";
    public static final String YEAR = "year";
    public static final String REFERENCE_DATE = "referencedate";
    public static final String SOURCE_LEVEL = "sourcelevel";
    public static final String LEA = "lea";
    public static final String ESTAB = "estab";
    public static final String URN = "urn";
    public static final String SOFTWARE_CODE = "softwarecode";
    public static final String RELEASE = "release";
    public static final String SERIAL_NO = "serialno";
    public static final String DATE_TIME = "datetime";

    // school.
    public static final String SCHOOL_NAME = "schoolname";
    public static final String PHASE = "phase";

    // pupilonroll.
    public static final String UPN = "upn";
    public static final String FORMER_UPN = "formerupn";
    public static final String SURNAME = "surname";
    public static final String FORENAME = "forename";
    public static final String MIDDLE_NAMES = "middlenames";
    public static final String PREFERRED_SURNAME = "preferredsurname";
    public static final String FORMER_SURNAME = "formersurname";
    public static final String UNIQUE_LEARNER_NUMBER = "uniquelearnernumber";
    public static final String DOB = "dob";
    public static final String ENTRY_DATE = "entrydate";
    public static final String SEX = "sex";
    public static final String ETHNICITY = "ethnicity";
    public static final String LANGUAGE = "language";
    public static final String ENROL_STATUS = "enrolstatus";
    public static final String NC_YEAR_ACTUAL = "ncyearactual";
    public static final String SEN_PROVISION = "senprovision";
    public static final String PART_TIME = "parttime";
    public static final String BOARDER = "boarder";
    public static final String TERMLY_SESSIONS_POSSIBLE = "termlysessionspossible";
    public static final String TERMLY_SESSIONS_AUTHORISED = "termlysessionsauthorised";
    public static final String TERMLY_SESSIONS_UNAUTHORISED = "termlysessionsunauthorised";
    public static final String YSSA = "yssa";
    public static final String SERVICE_CHILD = "servicechild";

    // addresses.
    public static final String UPRN = "uniquepropertyreferencenumber";
    public static final String POSTCODE = "postcode";
    public static final String SAON = "saon";
    public static final String PAON = "paon";
    public static final String STREET = "street";
    public static final String LOCALITY = "locality";
    public static final String TOWN = "town";
    public static final String ADMINISTRATIVE_AREA = "administrativearea";
    public static final String POST_TOWN = "posttown";
    /** {@code addressline1} to {@code addressline5}. */
    public static final String ADDRESS_LINE = "addressline";
    public static final int ADDRESS_LINES = 5;

    // fsm periods.
    public static final String FSM_START_DATE = "fsmstartdate";
    public static final String FSM_END_DATE = "fsmenddate";
    public static final String UK_COUNTRY = "ukcountry";

    // sen needs.
    public static final String SEN_TYPE_RANK = "sentyperank";
    public static final String SEN_TYPE = "sentype";

    // termly exclusions.
    public static final String START_DATE = "startdate";
    public static final String SESSIONS = "sessions";
    public static final String CATEGORY = "category";
    /** The autumn tables' single reason; spring and summer have {@code reason1} to {@code reason3}, of which the first is kept. */
    public static final String REASON = "reason";
    public static final String REASON_1 = "reason1";
}
