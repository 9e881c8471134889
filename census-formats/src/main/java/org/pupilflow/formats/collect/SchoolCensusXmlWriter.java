package org.pupilflow.formats.collect;

import static org.pupilflow.formats.collect.SchoolCensusElements.*;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.pupilflow.census.Address;
import org.pupilflow.census.AttendanceYear;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Exclusion;
import org.pupilflow.census.FsmPeriod;
import org.pupilflow.census.School;
import org.pupilflow.census.SenNeed;
import org.pupilflow.formats.write.CensusWriter;
import org.pupilflow.formats.write.ReturnHeader;

/**
 * Writes a school census return (COLLECT XML) with StAX, one pupil at a time: the header with the
 * collection details and the school, then each pupil on roll with its modules.
 *
 * <p>A school census return is one school's: every pupil written is on roll at {@code school},
 * whatever school the record names. What the return does not carry (contacts, telephones,
 * assessments, looked-after and child-in-need flags, preferred forename, the sources of ethnicity
 * and language, FSM review and SEN start dates, attendance other than the termly attendance the
 * census reports) is not written: {@code census-formats/README.md}.
 */
public final class SchoolCensusXmlWriter implements CensusWriter {

    private final OutputStream out;
    private final XMLStreamWriter xml;
    private final int attendanceYear;
    private boolean closed;

    public SchoolCensusXmlWriter(OutputStream target, ReturnHeader header, School school) throws IOException {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(school, "school");
        this.out = new BufferedOutputStream(target, 1 << 16);
        this.attendanceYear = SchoolCensusCodes.attendanceAcademicYear(header.term(), header.academicYearStart());
        try {
            this.xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            newline();
            xml.writeStartElement(ROOT);
            newline();
            writeHeader(header, school);
            writeSchool(school);
            xml.writeStartElement(PUPILS);
            xml.writeStartElement(PUPILS_ON_ROLL);
            newline();
        } catch (XMLStreamException e) {
            throw new IOException("Cannot start the school census return: " + e.getMessage(), e);
        }
    }

    private void writeHeader(ReturnHeader header, School school) throws XMLStreamException {
        xml.writeStartElement(HEADER);
        xml.writeStartElement(COLLECTION_DETAILS);
        element(COLLECTION, SchoolCensusCodes.SCHOOL_CENSUS);
        element(TERM, SchoolCensusCodes.termCode(header.term()));
        element(YEAR, Integer.toString(header.censusDay().getYear()));
        element(REFERENCE_DATE, header.censusDay().toString());
        xml.writeEndElement();
        xml.writeStartElement(SOURCE);
        element(SOURCE_LEVEL, SchoolCensusCodes.SOURCE_LEVEL_SCHOOL);
        element(LEA, school.getLaNumber());
        element(ESTAB, school.getEstablishmentNumber());
        element(SOFTWARE_CODE, "PupilFlow");
        element(RELEASE, "1");
        element(SERIAL_NO, "001");
        element(DATE_TIME, header.generatedAt().withNano(0).toString());
        xml.writeEndElement();
        xml.writeEndElement();
        newline();
    }

