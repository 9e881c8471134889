package org.pupilflow.formats.collect;

/**
 * The element names of the school census return (COLLECT XML), PupilFlow's single spelling of
 * them. Sources and what could not be confirmed: {@code census-formats/README.md}. In short:
 * the root, {@code Header/CollectionDetails} and {@code Header/Source} follow DfE's COLLECT
 * messages (the CIN census XSD), the collection codes and the leaf names follow the DfE school
 * census tables LAs receive (liia-tools' schema), and {@code Pupils/PupilsOnRoll/PupilOnRoll} with
 * its {@code PupilIdentifiers}, {@code PupilCharacteristics}, {@code PupilStatus},
 * {@code SpecialEducationalNeeds}, {@code Exclusions/TermlyExclusion} and
 * {@code Attendance/TermlyAttendance} follow public MIS code that writes the return. The other
 * module containers are PupilFlow's best reading; the reader does not depend on them.
 */
public final class SchoolCensusElements {

    private SchoolCensusElements() {
    }

    /** A slash-separated path of element names. */
    public static String path(String... names) {
        return String.join("/", names);
    }

    public static final String ROOT = "Message";
    public static final String HEADER = "Header";
    public static final String COLLECTION_DETAILS = "CollectionDetails";
    public static final String COLLECTION = "Collection";
    public static final String TERM = "Term";
    public static final String YEAR = "Year";
    public static final String REFERENCE_DATE = "ReferenceDate";
    public static final String SOURCE = "Source";
    public static final String SOURCE_LEVEL = "SourceLevel";
    public static final String LEA = "LEA";
    public static final String ESTAB = "Estab";
    public static final String URN = "URN";
    public static final String SCHOOL_NAME = "SchoolName";
    public static final String SOFTWARE_CODE = "SoftwareCode";
    public static final String RELEASE = "Release";
    public static final String SERIAL_NO = "SerialNo";
    public static final String DATE_TIME = "DateTime";

    public static final String SCHOOL_INFORMATION = "SchoolInformation";
    public static final String SCHOOL_LOCATION = "SchoolLocation";
    public static final String SCHOOL_CHARACTERISTICS = "SchoolCharacteristics";
    public static final String PHASE = "Phase";

    public static final String PUPILS = "Pupils";
    public static final String PUPILS_ON_ROLL = "PupilsOnRoll";
    public static final String PUPIL_ON_ROLL = "PupilOnRoll";
    public static final String PUPILS_NO_LONGER_ON_ROLL = "PupilsNoLongerOnRoll";

    public static final String PUPIL_IDENTIFIERS = "PupilIdentifiers";
    public static final String UPN = "UPN";
    public static final String FORMER_UPN = "FormerUPN";
    public static final String UNIQUE_LEARNER_NUMBER = "UniqueLearnerNumber";
    public static final String SURNAME = "Surname";
    public static final String FORENAME = "Forename";
    public static final String MIDDLE_NAMES = "MiddleNames";
    public static final String PREFERRED_SURNAME = "PreferredSurname";
    public static final String PREFERRED_FORENAME = "PreferredForename";
    public static final String FORMER_SURNAME = "FormerSurname";
    public static final String DOB = "DOB";
    public static final String SEX = "Sex";
    public static final String GENDER = "Gender";

    public static final String PUPIL_CHARACTERISTICS = "PupilCharacteristics";
    public static final String ETHNICITY = "Ethnicity";
    public static final String ETHNICITY_SOURCE = "EthnicitySource";
    public static final String LANGUAGES = "Languages";
    public static final String LANGUAGE_TYPE_GROUP = "Type";
    public static final String LANGUAGE_TYPE = "LanguageType";
    public static final String LANGUAGE = "Language";
    /** {@code LanguageType} of the first language. */
    public static final String FIRST_LANGUAGE = "F";
    public static final String FSM_PERIODS = "FSMperiods";
    public static final String FSM_PERIOD = "FSMperiod";
    public static final String FSM_START_DATE = "FSMstartDate";
    public static final String FSM_END_DATE = "FSMendDate";
    public static final String UK_COUNTRY = "UKcountry";

    public static final String PUPIL_STATUS = "PupilStatus";
    public static final String ENROL_STATUS = "EnrolStatus";
    public static final String ENTRY_DATE = "EntryDate";
    public static final String NC_YEAR_ACTUAL = "NCyearActual";

    public static final String SPECIAL_EDUCATIONAL_NEEDS = "SpecialEducationalNeeds";
    public static final String SEN_PROVISION = "SENprovision";
    public static final String SEN_NEEDS = "SENneeds";
    public static final String SEN_NEED = "SENneed";
    public static final String SEN_TYPE = "SENtype";
    public static final String SEN_TYPE_RANK = "SENtypeRank";

    public static final String HOME_INFORMATION = "HomeInformation";
    public static final String ADDRESS = "Address";
    public static final String BS7666_ADDRESS = "BS7666Address";
    public static final String ADDRESS_LINES = "AddressLines";
    /** The prefix of the numbered address lines, {@code AddressLine1} to {@code AddressLine5}. */
    public static final String ADDRESS_LINE_PREFIX = "AddressLine";
    public static final String SAON = "SAON";
    public static final String PAON = "PAON";
    public static final String STREET = "Street";
    public static final String LOCALITY = "Locality";
    public static final String TOWN = "Town";
    public static final String ADMINISTRATIVE_AREA = "AdministrativeArea";
    public static final String POST_TOWN = "PostTown";
    public static final String POST_CODE = "PostCode";
    public static final String UNIQUE_PROPERTY_REFERENCE_NUMBER = "UniquePropertyReferenceNumber";

    public static final String EXCLUSIONS = "Exclusions";
    public static final String TERMLY_EXCLUSION = "TermlyExclusion";
    public static final String CATEGORY = "Category";
    public static final String REASON = "Reason";
    /** Since 2020 a suspension or exclusion can give up to three reasons, {@code Reason1} to {@code Reason3}; the first is kept. */
    public static final String REASON_1 = "Reason1";
    public static final String START_DATE = "StartDate";
    public static final String SESSIONS = "Sessions";

    public static final String ATTENDANCE = "Attendance";
    public static final String TERMLY_ATTENDANCE = "TermlyAttendance";
    public static final String SESSIONS_POSSIBLE = "SessionsPossible";
    public static final String SESSIONS_AUTHORISED = "SessionsAuthorised";
    public static final String SESSIONS_UNAUTHORISED = "SessionsUnauthorised";
}
