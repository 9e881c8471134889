package org.pupilflow.formats.collect;

import static org.pupilflow.formats.collect.SchoolCensusElements.*;

import org.pupilflow.census.School;
import org.pupilflow.census.SchoolPhase;
import org.pupilflow.formats.read.RecordIssues;
import org.pupilflow.formats.read.SchoolPhases;
import org.pupilflow.formats.xml.XmlElement;

/**
 * The school a school census return is from: every pupil of the return is on roll there. Its
 * location and name come from {@code SchoolInformation} (a module deep: {@code SchoolLocation}),
 * else from {@code Header/Source}; its phase from the school census phase code, else from the
 * establishment number.
 *
 * @param school  the school, or null if its LA, establishment or name is missing (issues say which)
 * @param laField where the school's LA number was found
 */
record SchoolOfReturn(School school, String laField) {

    static SchoolOfReturn of(XmlElement header, XmlElement information, RecordIssues issues) {
        XmlElement source = header == null ? null : header.child(SOURCE);
        String sourcePath = path(HEADER, SOURCE);
        Found la = first(Found.in(information, SCHOOL_INFORMATION, LEA), Found.in(source, sourcePath, LEA));
        Found estab = first(Found.in(information, SCHOOL_INFORMATION, ESTAB), Found.in(source, sourcePath, ESTAB));
        Found name = first(Found.in(information, SCHOOL_INFORMATION, SCHOOL_NAME), Found.in(source, sourcePath, SCHOOL_NAME));
        Found urn = first(Found.in(information, SCHOOL_INFORMATION, URN), Found.in(source, sourcePath, URN));
        Found phaseCode = Found.in(information, SCHOOL_INFORMATION, PHASE);
        issues.required(la.path(), la.text());
        issues.required(estab.path(), estab.text());
        issues.required(name.path(), name.text());
        SchoolPhase phase = SchoolCensusCodes.phase(phaseCode.text());
        if (phase == null) {
            if (phaseCode.text() != null) {
                issues.add(phaseCode.path(), "code-list", phaseCode.path() + " " + RecordIssues.quote(phaseCode.text())
                        + " is not a school census phase code (NS, PS, MP, MS, SS, AT, SP, PR)");
            }
            phase = SchoolPhases.fromEstablishment(estab.text());
        }
        if (la.text() == null || estab.text() == null || name.text() == null) {
            return new SchoolOfReturn(null, la.path());
        }
        School school = School.newBuilder().setLaNumber(la.text()).setEstablishmentNumber(estab.text()).setUrn(urn.text())
                .setName(name.text()).setPhase(phase).build();
        return new SchoolOfReturn(school, la.path());
    }

    /** {@code preferred} if the file has it, else {@code fallback} (whose path names the field when both are absent). */
    private static Found first(Found preferred, Found fallback) {
        return preferred.text() != null ? preferred : fallback.text() != null ? fallback : preferred;
    }
}
