package org.pupilflow.formats.collect;

import java.util.ArrayList;
import java.util.List;

import org.pupilflow.census.AttendanceYear;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.School;
import org.pupilflow.formats.write.ReturnHeader;

/**
 * What a pupil record looks like after a trip through a school census return: the parts the
 * return carries, and nothing of what it does not. The round-trip tests compare with it, so it is
 * the executable list of {@code census-formats/README.md}'s "not carried".
 */
public final class SchoolCensusProjection {

    private SchoolCensusProjection() {
    }

    /** A copy of {@code pupil} as the school census return of {@code school}, made with {@code header}, carries it. */
    public static CensusPupil of(CensusPupil pupil, School school, ReturnHeader header) {
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
        copy.setSchool(School.newBuilder(school).build());
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
