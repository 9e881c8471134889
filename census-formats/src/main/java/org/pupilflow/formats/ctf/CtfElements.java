package org.pupilflow.formats.ctf;

/**
 * The element names of the Common Transfer File, PupilFlow's single spelling of them: the reader,
 * the writer and anything else that needs a CTF element name (the fixtures' identifier check)
 * use these constants. Sources: DfE's CTF specification and the public code that reads and
 * writes CTF 25.0 (census-formats/README.md). The few elements PupilFlow adds for a census return
 * are marked; a school's CTF never needs them.
 */
public final class CtfElements {

    private CtfElements() {
    }

    /** A slash-separated path of element names, as {@code XmlElement.at} and issue fields use them. */
    public static String path(String... names) {
        return String.join("/", names);
    }

    /** The prefix of the numbered address lines, {@code AddressLine1} to {@code AddressLine5}. */
    public static final String ADDRESS_LINE_PREFIX = "AddressLine";
    /** {@code LanguageType} of the first language. */
    public static final String FIRST_LANGUAGE = "F";

    // PupilFlow's additions for a census return: Header/CollectionDetails {ReturnID, Term, CensusDate},
    // BasicDetails/EntryDate and ChildInNeed, Exclusions/Exclusion, SchoolHistory/School/Phase (census-formats/README.md).

    public static final String ROOT = "CTfile";
    public static final String HEADER = "Header";
    public static final String PUPIL_DATA = "CTFpupilData";
    public static final String PUPIL = "Pupil";
    public static final String DOCUMENT_NAME = "DocumentName";
    public static final String CTF_VERSION_ELEMENT = "CTFversion";
    public static final String DATE_TIME = "DateTime";
    public static final String DOCUMENT_QUALIFIER = "DocumentQualifier";
    public static final String DATA_DESCRIPTOR = "DataDescriptor";
    public static final String SUPPLIER_ID = "SupplierID";
    public static final String SOURCE_SCHOOL = "SourceSchool";
    public static final String DEST_SCHOOL = "DestSchool";
    public static final String LEA = "LEA";
    public static final String ESTAB = "Estab";
    public static final String URN = "URN";
    public static final String SCHOOL_NAME = "SchoolName";
    public static final String ACADEMIC_YEAR = "AcademicYear";
    public static final String COLLECTION_DETAILS = "CollectionDetails";
    public static final String RETURN_ID = "ReturnID";
    public static final String TERM = "Term";
    public static final String CENSUS_DATE = "CensusDate";
    public static final String UPN = "UPN";
    public static final String UNIQUE_LEARNER_NUMBER = "UniqueLearnerNumber";
    public static final String SURNAME = "Surname";
    public static final String FORENAME = "Forename";
    public static final String DOB = "DOB";
    public static final String SEX = "Sex";
    public static final String GENDER = "Gender";
    public static final String BASIC_DETAILS = "BasicDetails";
    public static final String FORMER_UPN = "FormerUPN";
    public static final String PREFERRED_SURNAME = "PreferredSurname";
    public static final String PREFERRED_FORENAME = "PreferredForename";
    public static final String FORMER_SURNAME = "FormerSurname";
    public static final String MIDDLE_NAMES = "MiddleNames";
    public static final String NC_YEAR_ACTUAL = "NCyearActual";
    public static final String ETHNICITY = "Ethnicity";
    public static final String ETHNICITY_SOURCE = "EthnicitySource";
    public static final String LANGUAGES = "Languages";
    public static final String LANGUAGE_TYPE_GROUP = "Type";
    public static final String LANGUAGE_TYPE = "LanguageType";
    public static final String LANGUAGE = "Language";
    public static final String LANGUAGE_SOURCE = "LanguageSource";
    public static final String ENROL_STATUS = "EnrolStatus";
    public static final String ENTRY_DATE = "EntryDate";
    public static final String CHILD_IN_NEED = "ChildInNeed";
    public static final String LOOKED_AFTER = "LookedAfter";
    public static final String IN_CARE = "InCare";
    public static final String CARE_AUTHORITY = "CareAuthority";
    public static final String FSM_HISTORY = "FSMhistory";
    public static final String FSM_REVIEW_DATE = "FSMreviewDate";
    public static final String FSM_INSTANCE = "FSMinstance";
    public static final String FSM_START_DATE = "FSMstartDate";
    public static final String FSM_END_DATE = "FSMendDate";
    public static final String UK_COUNTRY = "UKcountry";
    public static final String SEN_HISTORY = "SENhistory";
    public static final String SEN = "SEN";
    public static final String START_DATE = "StartDate";
    public static final String SEN_PROVISION = "SENprovision";
    public static final String SEN_NEEDS = "SENneeds";
    public static final String SEN_NEED = "SENneed";
    public static final String SEN_TYPE = "SENtype";
    public static final String SEN_TYPE_RANK = "SENtypeRank";
    public static final String EXCLUSIONS = "Exclusions";
    public static final String EXCLUSION = "Exclusion";
    public static final String CATEGORY = "Category";
    public static final String REASON = "Reason";
    public static final String SESSIONS = "Sessions";
    public static final String ADDRESS = "Address";
    public static final String ADDRESS_LINES = "AddressLines";
    public static final String BS7666_ADDRESS = "BS7666Address";
    public static final String SAON = "SAON";
    public static final String PAON = "PAON";
    public static final String STREET = "Street";
    public static final String LOCALITY = "Locality";
    public static final String TOWN = "Town";
    public static final String POST_TOWN = "PostTown";
    public static final String POST_CODE = "PostCode";
    public static final String UNIQUE_PROPERTY_REFERENCE_NUMBER = "UniquePropertyReferenceNumber";
    public static final String PHONES = "Phones";
    public static final String PHONE = "Phone";
    public static final String TELEPHONE_TYPE = "TelephoneType";
    public static final String PHONE_NO = "PhoneNo";
    public static final String CONTACTS = "Contacts";
    public static final String CONTACT = "Contact";
    public static final String ORDER = "Order";
    public static final String TITLE = "Title";
    public static final String RELATIONSHIP = "Relationship";
    public static final String RESPONSIBILITY = "Responsibility";
    public static final String ADDRESS_AS_PUPIL = "AddressAsPupil";
    public static final String ATTENDANCE = "Attendance";
    public static final String YEAR_DATA = "YearData";
    public static final String YEAR = "Year";
    public static final String SESSIONS_POSSIBLE = "SessionsPossible";
    public static final String SESSIONS_AUTHORISED = "SessionsAuthorised";
    public static final String SESSIONS_UNAUTHORISED = "SessionsUnauthorised";
    public static final String STAGE_ASSESSMENTS = "StageAssessments";
    public static final String KEY_STAGE = "KeyStage";
    public static final String STAGE = "Stage";
    public static final String STAGE_ASSESSMENT = "StageAssessment";
    public static final String LOCALE = "Locale";
    public static final String SUBJECT = "Subject";
    public static final String METHOD = "Method";
    public static final String COMPONENT = "Component";
    public static final String RESULT_STATUS = "ResultStatus";
    public static final String RESULT_QUALIFIER = "ResultQualifier";
    public static final String RESULT = "Result";
    public static final String SCHOOL_HISTORY = "SchoolHistory";
    public static final String SCHOOL = "School";
    public static final String LEAVING_DATE = "LeavingDate";
    public static final String PHASE = "Phase";
}
