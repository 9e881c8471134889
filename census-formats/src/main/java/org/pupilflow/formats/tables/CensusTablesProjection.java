package org.pupilflow.formats.tables;

import java.util.ArrayList;
import java.util.List;

import org.pupilflow.census.AttendanceYear;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.formats.collect.SchoolCensusCodes;
import org.pupilflow.formats.write.ReturnHeader;

/**
 * What a pupil record looks like after a trip through the census tables: the parts the tables
 * carry, and nothing of what they do not. The round-trip tests compare with it, so it is the
 * executable list of {@code census-formats/README.md}'s "not carried".
 */
public final class CensusTablesProjection {

    private CensusTablesProjection() {
    }

    /** A copy of {@code pupil} as tables written with {@code header} carry it. */
    public static CensusPupil of(CensusPupil pupil, ReturnHeader header) {
        CensusPupil copy = CensusPupil.newBuilder(pupil).build();
        int attendanceYear = SchoolCensusCodes.attendanceAcademicYear(header.term(), header.academicYearStart());
        List<AttendanceYear> termly = new ArrayList<>(1);
        for (AttendanceYear year : copy.getAttendance()) {
            if (year.getYear() == attendanceYear) {
                termly.add(year);
            }
        }
        copy.setParents(new ArrayList<>(0));
        copy.setTelephones(new ArrayList<>(0));
        copy.getNames().setPreferredForename(null);
        copy.getEthnicity().setSource(null);
        copy.getFirstLanguage().setSource(null);
        copy.getFreeSchoolMeals().setReviewDate(null);
        copy.getSpecialEducationalNeeds().setStartDate(null);
        copy.getAddress().setLines(new ArrayList<>(copy.getAddress().getLines().subList(0, Math.min(CensusTables.ADDRESS_LINES, copy.getAddress().getLines().size()))));
        copy.setAttendance(termly);
        copy.setEarlyYearsFoundationStage(new ArrayList<>(0));
        copy.setPhonics(new ArrayList<>(0));
        copy.setKeyStage1(new ArrayList<>(0));
        copy.setKeyStage2(new ArrayList<>(0));
        copy.getLookedAfter().setInCare(false);
        copy.getLookedAfter().setCareAuthority(null);
        copy.setChildInNeed(false);
        return copy;
    }
}