    private void writeSchool(School school) throws XMLStreamException {
        xml.writeStartElement(SCHOOL_INFORMATION);
        xml.writeStartElement(SCHOOL_LOCATION);
        element(LEA, school.getLaNumber());
        element(ESTAB, school.getEstablishmentNumber());
        optional(URN, school.getUrn());
        element(SCHOOL_NAME, school.getName());
        xml.writeEndElement();
        String phase = SchoolCensusCodes.phaseCode(school.getPhase());
        if (phase != null) {
            xml.writeStartElement(SCHOOL_CHARACTERISTICS);
            element(PHASE, phase);
            xml.writeEndElement();
        }
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
        xml.writeStartElement(PUPIL_ON_ROLL);

        xml.writeStartElement(PUPIL_IDENTIFIERS);
        element(UPN, p.getIdentity().getUpn());
        optional(FORMER_UPN, p.getIdentity().getFormerUpn());
        optional(UNIQUE_LEARNER_NUMBER, p.getIdentity().getUln());
        element(SURNAME, p.getNames().getLegalSurname());
        element(FORENAME, p.getNames().getLegalForename());
        optional(MIDDLE_NAMES, p.getNames().getMiddleNames());
        optional(PREFERRED_SURNAME, p.getNames().getPreferredSurname());
        optional(FORMER_SURNAME, p.getNames().getFormerSurname());
        element(DOB, p.getDateOfBirth().toString());
        element(SEX, p.getSex());
        xml.writeEndElement();

        xml.writeStartElement(PUPIL_CHARACTERISTICS);
        element(ETHNICITY, p.getEthnicity().getCode());
        xml.writeStartElement(LANGUAGES);
        xml.writeStartElement(LANGUAGE_TYPE_GROUP);
        element(LANGUAGE_TYPE, FIRST_LANGUAGE);
        element(LANGUAGE, p.getFirstLanguage().getCode());
        xml.writeEndElement();
        xml.writeEndElement();
        if (!p.getFreeSchoolMeals().getPeriods().isEmpty()) {
            xml.writeStartElement(FSM_PERIODS);
            for (FsmPeriod period : p.getFreeSchoolMeals().getPeriods()) {
                xml.writeStartElement(FSM_PERIOD);
                element(FSM_START_DATE, period.getStartDate().toString());
                optional(FSM_END_DATE, period.getEndDate());
                element(UK_COUNTRY, period.getUkCountry());
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }
        xml.writeEndElement();

        xml.writeStartElement(PUPIL_STATUS);
        element(ENROL_STATUS, p.getEnrolment().getEnrolmentStatus());
        optional(ENTRY_DATE, p.getEnrolment().getEntryDate());
        element(NC_YEAR_ACTUAL, p.getEnrolment().getNcYearActual());
        xml.writeEndElement();

        xml.writeStartElement(SPECIAL_EDUCATIONAL_NEEDS);
        element(SEN_PROVISION, p.getSpecialEducationalNeeds().getProvision());
        if (!p.getSpecialEducationalNeeds().getNeeds().isEmpty()) {
            xml.writeStartElement(SEN_NEEDS);
            for (SenNeed need : p.getSpecialEducationalNeeds().getNeeds()) {
                xml.writeStartElement(SEN_NEED);
                element(SEN_TYPE_RANK, Integer.toString(need.getRank()));
                element(SEN_TYPE, need.getType());
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }
        xml.writeEndElement();

        xml.writeStartElement(HOME_INFORMATION);
        writeAddress(p.getAddress());
        xml.writeEndElement();

        if (!p.getExclusions().isEmpty()) {
            xml.writeStartElement(EXCLUSIONS);
            for (Exclusion exclusion : p.getExclusions()) {
                xml.writeStartElement(TERMLY_EXCLUSION);
                element(CATEGORY, exclusion.getCategory());
                element(REASON, exclusion.getReason());
                element(START_DATE, exclusion.getStartDate().toString());
                optional(SESSIONS, exclusion.getSessions());
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }

        AttendanceYear attendance = termlyAttendance(p.getAttendance());
        if (attendance != null) {
            xml.writeStartElement(ATTENDANCE);
            xml.writeStartElement(TERMLY_ATTENDANCE);
            element(SESSIONS_POSSIBLE, Integer.toString(attendance.getSessionsPossible()));
            element(SESSIONS_AUTHORISED, Integer.toString(attendance.getSessionsAuthorised()));
            element(SESSIONS_UNAUTHORISED, Integer.toString(attendance.getSessionsUnauthorised()));
            xml.writeEndElement();
            xml.writeEndElement();
        }

        xml.writeEndElement();
        newline();
    }

    /** The attendance of the academic year the census's termly attendance belongs to, or null. */
    private AttendanceYear termlyAttendance(List<AttendanceYear> years) {
        for (AttendanceYear year : years) {
            if (year.getYear() == attendanceYear) {
                return year;
            }
        }
        return null;
    }

    private void writeAddress(Address address) throws XMLStreamException {
        xml.writeStartElement(ADDRESS);
        List<String> lines = address.getLines();
        if (!lines.isEmpty()) {
            xml.writeStartElement(ADDRESS_LINES);
            for (int i = 0; i < lines.size(); i++) {
                element(ADDRESS_LINE_PREFIX + (i + 1), lines.get(i));
            }
            xml.writeEndElement();
        }
        optional(POST_TOWN, address.getTown());
        optional(POST_CODE, address.getPostcode());
        optional(UNIQUE_PROPERTY_REFERENCE_NUMBER, address.getUprn());
        xml.writeEndElement();
    }

    private void element(String name, String text) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(text);
        xml.writeEndElement();
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
            xml.writeEndElement();
            newline();
            xml.writeEndElement();
            newline();
            xml.writeEndDocument();
            xml.close();
            out.close();
        } catch (XMLStreamException e) {
            throw new IOException("Cannot finish the school census return: " + e.getMessage(), e);
        }
    }
}
