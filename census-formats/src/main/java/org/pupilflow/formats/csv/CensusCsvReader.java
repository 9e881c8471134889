package org.pupilflow.formats.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.pupilflow.formats.read.CensusFormatException;
import org.pupilflow.formats.read.CensusReader;
import org.pupilflow.formats.read.FieldIssue;
import org.pupilflow.formats.read.ParsedRecord;
import org.pupilflow.formats.read.ReturnContext;
import org.pupilflow.formats.read.StrictUtf8Reader;

import static org.pupilflow.formats.csv.CensusCsvColumns.*;

/**
 * Reads a census return in the PupilFlow CSV layout ({@code org.pupilflow.fixtures.csv.CensusCsvWriter}:
 * RFC 4180, a header row, one row per pupil) with Apache Commons CSV, one row at a time.
 *
 * <ul>
 * <li>The header row is required. Column names are matched trimmed and case-insensitively, in any
 * order; unknown columns are ignored; a column named twice, or a missing required column
 * ({@link #REQUIRED_COLUMNS}, plus {@code census_term}, {@code census_day} and {@code census_la}
 * for whatever the {@link ReturnContext} lacks), rejects the file with
 * {@link CensusFormatException} naming them. A leading byte order mark is dropped.</li>
 * <li>A row with a different number of cells from the header gets one "format" issue and no
 * pupil (its cells cannot be trusted to be in their columns); the rest of the file is read.
 * Blank lines, and rows whose cells are all blank, are skipped.</li>
 * <li>Quote errors (an unterminated quoted cell, text after a closing quote) and a record over
 * {@value #MAX_RECORD_CHARS} characters reject the file: after them the parser cannot know
 * where rows begin.</li>
 * <li>Location: {@code "line N"}, the physical line the row starts on (a quoted cell may span
 * lines).</li>
 * </ul>
 * The mapping of cells to the record is in {@code CsvRowMapper}.
 */
public final class CensusCsvReader implements CensusReader {

    /** Columns every return must have ({@link CensusCsvColumns#REQUIRED}). */
    public static final List<String> REQUIRED_COLUMNS = CensusCsvColumns.REQUIRED;

    static final long MAX_RECORD_CHARS = 1L << 20;

    /** Where Commons CSV's messages say the fault is: "(startline 12) ..." or "... at line: 1,234, position: 56". */
    private static final Pattern FAULT_LINE = Pattern.compile("\\(startline (\\d+)\\)\\s*|\\s*at line: ([\\d,.\\s\u00a0\u202f]+?), position: [\\d,.\\s\u00a0\u202f]+$");

    private final RegionLimitedReader input;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final CsvRowMapper mapper;
    private final int width;
    private final Integer upnColumn;
    private final long maxRecordChars;
    private long index;
    private boolean done;
    /** The structural problem already found: every later call throws it again. */
    private CensusFormatException failure;

    public CensusCsvReader(Reader csv, ReturnContext context) {
        this(csv, context, MAX_RECORD_CHARS);
    }

    /**
     * Reads CSV bytes as UTF-8, refusing any that are not ({@link StrictUtf8Reader}): a file saved as Latin-1 is
     * refused naming the line, never read with U+FFFD in place of its accented letters.
     */
    public static CensusCsvReader utf8(InputStream csv, ReturnContext context) {
        return new CensusCsvReader(new StrictUtf8Reader(csv), context);
    }

