package org.pupilflow.formats.ctf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import static org.pupilflow.formats.ctf.CtfElements.*;

import org.pupilflow.census.Address;
import org.pupilflow.census.AssessmentResult;
import org.pupilflow.census.AttendanceYear;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Exclusion;
import org.pupilflow.census.FsmPeriod;
import org.pupilflow.census.Parent;
import org.pupilflow.census.SenNeed;
import org.pupilflow.census.Telephone;
import org.pupilflow.formats.write.CensusWriter;
import org.pupilflow.formats.write.ReturnHeader;

/**
 * Writes a census return as a Common Transfer File XML document with StAX, one pupil at a time:
 * the LA as the sending "school" ({@code Estab} LLLL) and each pupil's school in its
 * {@code SchoolHistory}. Element names are the CTF's ({@link CtfElements}); the few PupilFlow
 * additions a census return needs that a school-to-school CTF lacks (census context, school phase,
 * exclusions, child-in-need flag) are listed in {@code census-formats/README.md}, so that every
 * part of a record survives the round trip.
 */
public final class CtfXmlWriter implements CensusWriter {

    public static final String CTF_VERSION = "25.0";

    private final OutputStream out;
    private final XMLStreamWriter xml;
    private boolean closed;

    public CtfXmlWriter(OutputStream target, ReturnHeader header) throws IOException {
        Objects.requireNonNull(header, "header");
        this.out = new BufferedOutputStream(target, 1 << 16);
        try {
            this.xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            newline();
            xml.writeStartElement(ROOT);
            newline();
            writeHeader(header);
            xml.writeStartElement(PUPIL_DATA);
            newline();
        } catch (XMLStreamException e) {
            throw new IOException("Cannot start CTF document: " + e.getMessage(), e);
        }
    }

    private void writeHeader(ReturnHeader spec) throws XMLStreamException {
        xml.writeStartElement(HEADER);
        element(DOCUMENT_NAME, "Common Transfer File");
        element(CTF_VERSION_ELEMENT, CTF_VERSION);
        element(DATE_TIME, spec.generatedAt().withNano(0).toString());
        element(DOCUMENT_QUALIFIER, "full");
        element(DATA_DESCRIPTOR, "CTF");
        element(SUPPLIER_ID, "PupilFlow synthetic census");
        xml.writeStartElement(SOURCE_SCHOOL);
        element(LEA, spec.laNumber());
        element(ESTAB, "LLLL");
        element(SCHOOL_NAME, "Local Authority " + spec.laNumber());
        element(ACADEMIC_YEAR, Integer.toString(spec.academicYearStart()));
        xml.writeEndElement();
        xml.writeStartElement(DEST_SCHOOL);
        element(LEA, spec.laNumber());
        element(ESTAB, "LLLL");
        xml.writeEndElement();
        xml.writeStartElement(COLLECTION_DETAILS);
        optional(RETURN_ID, spec.returnId());
        element(TERM, spec.term().name());
        element(CENSUS_DATE, spec.censusDay().toString());
        xml.writeEndElement();
        xml.writeEndElement();
        newline();
    }

    @Override
    public void write(CensusPupil pupil) throws IOException {
        try {
            writePupil(pupil);
        } catch (XMLStreamException e) {
            throw new IOException("Cannot write pupil " + pupil.getIdentity().getUpn() + ": " + e.getMessage(), e);
        }
    }

