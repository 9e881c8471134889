package org.pupilflow.formats.census;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import org.pupilflow.census.CensusContext;
import org.pupilflow.census.CensusTerm;
import org.pupilflow.formats.census.CensusDayChoice.Source;
import org.pupilflow.formats.census.FileCensus.Value;
import org.pupilflow.formats.read.RecordIssues;
import org.pupilflow.formats.read.ReturnContext;

/**
 * Decides the census context of a record: term, census day and LA, each from the file when it
 * says, else from the upload ({@link ReturnContext}), and — for formats that allow it — a census
 * day neither gives from the DfE rule for the term and academic year.
 *
 * <ul>
 * <li>Term: the file's, else the upload's, else (deriving) the term the file was made in
 * ({@code madeAt}), else the term the return was received in.</li>
 * <li>Census day: the file's, else the upload's, else (deriving, and only when the file states no
 * census day at all) {@link CensusDays#censusDay} for the term and the academic year: the file's
 * year, else the academic year of {@code madeAt}, else of the day received.</li>
 * <li>LA: the file's, else the upload's.</li>
 * </ul>
 * A value the file states but that cannot be read is reported ("code-list", "date") and the
 * upload's used instead; a value known from neither gives a "required" issue and no context.
 */
public final class CensusContextResolver {

    private CensusContextResolver() {
    }

    /** The context and the census-day decision; both null if the context cannot be built (issues say why). */
    public record Resolution(CensusContext context, CensusDayChoice censusDay) {
    }

    public static Resolution resolve(ReturnContext upload, RecordIssues issues, FileCensus file) {
        Value termValue = file.term();
        CensusTerm fileTerm = null;
        if (termValue.text() != null) {
            fileTerm = term(termValue.text());
            if (fileTerm == null) {
                issues.add(termValue.field(), "code-list", termValue.field() + " " + RecordIssues.quote(termValue.text()) + " is not one of AUTUMN, SPRING, SUMMER");
            }
        }
        Value dayValue = file.censusDay();
        LocalDate fileDay = issues.date(dayValue.field(), dayValue.field(), dayValue.text(), false, file.dateParser(), file.dateForm());

        LocalDate madeOn = madeOn(file.madeAt().text(), file);
        String dateBasis = madeOn != null ? file.madeAt().field() + " " + file.madeAt().text() : "the day it was received, " + upload.receivedOn();
        LocalDate basisDay = madeOn != null ? madeOn : upload.receivedOn();

        CensusTerm term = fileTerm != null ? fileTerm : upload.term();
        String termSource = fileTerm != null ? termValue.field() : "the upload's term parameter";
        if (term == null && file.deriveCensusDay() && termValue.text() == null) {
            term = CensusDays.termOf(basisDay);
            termSource = dateBasis;
        }

        LocalDate day = null;
        CensusDayChoice choice = null;
        if (fileDay != null) {
            day = fileDay;
        } else if (upload.censusDay() != null) {
            day = upload.censusDay();
        } else if (file.deriveCensusDay() && dayValue.text() == null && term != null) {
            Integer year = year(file, issues, term);
            int academicYear = year != null ? year : CensusDays.academicYearStart(basisDay);
            String yearSource = year != null ? file.year().field() + " " + file.year().text() : dateBasis;
            day = upload.censusDays().censusDay(academicYear, term);
            String census = "the " + CensusDays.name(term) + " census of " + CensusDays.academicYearName(academicYear);
            String basis = " (term from " + termSource + ", academic year from " + yearSource + ")";
            LocalDate ruleDay = CensusDays.ruleDay(academicYear, term);
            choice = upload.censusDays().override(academicYear, term) != null
                    ? new CensusDayChoice(term, day, Source.CONFIGURED, "the day configured for " + census + " instead of the DfE rule's " + ruleDay + basis)
                    : new CensusDayChoice(term, day, Source.RULE, "the DfE rule for " + census + ", " + CensusDays.ruleDescription(term) + basis);
        }

        String la = file.laNumber().text() != null ? file.laNumber().text() : upload.laNumber();
        if (term == null) {
            unknown(issues, termValue, "census term");
        }
        if (day == null) {
            unknown(issues, dayValue, "census day");
        }
        if (la == null) {
            unknown(issues, new Value(null, file.laNumber().field()), "LA number");
        }
        if (term == null || day == null || la == null) {
            return new Resolution(null, null);
        }
        if (choice == null) {
            choice = fileDay != null
                    ? new CensusDayChoice(term, day, Source.FILE, "stated by the file in " + dayValue.field())
                    : new CensusDayChoice(term, day, Source.REQUEST, "given by the upload's censusDay parameter");
        }
        CensusContext context = CensusContext.newBuilder()
                .setReturnId(upload.returnId())
                .setTerm(term)
                .setCensusDay(day)
                .setLaNumber(la)
                .build();
        return new Resolution(context, choice);
    }

    /** AUTUMN, SPRING, SUMMER or AUT, SPR, SUM (case ignored); null for anything else. */
    public static CensusTerm term(String text) {
        String code = text.strip().toUpperCase(Locale.ROOT);
        for (CensusTerm term : CensusTerm.values()) {
            if (term.name().equals(code) || term.name().substring(0, 3).equals(code)) {
                return term;
            }
        }
        return null;
    }

    private static Integer year(FileCensus file, RecordIssues issues, CensusTerm term) {
        Value year = file.year();
        if (year == null || year.text() == null) {
            return null;
        }
        Integer value = issues.integer(year.field(), year.text(), false);
        if (value == null) {
            return null;
        }
        return file.yearMeaning() == FileCensus.YearMeaning.CENSUS_CALENDAR_YEAR ? CensusDays.academicYearStartOf(term, value) : value;
    }

    /** The day of an ISO date-time ("2026-01-10T09:00:00") or of a date the file's date parser reads; null if it is neither. */
    private static LocalDate madeOn(String text, FileCensus file) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(text.strip()).toLocalDate();
        } catch (DateTimeParseException notADateTime) {
            try {
                return file.dateParser().apply(text.strip());
            } catch (DateTimeParseException notADate) {
                // Only a hint for the term and year: the explanation then names the day received instead.
                return null;
            }
        }
    }

    private static void unknown(RecordIssues issues, Value value, String what) {
        if (value.text() != null) {
            // Already reported as unreadable; the record still cannot be built.
            issues.cannotBuild();
        } else {
            issues.missing(value.field(), value.field() + " is missing and the return was not given a " + what + " either");
        }
    }
}
