package org.pupilflow.formats.codes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The DfE code lists census fields are checked against, kept as reference data beside this class
 * ({@code org/pupilflow/formats/codes/*.csv}: a header row {@code code[,description]}, one code a line, {@code #}
 * comments naming the source), so a change of the DfE's lists is a data change, not a code change.
 *
 * @param sex             Sex
 * @param ncYear          NCyearActual
 * @param enrolmentStatus EnrolStatus
 * @param senProvision    SENprovision
 * @param senNeed         SENtype
 * @param ethnicity       Ethnicity (main codes)
 * @param language        first Language (main codes; extended codes, a main code and a letter, accepted)
 * @param ukCountry       UKcountry of an FSM period
 */
public record CodeLists(CodeList sex, CodeList ncYear, CodeList enrolmentStatus, CodeList senProvision, CodeList senNeed, CodeList ethnicity,
                        CodeList language, CodeList ukCountry) {

    private static final CodeLists BUNDLED = new CodeLists(load("sex", false), load("nc-year", false), load("enrolment-status", false),
            load("sen-provision", false), load("sen-need", false), load("ethnicity", false), load("language", true), load("uk-country", false));

    /** The lists shipped with PupilFlow. */
    public static CodeLists bundled() {
        return BUNDLED;
    }

    static CodeList load(String name, boolean extendedByOne) {
        String resource = name + ".csv";
        InputStream in = CodeLists.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("Code list " + resource + " is missing from the classpath");
        }
        Set<String> codes = new LinkedHashSet<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            boolean header = true;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                int comma = line.indexOf(',');
                String code = (comma < 0 ? line : line.substring(0, comma)).strip();
                if (!codes.add(code)) {
                    throw new IllegalStateException("Code list " + resource + " names " + code + " twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (codes.isEmpty()) {
            throw new IllegalStateException("Code list " + resource + " is empty");
        }
        return new CodeList(name, codes, extendedByOne);
    }
}
