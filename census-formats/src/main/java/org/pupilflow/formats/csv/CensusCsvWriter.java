package org.pupilflow.formats.csv;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.pupilflow.census.Address;
import org.pupilflow.census.AssessmentResult;
import org.pupilflow.census.AttendanceYear;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Parent;
import org.pupilflow.census.Telephone;
import org.pupilflow.formats.write.CensusWriter;

/**
 * Writes a census return as CSV (RFC 4180, header row, UTF-8), one row per pupil. Repeating
 * items (FSM periods, SEN needs, exclusions, assessments) are packed into one cell: items
 * separated by {@code ;}, an item's parts by {@code /}, an absent part left empty. Up to two
 * contacts are written, as in most MIS exports. The columns are listed in
 * {@code census-fixtures/README.md}.
 */
public final class CensusCsvWriter implements CensusWriter {

    /** The columns written, in order ({@link CensusCsvColumns#HEADER}). */
    public static final List<String> HEADER = CensusCsvColumns.HEADER;

    private final CSVPrinter printer;

    public CensusCsvWriter(OutputStream target) throws IOException {
        BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(target, StandardCharsets.UTF_8), 1 << 16);
        this.printer = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader(HEADER.toArray(String[]::new)).get());
    }

    @Override
    public void write(CensusPupil p) throws IOException {
        List<String> row = new ArrayList<>(HEADER.size());
        row.add(p.getIdentity().getUpn());
        row.add(p.getIdentity().getFormerUpn());
        row.add(p.getIdentity().getUln());
        row.add(p.getNames().getLegalSurname());
        row.add(p.getNames().getLegalForename());
        row.add(p.getNames().getMiddleNames());
        row.add(p.getNames().getPreferredSurname());
        row.add(p.getNames().getPreferredForename());
        row.add(p.getNames().getFormerSurname());
        row.add(p.getDateOfBirth().toString());
        row.add(p.getSex());
        addAddress(row, p.getAddress(), 3, true);
        row.add(phone(p.getTelephones(), null));
        for (int order = 1; order <= 2; order++) {
            Parent parent = p.getParents().size() >= order ? p.getParents().get(order - 1) : null;
            addContact(row, parent, p.getTelephones());
        }
        row.add(p.getSchool().getLaNumber());
        row.add(p.getSchool().getEstablishmentNumber());
        row.add(p.getSchool().getUrn());
        row.add(p.getSchool().getName());
        row.add(p.getSchool().getPhase().name());
        row.add(p.getEnrolment().getNcYearActual());
        row.add(p.getEnrolment().getEnrolmentStatus());
        row.add(text(p.getEnrolment().getEntryDate()));
        row.add(text(p.getFreeSchoolMeals().getReviewDate()));
        row.add(items(p.getFreeSchoolMeals().getPeriods(), f -> parts(f.getStartDate(), f.getEndDate(), f.getUkCountry())));
        row.add(p.getSpecialEducationalNeeds().getProvision());
        row.add(text(p.getSpecialEducationalNeeds().getStartDate()));
        row.add(items(p.getSpecialEducationalNeeds().getNeeds(), n -> parts(n.getType(), n.getRank())));
        row.add(p.getFirstLanguage().getCode());
        row.add(p.getFirstLanguage().getSource());
        row.add(p.getEthnicity().getCode());
        row.add(p.getEthnicity().getSource());
        row.add(items(p.getExclusions(), e -> parts(e.getCategory(), e.getReason(), e.getStartDate(), e.getSessions())));
        row.add(items(p.getAttendance(), CensusCsvWriter::attendance));
        row.add(items(p.getEarlyYearsFoundationStage(), CensusCsvWriter::assessment));
        row.add(items(p.getPhonics(), CensusCsvWriter::assessment));
        row.add(items(p.getKeyStage1(), CensusCsvWriter::assessment));
        row.add(items(p.getKeyStage2(), CensusCsvWriter::assessment));
        row.add(Boolean.toString(p.getLookedAfter().getInCare()));
        row.add(p.getLookedAfter().getCareAuthority());
        row.add(Boolean.toString(p.getChildInNeed()));
        row.add(p.getCensus().getReturnId());
        row.add(p.getCensus().getTerm().name());
        row.add(p.getCensus().getCensusDay().toString());
        row.add(p.getCensus().getLaNumber());
        printer.printRecord(row);
    }

    private static void addAddress(List<String> row, Address address, int lines, boolean withUprn) {
        for (int i = 0; i < lines; i++) {
            row.add(address != null && address.getLines().size() > i ? address.getLines().get(i) : null);
        }
        row.add(address == null ? null : address.getTown());
        row.add(address == null ? null : address.getPostcode());
        if (withUprn) {
            row.add(address == null ? null : address.getUprn());
        }
    }

    private static void addContact(List<String> row, Parent parent, List<Telephone> phones) {
        if (parent == null) {
            for (int i = 0; i < 12; i++) {
                row.add(null);
            }
            return;
        }
        row.add(Integer.toString(parent.getOrder()));
        row.add(parent.getTitle());
        row.add(parent.getForename());
        row.add(parent.getSurname());
        row.add(parent.getRelationship());
        row.add(Boolean.toString(parent.getParentalResponsibility()));
        row.add(Boolean.toString(parent.getAddressSameAsPupil()));
        addAddress(row, parent.getAddressSameAsPupil() ? null : parent.getAddress(), 2, false);
        row.add(phone(phones, parent.getOrder()));
    }

    private static String phone(List<Telephone> phones, Integer contactOrder) {
        return phones.stream().filter(t -> Objects.equals(t.getContactOrder(), contactOrder)).map(Telephone::getNumber).findFirst().orElse(null);
    }

    private static String attendance(AttendanceYear a) {
        return parts(a.getYear(), a.getSessionsPossible(), a.getSessionsAuthorised(), a.getSessionsUnauthorised());
    }

    private static String assessment(AssessmentResult r) {
        return parts(r.getYear(), r.getSubject(), r.getMethod(), r.getComponent(), r.getResultStatus(), r.getResultQualifier(), r.getValue());
    }

    private static <T> String items(List<T> items, Function<T, String> item) {
        return items.stream().map(item).collect(Collectors.joining(";"));
    }

    private static String parts(Object... parts) {
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                joined.append('/');
            }
            if (parts[i] != null) {
                joined.append(parts[i]);
            }
        }
        return joined.toString();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    @Override
    public void close() throws IOException {
        printer.close(true);
    }
}
