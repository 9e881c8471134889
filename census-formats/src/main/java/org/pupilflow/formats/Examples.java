package org.pupilflow.formats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Small census files written by hand from the public specifications, not by PupilFlow's writers:
 * the examples of the README and the samples the tests load. Synthetic people.
 *
 * <ul>
 * <li>{@link #SCHOOL_MIS_CTF}: a CTF 25.0 as a school's MIS sends it, the school only in
 * {@code Header/SourceSchool}, no census date, nothing PupilFlow adds; two Norfolk pupils, one with
 * a UPN issued by Lancashire.</li>
 * <li>{@link #SCHOOL_CENSUS_RETURN}: a primary school's spring 2026 school census return (COLLECT
 * XML) with three pupils on roll, one leaver and a class to skip.</li>
 * <li>{@link #CENSUS_TABLES}: the spring 2026 census tables of two schools, four pupils.</li>
 * </ul>
 */
public final class Examples {

    public static final String SCHOOL_MIS_CTF = "school-mis-ctf-25.xml";
    public static final String SCHOOL_CENSUS_RETURN = "school-census-spring-2026.xml";
    /** The directory of the census tables' CSV files. */
    public static final String CENSUS_TABLES = "census-tables-spring-2026";
    /** The census tables' files, in the order {@link #censusTablesZip()} puts them. */
    public static final List<String> CENSUS_TABLE_FILES = List.of("schoolcensus.csv", "school.csv", "pupilonroll.csv", "addresses.csv",
            "fsmperiod.csv", "senneeds.csv", "termlyexclusionsonroll.csv", "classes.csv");

    private Examples() {
    }

    /** The bytes of an example: {@link #SCHOOL_MIS_CTF}, {@link #SCHOOL_CENSUS_RETURN}, or {@code census-tables-spring-2026/<file>}. */
    public static byte[] bytes(String name) {
        try (InputStream in = Examples.class.getResourceAsStream("examples/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no example " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example census tables as the zip an LA uploads. */
    public static byte[] censusTablesZip() {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            for (String file : CENSUS_TABLE_FILES) {
                out.putNextEntry(new ZipEntry(file));
                out.write(bytes(CENSUS_TABLES + "/" + file));
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip.toByteArray();
    }
}
