package org.pupilflow.formats;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.CensusTerm;
import org.pupilflow.census.Parent;
import org.pupilflow.formats.csv.CensusCsvReader;
import org.pupilflow.formats.csv.CensusCsvWriter;
import org.pupilflow.formats.ctf.CtfXmlReader;
import org.pupilflow.formats.ctf.CtfXmlWriter;
import org.pupilflow.formats.read.CensusReader;
import org.pupilflow.formats.read.ParsedRecord;
import org.pupilflow.formats.read.ReturnContext;
import org.pupilflow.formats.write.CensusWriter;
import org.pupilflow.formats.write.ReturnHeader;

/**
 * A generated census for the format tests, and ways to write and read it back.
 *
 * <p>census-formats cannot use the generator (census-fixtures depends on it), so the pupils come
 * from {@code sample-census.avro}: the first 2,000 pupils of Norfolk's spring 2026 census, seed 42,
 * return id {@link #RETURN_ID}, as census-fixtures generates them. census-fixtures'
 * {@code SampleCensusTest} fails if the file and the generator ever disagree, and says how to
 * write it again.
 */
public final class Samples {

    /** The return id the sample was generated with, so parsed records (which carry the context's) can equal the originals. */
    public static final String RETURN_ID = "RET-PARSE-TEST";
    /** How many pupils the sample holds. */
    public static final int SIZE = 2_000;
    /** The census of the sample. */
    public static final LocalDate CENSUS_DAY = LocalDate.of(2026, 1, 15);
    /** The header the generator writes for the sample's census. */
    public static final ReturnHeader HEADER = new ReturnHeader("926", 2025, CensusTerm.SPRING, CENSUS_DAY, RETURN_ID, CENSUS_DAY.atTime(9, 0));
    /** Everything but the return id comes from the file. */
    public static final ReturnContext FILE_ONLY = new ReturnContext(RETURN_ID, null, null, null);

    private static final List<CensusPupil> SAMPLE = load();

    private Samples() {
    }

    private static List<CensusPupil> load() {
        try (InputStream in = Samples.class.getResourceAsStream("sample-census.avro");
             DataFileStream<CensusPupil> pupils = new DataFileStream<>(in, new SpecificDatumReader<>(CensusPupil.class))) {
            List<CensusPupil> all = new ArrayList<>(SIZE);
            pupils.forEach(all::add);
            return List.copyOf(all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code count} pupils of the sample, fresh copies each call (the records are mutable). */
    public static List<CensusPupil> pupils(int count) {
        if (count > SAMPLE.size()) {
            throw new IllegalArgumentException("the sample holds " + SAMPLE.size() + " pupils, not " + count);
        }
        return SAMPLE.subList(0, count).stream().map(p -> CensusPupil.newBuilder(p).build()).toList();
    }

    /** The first {@code count} sample pupils as CTF. */
    public static byte[] ctf(int count) {
        return ctf(pupils(count));
    }

    public static byte[] ctf(Iterable<CensusPupil> pupils) {
        return bytes(out -> new CtfXmlWriter(out, HEADER), pupils);
    }

    public static String csv(int count) {
        return csv(pupils(count));
    }

    public static String csv(Iterable<CensusPupil> pupils) {
        return new String(bytes(CensusCsvWriter::new, pupils), StandardCharsets.UTF_8);
    }

    /** How a writer is made. */
    @FunctionalInterface
    public interface WriterFactory {
        CensusWriter open(ByteArrayOutputStream out) throws IOException;
    }

    public static byte[] bytes(WriterFactory factory, Iterable<CensusPupil> pupils) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            factory.open(out).writeAll(pupils);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * What a pupil looks like after a trip through the CSV: the CSV has no column for a contact's
     * UPRN, so it is lost (reported as a writer limitation). Mutates and returns {@code pupil}.
     */
    public static CensusPupil asCsvCarriesIt(CensusPupil pupil) {
        for (Parent parent : pupil.getParents()) {
            if (parent.getAddress() != null) {
                parent.getAddress().setUprn(null);
            }
        }
        return pupil;
    }

    public static List<ParsedRecord> readCtf(byte[] xml) {
        return readCtf(xml, FILE_ONLY);
    }

    public static List<ParsedRecord> readCtf(byte[] xml, ReturnContext context) {
        return readAll(new CtfXmlReader(new ByteArrayInputStream(xml), context));
    }

    public static List<ParsedRecord> readCsv(String csv) {
        return readCsv(csv, FILE_ONLY);
    }

    public static List<ParsedRecord> readCsv(String csv, ReturnContext context) {
        return readAll(new CensusCsvReader(new StringReader(csv), context));
    }

    public static List<ParsedRecord> readAll(CensusReader reader) {
        List<ParsedRecord> records = new ArrayList<>();
        try (reader) {
            for (ParsedRecord record = reader.next(); record != null; record = reader.next()) {
                records.add(record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** When the sample's files say they were made. */
    public static LocalDateTime generatedAt() {
        return HEADER.generatedAt();
    }
}
