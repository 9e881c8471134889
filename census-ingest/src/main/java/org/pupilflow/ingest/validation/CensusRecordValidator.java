package org.pupilflow.ingest.validation;

import java.time.LocalDate;
import java.time.Month;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;

import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.FsmPeriod;
import org.pupilflow.census.SenNeed;
import org.pupilflow.formats.codes.CodeList;
import org.pupilflow.formats.codes.CodeLists;
import org.pupilflow.identifiers.IdentifierCheck;
import org.pupilflow.identifiers.Uln;
import org.pupilflow.identifiers.UpnValidator;
import org.pupilflow.formats.read.CensusField;
import org.pupilflow.formats.read.FieldIssue;
import org.pupilflow.formats.read.FieldNames;
import org.pupilflow.formats.read.ParsedRecord;

/**
 * The census rules a record must pass before it is published, each reported with the record's
 * location, the field and the rule: identifier check characters, dates that cannot be right,
 * and every field with a DfE code list checked against it (sex, NC year, enrolment status, SEN
 * provision and types of need, ethnicity, first language, FSM periods' UK country), the lists
 * kept as reference data ({@link CodeLists}). Duplicates within a return are found by {@link DuplicateUpns}.
 */
public final class CensusRecordValidator {

    /** Pupils are sometimes taught a year above or below their age group; more than that is a data error. */
    private static final int NC_YEAR_TOLERANCE = 1;
    /** Codes listed in a code-list issue; longer lists are counted. */
    private static final int CODES_SHOWN = 25;

    private final UpnValidator upns;
    private final CodeLists codes;

    public CensusRecordValidator(UpnValidator upns) {
        this(upns, CodeLists.bundled());
    }

    public CensusRecordValidator(UpnValidator upns, CodeLists codes) {
        this.upns = upns;
        this.codes = codes;
    }

    /** Issues with a parsed record's values; empty when it may be published. {@code today} bounds dates of birth. */
    public List<FieldIssue> validate(ParsedRecord record, LocalDate today) {
        CensusPupil pupil = record.pupil();
        List<FieldIssue> issues = new ArrayList<>(0);
        String at = record.location();
        FieldNames fields = record.fields();
        identifier(issues, at, fields.of(CensusField.UPN), upns.check(pupil.getIdentity().getUpn()));
        if (pupil.getIdentity().getFormerUpn() != null) {
            identifier(issues, at, fields.of(CensusField.FORMER_UPN), upns.check(pupil.getIdentity().getFormerUpn()));
        }
        if (pupil.getIdentity().getUln() != null) {
            identifier(issues, at, fields.of(CensusField.ULN), Uln.check(pupil.getIdentity().getUln()));
        }
        codeList(issues, at, fields.of(CensusField.SEX), pupil.getSex(), codes.sex());
        codeList(issues, at, fields.of(CensusField.NC_YEAR), pupil.getEnrolment().getNcYearActual(), codes.ncYear());
        codeList(issues, at, fields.of(CensusField.ENROLMENT_STATUS), pupil.getEnrolment().getEnrolmentStatus(), codes.enrolmentStatus());
        codeList(issues, at, fields.of(CensusField.SEN_PROVISION), pupil.getSpecialEducationalNeeds().getProvision(), codes.senProvision());
        for (SenNeed need : pupil.getSpecialEducationalNeeds().getNeeds()) {
            codeList(issues, at, fields.of(CensusField.SEN_NEED_TYPE), need.getType(), codes.senNeed());
        }
        codeList(issues, at, fields.of(CensusField.ETHNICITY), pupil.getEthnicity().getCode(), codes.ethnicity());
        codeList(issues, at, fields.of(CensusField.FIRST_LANGUAGE), pupil.getFirstLanguage().getCode(), codes.language());
        for (FsmPeriod period : pupil.getFreeSchoolMeals().getPeriods()) {
            codeList(issues, at, fields.of(CensusField.FSM_UK_COUNTRY), period.getUkCountry(), codes.ukCountry());
        }
        dateOfBirth(issues, at, fields.of(CensusField.DATE_OF_BIRTH), pupil, today);
        return issues;
    }

    private static void dateOfBirth(List<FieldIssue> issues, String at, String field, CensusPupil pupil, LocalDate today) {
        LocalDate dob = pupil.getDateOfBirth();
        LocalDate censusDay = pupil.getCensus().getCensusDay();
        if (dob.isAfter(today) || dob.isAfter(censusDay)) {
            issues.add(new FieldIssue(at, field, "dob-future", "DOB " + dob + " is after " + (dob.isAfter(today) ? "today" : "census day " + censusDay)));
            return;
        }
        Integer ncYear = numericNcYear(pupil.getEnrolment().getNcYearActual());
        if (ncYear == null) {
            return;
        }
        int academicYearStart = censusDay.getMonthValue() >= 9 ? censusDay.getYear() : censusDay.getYear() - 1;
        int expected = Period.between(dob, LocalDate.of(academicYearStart, Month.AUGUST, 31)).getYears() - 4;
        if (Math.abs(expected - ncYear) > NC_YEAR_TOLERANCE) {
            issues.add(new FieldIssue(at, field, "dob-nc-year", "DOB " + dob + " puts the pupil in " + yearName(expected)
                    + " in " + academicYearStart + "/" + (academicYearStart + 1) + ", not " + yearName(ncYear)
                    + " (more than " + NC_YEAR_TOLERANCE + " year out of their age group)"));
        }
    }

    private static Integer numericNcYear(String code) {
        if (code.equals("R")) {
            return 0;
        }
        try {
            return Integer.valueOf(code);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String yearName(int ncYear) {
        return ncYear == 0 ? "Reception" : ncYear < 0 ? "pre-school" : "Year " + ncYear;
    }

    private static void identifier(List<FieldIssue> issues, String at, String field, IdentifierCheck check) {
        if (!check.valid()) {
            issues.add(new FieldIssue(at, field, check.problem().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), check.message()));
        }
    }

    private static void codeList(List<FieldIssue> issues, String at, String field, String value, CodeList allowed) {
        if (!allowed.contains(value)) {
            issues.add(new FieldIssue(at, field, "code-list", field + " '" + value + "' is not one of [" + allowed.describe(CODES_SHOWN) + "]"));
        }
    }
}
