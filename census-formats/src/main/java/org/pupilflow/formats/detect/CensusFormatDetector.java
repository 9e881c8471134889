package org.pupilflow.formats.detect;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.pupilflow.formats.collect.SchoolCensusElements;
import org.pupilflow.formats.csv.CensusCsvColumns;
import org.pupilflow.formats.ctf.CtfElements;
import org.pupilflow.formats.read.CensusFormatException;
import org.pupilflow.formats.tables.CensusTables;
import org.pupilflow.formats.xml.XmlRecordStream;

/**
 * Recognises a census file by its first {@value #PEEK_BYTES} bytes, whatever it is called or
 * labelled: a zip (the census tables), XML by its root element (through the same locked-down
 * parser as the readers, so a DTD is refused here already), or CSV by its header. Anything else is
 * refused with a message listing what PupilFlow reads.
 */
public final class CensusFormatDetector {

    /** How much of the file is looked at. */
    public static final int PEEK_BYTES = 64 * 1024;

    private CensusFormatDetector() {
    }

    /**
     * The format of the file {@code in} holds. {@code in} must support mark and reset; it is
     * reset to where it was, so the reader can read it from the start.
     *
     * @throws CensusFormatException (an {@link UnsupportedCensusFormatException} when it is no format PupilFlow reads)
     */
    public static CensusFormat detect(InputStream in) {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("the stream must support mark and reset");
        }
        byte[] head;
        try {
            in.mark(PEEK_BYTES + 1);
            head = in.readNBytes(PEEK_BYTES);
            in.reset();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (head.length == 0) {
            throw new UnsupportedCensusFormatException("the upload is empty");
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5) && (head[3] == 4 || head[3] == 6)) {
            return CensusFormat.TABLES;
        }
        String text = new String(head, StandardCharsets.UTF_8);
        int start = text.startsWith("\ufeff") ? 1 : 0;
        while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        if (start < text.length() && text.charAt(start) == '<') {
            return xml(head);
        }
        if (looksBinary(head)) {
            throw new UnsupportedCensusFormatException("it is neither XML, a zip nor text");
        }
        return csv(text.substring(text.startsWith("\ufeff") ? 1 : 0));
    }

    private static CensusFormat xml(byte[] head) {
        try (XmlRecordStream xml = new XmlRecordStream(new ByteArrayInputStream(head), 2L * PEEK_BYTES, Integer.MAX_VALUE)) {
            while (true) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String root = xml.localName();
                    if (CtfElements.ROOT.equals(root)) {
                        return CensusFormat.CTF;
                    }
                    if (SchoolCensusElements.ROOT.equals(root)) {
                        return CensusFormat.COLLECT;
                    }
                    throw new UnsupportedCensusFormatException("it is XML with the root element <" + XmlRecordStream.safeName(root) + ">");
                }
            }
        } catch (XMLStreamException e) {
            throw new UnsupportedCensusFormatException("it starts like XML but is not well-formed before its root element");
        } catch (CensusFormatException e) {
            if (e.getMessage().startsWith("The document ends unexpectedly")) {
                throw new UnsupportedCensusFormatException("it is XML without a root element in its first " + PEEK_BYTES / 1024 + " KB");
            }
            throw e;
        }
    }

    private static CensusFormat csv(String text) {
        CSVRecord header;
        try (CSVParser parser = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get().parse(new StringReader(text))) {
            var records = parser.iterator();
            header = records.hasNext() ? records.next() : null;
        } catch (IOException | UncheckedIOException e) {
            header = null;
        }
        if (header == null) {
            throw new UnsupportedCensusFormatException("it is text without a CSV header row");
        }
        List<String> columns = Arrays.stream(header.values()).map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
        String table = CensusTables.ownName(columns);
        if (table != null) {
            throw new UnsupportedCensusFormatException("it is one table of a census table set (" + table
                    + "); upload all the tables together as one zip of CSV files");
        }
        if (columns.contains(CensusCsvColumns.UPN)) {
            return CensusFormat.CSV;
        }
        throw new UnsupportedCensusFormatException("it is CSV whose header has no " + CensusCsvColumns.UPN + " column");
    }

    private static boolean looksBinary(byte[] head) {
        int control = 0;
        for (byte b : head) {
            if (b == 0) {
                return true;
            }
            if (b < 0x20 && b != '\n' && b != '\r' && b != '\t') {
                control++;
            }
        }
        return control > head.length / 10;
    }

    /** A file PupilFlow does not read: the message says what it looks like and lists the formats it reads. */
    public static final class UnsupportedCensusFormatException extends CensusFormatException {

        private static final long serialVersionUID = 1L;

        UnsupportedCensusFormatException(String looksLike) {
            super("start of file", "Not a census file PupilFlow reads: " + looksLike + ". PupilFlow reads "
                    + String.join("; ", Arrays.stream(CensusFormat.values()).map(CensusFormat::description).toList()));
        }
    }
}