    /** With a smaller record limit, for tests. */
    CensusCsvReader(Reader csv, ReturnContext context, long maxRecordChars) {
        Objects.requireNonNull(context, "context");
        this.maxRecordChars = maxRecordChars;
        this.input = new RegionLimitedReader(Objects.requireNonNull(csv, "csv"), maxRecordChars);
        try {
            this.parser = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get().parse(input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.records = parser.iterator();
        CSVRecord header = nextRecord();
        while (header != null && blank(header)) {
            header = nextRecord();
        }
        if (header == null) {
            throw new CensusFormatException("line 1", "The CSV file is empty: a header row naming the columns is required");
        }
        String headerLine = "line " + startLine(header);
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (columns.putIfAbsent(name, i) != null) {
                throw new CensusFormatException(headerLine, "The header names column '" + name + "' twice");
            }
        }
        List<String> missing = new ArrayList<>();
        for (String required : REQUIRED_COLUMNS) {
            if (!columns.containsKey(required)) {
                missing.add(required);
            }
        }
        if (context.term() == null && !columns.containsKey(CENSUS_TERM)) {
            missing.add(CENSUS_TERM);
        }
        if (context.censusDay() == null && !columns.containsKey(CENSUS_DAY)) {
            missing.add(CENSUS_DAY);
        }
        if (context.laNumber() == null && !columns.containsKey(CENSUS_LA)) {
            missing.add(CENSUS_LA);
        }
        if (!missing.isEmpty()) {
            throw new CensusFormatException(headerLine, "The header lacks required column" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing));
        }
        this.width = header.size();
        this.upnColumn = columns.get(UPN);
        this.mapper = new CsvRowMapper(columns, context);
    }

    @Override
    public ParsedRecord next() {
        if (failure != null) {
            throw failure;
        }
        try {
            return read();
        } catch (CensusFormatException e) {
            failure = e;
            throw e;
        }
    }

    private ParsedRecord read() {
        while (!done) {
            CSVRecord row = nextRecord();
            if (row == null) {
                done = true;
                return null;
            }
            if (blank(row)) {
                continue;
            }
            long rowIndex = ++index;
            String location = "line " + startLine(row);
            if (row.size() != width) {
                String upn = upnColumn < row.size() && !row.get(upnColumn).isBlank() ? row.get(upnColumn).strip() : null;
                FieldIssue ragged = new FieldIssue(location, "", "format", "The row has " + row.size() + " cell" + (row.size() == 1 ? "" : "s")
                        + " but the header has " + width + " columns, so its cells cannot be matched to columns");
                return new ParsedRecord(rowIndex, location, null, List.of(ragged), upn, CsvRowMapper.FIELDS, null);
            }
            return mapper.map(row, rowIndex, location);
        }
        return null;
    }

    private CSVRecord nextRecord() {
        try {
            if (!records.hasNext()) {
                return null;
            }
            CSVRecord record = records.next();
            input.startRegion();
            return record;
        } catch (UncheckedIOException e) {
            throw formatProblem(e);
        }
    }

    private RuntimeException formatProblem(UncheckedIOException e) {
        StrictUtf8Reader.NotUtf8Exception notUtf8 = StrictUtf8Reader.notUtf8(e);
        if (notUtf8 != null) {
            return new CensusFormatException("line " + notUtf8.line(), "The CSV file " + notUtf8.problem(), e);
        }
        String line = "line " + Math.max(1, parser.getCurrentLineNumber());
        if (input.exceeded()) {
            return new CensusFormatException(line, "A record is longer than " + maxRecordChars
                    + " characters (an unterminated quoted cell?); a record that large is not a pupil", e);
        }
        if (e.getCause() instanceof CSVException csv) {
            String message = csv.getMessage() == null ? "unreadable" : csv.getMessage();
            Matcher m = FAULT_LINE.matcher(message);
            if (m.find()) {
                line = "line " + (m.group(1) != null ? m.group(1) : m.group(2).replaceAll("\\D", ""));
                message = m.replaceFirst("");
            }
            return new CensusFormatException(line, "Malformed CSV: " + message, e);
        }
        return e;
    }

    /** The physical line a record starts on: the parser is at its last line, less the line breaks inside its cells. */
    private long startLine(CSVRecord record) {
        long breaks = 0;
        for (String value : record) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n' && (i == 0 || value.charAt(i - 1) != '\r')) {
                    breaks++;
                }
            }
        }
        return parser.getCurrentLineNumber() - breaks;
    }

    private static boolean blank(CSVRecord record) {
        for (String value : record) {
            if (!value.isBlank()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        done = true;
        parser.close();
    }
}
