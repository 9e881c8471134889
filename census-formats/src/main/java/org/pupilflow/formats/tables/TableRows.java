package org.pupilflow.formats.tables;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.pupilflow.formats.csv.RegionLimitedReader;
import org.pupilflow.formats.read.CensusFormatException;
import org.pupilflow.formats.read.StrictUtf8Reader;

/**
 * One census table's CSV file, read with Commons CSV a row at a time: its header (names trimmed
 * and lower-cased, a byte order mark dropped) and its non-blank rows with the line each starts
 * on. A record over the size limit or a quote error refuses the file, naming it and the line.
 */
final class TableRows implements Closeable {

    /** Where Commons CSV's messages say the fault is. */
    private static final Pattern FAULT_LINE = Pattern.compile("\\(startline (\\d+)\\)\\s*|\\s*at line: ([\\d,.\\s\u00a0\u202f]+?), position: [\\d,.\\s\u00a0\u202f]+$");

    /** A non-blank row and the physical line it starts on. */
    record Row(String[] cells, long line) {
    }

    private final String file;
    private final RegionLimitedReader input;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final long maxRecordChars;
    private final List<String> header;
    private final Map<String, Integer> columns = new HashMap<>();
    private final long headerLine;

    TableRows(InputStream in, String file, long maxRecordChars) {
        this.file = file;
        this.maxRecordChars = maxRecordChars;
        // UTF-8 only: bytes that are not (a table saved as Latin-1) refuse the file naming the line, never U+FFFD in a name.
        this.input = new RegionLimitedReader(new StrictUtf8Reader(in), maxRecordChars);
        try {
            this.parser = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get().parse(input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.records = parser.iterator();
        Row first = next();
        List<String> names = new ArrayList<>();
        if (first != null) {
            for (int i = 0; i < first.cells().length; i++) {
                String name = first.cells()[i].strip().toLowerCase(Locale.ROOT);
                if (i == 0 && name.startsWith("\ufeff")) {
                    name = name.substring(1);
                }
                names.add(name);
                if (!name.isEmpty() && columns.putIfAbsent(name, i) != null) {
                    throw new CensusFormatException(file + " line " + first.line(), file + " names column '" + name + "' twice");
                }
            }
        }
        this.header = List.copyOf(names);
        this.headerLine = first == null ? 1 : first.line();
    }

    /** The column names, lower case, in file order; empty for an empty file. */
    List<String> header() {
        return header;
    }

    long headerLine() {
        return headerLine;
    }

    /** The index of {@code column} (lower case), or -1. */
    int column(String column) {
        Integer index = columns.get(column.toLowerCase(Locale.ROOT));
        return index == null ? -1 : index;
    }

    /** The next non-blank row, or null at the end. */
    Row next() {
        while (true) {
            CSVRecord record;
            try {
                if (!records.hasNext()) {
                    return null;
                }
                record = records.next();
                input.startRegion();
            } catch (UncheckedIOException e) {
                throw problem(e);
            }
            String[] cells = record.values();
            boolean blank = true;
            for (String cell : cells) {
                blank &= cell.isBlank();
            }
            if (!blank) {
                return new Row(cells, startLine(record, cells));
            }
        }
    }

    /** The trimmed cell of {@code index}, null if empty or absent. */
    static String cell(Row row, int index) {
        if (index < 0 || index >= row.cells().length) {
            return null;
        }
        String value = row.cells()[index].strip();
        return value.isEmpty() ? null : value;
    }

    private long startLine(CSVRecord record, String[] cells) {
        long breaks = 0;
        for (String value : cells) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n' && (i == 0 || value.charAt(i - 1) != '\r')) {
                    breaks++;
                }
            }
        }
        return parser.getCurrentLineNumber() - breaks;
    }

    private RuntimeException problem(UncheckedIOException e) {
        StrictUtf8Reader.NotUtf8Exception notUtf8 = StrictUtf8Reader.notUtf8(e);
        if (notUtf8 != null) {
            return new CensusFormatException(file + " line " + notUtf8.line(), file + " " + notUtf8.problem(), e);
        }
        String line = file + " line " + Math.max(1, parser.getCurrentLineNumber());
        if (input.exceeded()) {
            return new CensusFormatException(line, "A record of " + file + " is longer than " + maxRecordChars
                    + " characters (an unterminated quoted cell?); a record that large is not a census row", e);
        }
        if (e.getCause() instanceof CSVException csv) {
            String message = csv.getMessage() == null ? "unreadable" : csv.getMessage();
            Matcher m = FAULT_LINE.matcher(message);
            if (m.find()) {
                line = file + " line " + (m.group(1) != null ? m.group(1) : m.group(2).replaceAll("\\D", ""));
                message = m.replaceFirst("");
            }
            return new CensusFormatException(line, "Malformed CSV in " + file + ": " + message, e);
        }
        return e;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
