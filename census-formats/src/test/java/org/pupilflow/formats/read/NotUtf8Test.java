package org.pupilflow.formats.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.formats.Examples;
import org.pupilflow.formats.Samples;
import org.pupilflow.formats.census.CensusDays;
import org.pupilflow.formats.csv.CensusCsvReader;
import org.pupilflow.formats.tables.CensusTablesReader;
import org.pupilflow.formats.tables.TableSetLimits;

/**
 * A census file that is not UTF-8 — typically a CSV saved as Latin-1 or Windows-1252, with an
 * {@code é} in a pupil's name — is refused naming the line; it is never read with U+FFFD in place
 * of the letter (the pupil would be published, and shared, under a corrupted name).
 */
class NotUtf8Test {

    @TempDir
    Path dir;

    @Test
    void aLatin1CsvIsRefusedNamingTheLineNeverReadWithAReplacementCharacter() {
        List<CensusPupil> pupils = Samples.pupils(3);
        String surname = pupils.get(2).getNames().getLegalSurname();
        String csv = Samples.csv(pupils).replace(surname, surname + "é");
        byte[] latin1 = csv.getBytes(StandardCharsets.ISO_8859_1);

        CensusFormatException refused = catchThrowableOfType(CensusFormatException.class,
                () -> Samples.readAll(CensusCsvReader.utf8(new ByteArrayInputStream(latin1), Samples.FILE_ONLY)));

        assertThat(refused).as("the Latin-1 file must be refused").isNotNull();
        assertThat(refused.location()).isEqualTo("line 4");
        assertThat(refused.getMessage()).contains("is not UTF-8", "0xE9", "save it as UTF-8").doesNotContain("\uFFFD");
    }

    @Test
    void theSameFileInUtf8IsReadWithItsAccents() {
        List<CensusPupil> pupils = Samples.pupils(3);
        String surname = pupils.get(2).getNames().getLegalSurname();
        byte[] utf8 = Samples.csv(pupils).replace(surname, surname + "é").getBytes(StandardCharsets.UTF_8);

        List<ParsedRecord> records = Samples.readAll(CensusCsvReader.utf8(new ByteArrayInputStream(utf8), Samples.FILE_ONLY));

        assertThat(records).hasSize(3);
        assertThat(records.get(2).pupil().getNames().getLegalSurname()).isEqualTo(surname + "é");
    }

    @Test
    void latin1CensusTablesAreRefusedNamingTheTableAndLine() {
        Map<String, byte[]> tables = new LinkedHashMap<>();
        for (String file : Examples.CENSUS_TABLE_FILES) {
            String text = new String(Examples.bytes(Examples.CENSUS_TABLES + "/" + file), StandardCharsets.UTF_8);
            tables.put(file, file.equals("pupilonroll.csv") ? text.replace(",Patel,", ",Patèl,").getBytes(StandardCharsets.ISO_8859_1)
                    : text.getBytes(StandardCharsets.UTF_8));
        }
        Path zip = zip(tables);
        ReturnContext context = new ReturnContext("R-1", null, null, null, CensusDays.dfeRule(), LocalDate.of(2026, 2, 3));

        CensusFormatException refused = catchThrowableOfType(CensusFormatException.class,
                () -> Samples.readAll(CensusTablesReader.open(zip, context, TableSetLimits.defaults())));

        assertThat(refused).as("the Latin-1 table must be refused").isNotNull();
        assertThat(refused.location()).isEqualTo("pupilonroll.csv line 5");
        assertThat(refused.getMessage()).contains("pupilonroll.csv", "is not UTF-8", "0xE8");
    }

    @Test
    void aLatin1CtfWithoutAnEncodingDeclarationIsRefusedNamingTheLine() {
        List<CensusPupil> pupils = Samples.pupils(3);
        String surname = pupils.get(1).getNames().getLegalSurname();
        String xml = new String(Samples.ctf(pupils), StandardCharsets.UTF_8).replace("<Surname>" + surname + "</Surname>", "<Surname>" + surname + "é</Surname>");
        byte[] latin1 = xml.replaceFirst("<\\?xml[^>]*\\?>", "<?xml version=\"1.0\"?>").getBytes(StandardCharsets.ISO_8859_1);

        CensusFormatException refused = catchThrowableOfType(CensusFormatException.class, () -> Samples.readCtf(latin1));

        assertThat(refused).as("the Latin-1 CTF must be refused").isNotNull();
        assertThat(refused.location()).startsWith("line ");
        assertThat(refused.getMessage()).doesNotContain("\uFFFD");
    }

    @Test
    void utf8SplitAcrossReadBuffersDecodesExactlyAndCountsLines() throws IOException {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        String[] pieces = {"a", "é", "€", "𝄞", "\n", "Zoë ", "Ağa\n"};
        while (text.length() < 50_000) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bad = new ByteArrayOutputStream();
        bad.writeBytes(bytes);
        bad.write(0xFF);

        String read;
        try (Reader reader = new StrictUtf8Reader(new ByteArrayInputStream(bytes))) {
            read = readAll(reader, 777);
        }
        StrictUtf8Reader.NotUtf8Exception refused = catchThrowableOfType(StrictUtf8Reader.NotUtf8Exception.class,
                () -> readAll(new StrictUtf8Reader(new ByteArrayInputStream(bad.toByteArray())), 4096));

        assertThat(read).isEqualTo(text.toString());
        assertThat(refused.line()).isEqualTo(text.chars().filter(c -> c == '\n').count() + 1);
        assertThat(refused.getMessage()).contains("0xFF");
    }

    private static String readAll(Reader reader, int chunk) throws IOException {
        StringBuilder out = new StringBuilder();
        char[] buffer = new char[chunk];
        for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
            out.append(buffer, 0, n);
        }
        return out.toString();
    }

    private Path zip(Map<String, byte[]> entries) {
        Path file = dir.resolve("tables.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