    private void writePupil(CensusPupil p) throws XMLStreamException {
        xml.writeStartElement(PUPIL);
        element(UPN, p.getIdentity().getUpn());
        optional(UNIQUE_LEARNER_NUMBER, p.getIdentity().getUln());
        element(SURNAME, p.getNames().getLegalSurname());
        element(FORENAME, p.getNames().getLegalForename());
        element(DOB, p.getDateOfBirth());
        element(SEX, p.getSex());

        xml.writeStartElement(BASIC_DETAILS);
        optional(FORMER_UPN, p.getIdentity().getFormerUpn());
        optional(PREFERRED_SURNAME, p.getNames().getPreferredSurname());
        optional(PREFERRED_FORENAME, p.getNames().getPreferredForename());
        optional(FORMER_SURNAME, p.getNames().getFormerSurname());
        optional(MIDDLE_NAMES, p.getNames().getMiddleNames());
        element(NC_YEAR_ACTUAL, p.getEnrolment().getNcYearActual());
        element(ETHNICITY, p.getEthnicity().getCode());
        optional(ETHNICITY_SOURCE, p.getEthnicity().getSource());
        xml.writeStartElement(LANGUAGES);
        xml.writeStartElement(LANGUAGE_TYPE_GROUP);
        element(LANGUAGE_TYPE, FIRST_LANGUAGE);
        element(LANGUAGE, p.getFirstLanguage().getCode());
        optional(LANGUAGE_SOURCE, p.getFirstLanguage().getSource());
        xml.writeEndElement();
        xml.writeEndElement();
        element(ENROL_STATUS, p.getEnrolment().getEnrolmentStatus());
        optional(ENTRY_DATE, p.getEnrolment().getEntryDate());
        element(CHILD_IN_NEED, Boolean.toString(p.getChildInNeed()));
        xml.writeEndElement();

        xml.writeStartElement(LOOKED_AFTER);
        element(IN_CARE, Boolean.toString(p.getLookedAfter().getInCare()));
        optional(CARE_AUTHORITY, p.getLookedAfter().getCareAuthority());
        xml.writeEndElement();

        xml.writeStartElement(FSM_HISTORY);
        optional(FSM_REVIEW_DATE, p.getFreeSchoolMeals().getReviewDate());
        for (FsmPeriod period : p.getFreeSchoolMeals().getPeriods()) {
            xml.writeStartElement(FSM_INSTANCE);
            element(FSM_START_DATE, period.getStartDate());
            optional(FSM_END_DATE, period.getEndDate());
            element(UK_COUNTRY, period.getUkCountry());
            xml.writeEndElement();
        }
        xml.writeEndElement();

        xml.writeStartElement(SEN_HISTORY);
        xml.writeStartElement(SEN);
        optional(START_DATE, p.getSpecialEducationalNeeds().getStartDate());
        element(SEN_PROVISION, p.getSpecialEducationalNeeds().getProvision());
        xml.writeEndElement();
        if (!p.getSpecialEducationalNeeds().getNeeds().isEmpty()) {
            xml.writeStartElement(SEN_NEEDS);
            for (SenNeed need : p.getSpecialEducationalNeeds().getNeeds()) {
                xml.writeStartElement(SEN_NEED);
                element(SEN_TYPE, need.getType());
                element(SEN_TYPE_RANK, Integer.toString(need.getRank()));
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }
        xml.writeEndElement();

        if (!p.getExclusions().isEmpty()) {
            xml.writeStartElement(EXCLUSIONS);
            for (Exclusion exclusion : p.getExclusions()) {
                xml.writeStartElement(EXCLUSION);
                element(CATEGORY, exclusion.getCategory());
                element(REASON, exclusion.getReason());
                element(START_DATE, exclusion.getStartDate());
                optional(SESSIONS, exclusion.getSessions());
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }

        writeAddress(p.getAddress());
        writePhones(p.getTelephones(), null);

        xml.writeStartElement(CONTACTS);
        for (Parent parent : p.getParents()) {
            xml.writeStartElement(CONTACT);
            element(ORDER, Integer.toString(parent.getOrder()));
            optional(TITLE, parent.getTitle());
            optional(FORENAME, parent.getForename());
            element(SURNAME, parent.getSurname());
            element(RELATIONSHIP, parent.getRelationship());
            element(RESPONSIBILITY, Boolean.toString(parent.getParentalResponsibility()));
            if (parent.getAddressSameAsPupil()) {
                element(ADDRESS_AS_PUPIL, "true");
            } else if (parent.getAddress() != null) {
                writeAddress(parent.getAddress());
            }
            writePhones(p.getTelephones(), parent.getOrder());
            xml.writeEndElement();
        }
        xml.writeEndElement();

        xml.writeStartElement(ATTENDANCE);
        for (AttendanceYear year : p.getAttendance()) {
            xml.writeStartElement(YEAR_DATA);
            element(YEAR, Integer.toString(year.getYear()));
            element(SESSIONS_POSSIBLE, Integer.toString(year.getSessionsPossible()));
            element(SESSIONS_AUTHORISED, Integer.toString(year.getSessionsAuthorised()));
            element(SESSIONS_UNAUTHORISED, Integer.toString(year.getSessionsUnauthorised()));
            xml.writeEndElement();
        }
        xml.writeEndElement();

        if (!p.getEarlyYearsFoundationStage().isEmpty() || !p.getPhonics().isEmpty() || !p.getKeyStage1().isEmpty() || !p.getKeyStage2().isEmpty()) {
            xml.writeStartElement(STAGE_ASSESSMENTS);
            writeKeyStage(CtfStage.EYFSP, p.getEarlyYearsFoundationStage());
            writeKeyStage(CtfStage.PHONICS, p.getPhonics());
            writeKeyStage(CtfStage.KS1, p.getKeyStage1());
            writeKeyStage(CtfStage.KS2, p.getKeyStage2());
            xml.writeEndElement();
        }

        xml.writeStartElement(SCHOOL_HISTORY);
        xml.writeStartElement(SCHOOL);
        element(LEA, p.getSchool().getLaNumber());
        element(ESTAB, p.getSchool().getEstablishmentNumber());
        optional(URN, p.getSchool().getUrn());
        element(SCHOOL_NAME, p.getSchool().getName());
        element(PHASE, p.getSchool().getPhase().name());
        xml.writeEndElement();
        xml.writeEndElement();

        xml.writeEndElement();
        newline();
    }

    private void writeAddress(Address address) throws XMLStreamException {
        xml.writeStartElement(ADDRESS);
        xml.writeStartElement(ADDRESS_LINES);
        List<String> lines = address.getLines();
        for (int i = 0; i < lines.size(); i++) {
            element(ADDRESS_LINE_PREFIX + (i + 1), lines.get(i));
        }
        xml.writeEndElement();
        optional(POST_TOWN, address.getTown());
        optional(POST_CODE, address.getPostcode());
        optional(UNIQUE_PROPERTY_REFERENCE_NUMBER, address.getUprn());
        xml.writeEndElement();
    }

    private void writePhones(List<Telephone> telephones, Integer contactOrder) throws XMLStreamException {
        boolean open = false;
        for (Telephone phone : telephones) {
            if (java.util.Objects.equals(phone.getContactOrder(), contactOrder)) {
                if (!open) {
                    xml.writeStartElement(PHONES);
                    open = true;
                }
                xml.writeStartElement(PHONE);
                element(TELEPHONE_TYPE, phone.getTelephoneType());
                element(PHONE_NO, phone.getNumber());
                xml.writeEndElement();
            }
        }
        if (open) {
            xml.writeEndElement();
        }
    }

    private void writeKeyStage(CtfStage stage, List<AssessmentResult> results) throws XMLStreamException {
        if (results.isEmpty()) {
            return;
        }
        xml.writeStartElement(KEY_STAGE);
        element(STAGE, stage.code());
        for (AssessmentResult result : results) {
            xml.writeStartElement(STAGE_ASSESSMENT);
            element(LOCALE, "ENG");
            element(YEAR, Integer.toString(result.getYear()));
            element(SUBJECT, result.getSubject());
            optional(METHOD, result.getMethod());
            optional(COMPONENT, result.getComponent());
            optional(RESULT_STATUS, result.getResultStatus());
            optional(RESULT_QUALIFIER, result.getResultQualifier());
            element(RESULT, result.getValue());
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }

    private void element(String name, String text) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }

    private void element(String name, LocalDate date) throws XMLStreamException {
        element(name, date.toString());
    }

    private void optional(String name, Object value) throws XMLStreamException {
        if (value != null) {
            element(name, value.toString());
        }
    }

    private void newline() throws XMLStreamException {
        xml.writeCharacters("\n");
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            xml.writeEndElement();
            newline();
            xml.writeEndElement();
            newline();
            xml.writeEndDocument();
            xml.close();
            out.close();
        } catch (XMLStreamException e) {
            throw new IOException("Cannot finish CTF document: " + e.getMessage(), e);
        }
    }
}
