package org.pupilflow.formats.tables;

import static org.pupilflow.formats.tables.CensusTables.*;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.pupilflow.formats.read.CensusFormatException;
import org.pupilflow.formats.read.CompactIdMap;
import org.pupilflow.formats.read.CensusReader;
import org.pupilflow.formats.read.FieldIssue;
import org.pupilflow.formats.read.ParsedRecord;
import org.pupilflow.formats.read.ReturnContext;
import org.pupilflow.formats.tables.CensusTables.Table;
import org.pupilflow.formats.tables.TableRows.Row;

/**
 * Reads the LA's pupil-level census tables from a zip of CSV files ({@link CensusTables}), one
 * pupil at a time, joined to its return, school, addresses, FSM periods, SEN needs and exclusions.
 *
 * <h2>Before the first pupil</h2>
 * {@link #open} checks the zip ({@link SafeZip}: paths, nesting, non-CSV entries, zip bombs),
 * recognises each table by its id column, refuses a set without a required table
 * ({@link Table#required()}) or a join column, and reads every table once: the returns and schools
 * into memory (one row per school), the pupils' ids into an index, and each pupil-level row, checked
 * against that index, into a temporary file of its pupil's bucket. A row referring to a pupil or
 * return that does not exist, an id given twice or a blank key refuses the return with
 * {@link InconsistentTablesException}, naming table, line and column of each. So a broken table set
 * is refused before a single pupil is returned, and nothing is published.
 *
 * <h2>Memory</h2>
 * Bounded by the number of pupils, not the size of the tables: the id index holds some 24 bytes
 * per pupil with decimal ids ({@link CompactIdMap}; about 100 with other ids) and the duplicate check
 * 8 bytes per pupil-level row. The
 * pupil-level rows wait on disk, bucketed by the pupil's position, and one bucket per table (at most
 * {@link #MAX_BUCKETS} buckets, at least {@value #MIN_BUCKET_PUPILS} pupils each) is in memory while
 * its pupils are returned, in the order of {@code pupilonroll}.
 */
public final class CensusTablesReader implements CensusReader {

    /** How many join problems an exception lists (all are counted). */
    public static final int MAX_ISSUES = 1_000;
    static final int MAX_BUCKETS = 64;
    static final int MIN_BUCKET_PUPILS = 4_096;

    private final SafeZip zip;
    private final Path spool;
    private final ReturnContext context;
    private final TableSetLimits limits;
    private final Map<Table, TableFile> tables;
    private final Map<String, Row> returns;
    private final Map<String, Row> schools;
    private final int bucketPupils;
    private final Map<Table, BucketFiles> buckets = new LinkedHashMap<>();
    private final TablesPupilMapper mapper;
    private TableRows pupils;
    private long index;
    private int loadedBucket = -1;
    private final Map<Table, Map<Integer, List<Row>>> loaded = new HashMap<>();
    private boolean done;
    private CensusFormatException failure;

    /** A table's entry, the name it uses, and the positions of its columns. */
    record TableFile(Table table, ZipEntry entry, String name, List<String> header) {
        String file() {
            return entry.getName();
        }

        int column(String column) {
            return header.indexOf(column);
        }

        String field(String column) {
            return name + "." + column;
        }
    }

    private CensusTablesReader(SafeZip zip, Path spool, ReturnContext context, TableSetLimits limits, Map<Table, TableFile> tables,
                               Map<String, Row> returns, Map<String, Row> schools, int bucketPupils) {
        this.zip = zip;
        this.spool = spool;
        this.context = context;
        this.limits = limits;
        this.tables = tables;
        this.returns = returns;
        this.schools = schools;
        this.bucketPupils = bucketPupils;
        this.mapper = new TablesPupilMapper(context, tables, returns, schools);
    }

    /**
     * Opens the zip of census tables at {@code file} and checks and indexes it (see the class comment).
     *
     * @throws InconsistentTablesException if the tables do not join up
     * @throws CensusFormatException       if the zip or a table is unusable
     */
    public static CensusTablesReader open(Path file, ReturnContext context, TableSetLimits limits) {
        return open(file, context, limits, MIN_BUCKET_PUPILS);
    }

    /** With buckets of at least {@code minBucketPupils} pupils: small buckets for tests. */
    static CensusTablesReader open(Path file, ReturnContext context, TableSetLimits limits, int minBucketPupils) {
        Objects.requireNonNull(context, "context");
        SafeZip zip = SafeZip.open(file, limits);
        Path spool = null;
        try {
            spool = limits.spoolDirectory() == null ? Files.createTempDirectory("census-tables-") : Files.createTempDirectory(limits.spoolDirectory(), "census-tables-");
            Map<Table, TableFile> tables = recognise(zip, limits);
            Problems problems = new Problems();
            Map<String, Row> returns = index(zip, limits, tables.get(SCHOOL_CENSUS), problems);
            Map<String, Row> schools = schools(zip, limits, tables.get(SCHOOL), returns, problems);
            CompactIdMap pupilIndex = pupils(zip, limits, tables.get(PUPIL_ON_ROLL), returns, problems);
            int bucketPupils = Math.max(minBucketPupils, (pupilIndex.size() + MAX_BUCKETS - 1) / MAX_BUCKETS);
            CensusTablesReader reader = new CensusTablesReader(zip, spool, context, limits, tables, returns, schools, bucketPupils);
            for (Table table : PUPIL_TABLES) {
                TableFile tableFile = tables.get(table);
                if (tableFile != null) {
                    reader.buckets.put(table, reader.bucket(tableFile, pupilIndex, problems));
                }
            }
            problems.throwIfAny();
            return reader;
        } catch (IOException e) {
            close(zip, spool, e);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close(zip, spool, e);
            throw e;
        }
    }

    /** Finds each table by its id column; every other CSV entry is read through once (so the zip guards see all of it) and ignored. */
    private static Map<Table, TableFile> recognise(SafeZip zip, TableSetLimits limits) throws IOException {
        Map<Table, TableFile> found = new LinkedHashMap<>();
        for (ZipEntry entry : zip.csvEntries()) {
            try (InputStream in = zip.open(entry); TableRows rows = new TableRows(in, entry.getName(), limits.maxRecordChars())) {
                var table = CensusTables.byHeader(rows.header());
                if (table.isPresent()) {
                    TableFile earlier = found.get(table.get());
                    if (earlier != null) {
                        throw new CensusFormatException(entry.getName(), "Both " + earlier.file() + " and " + entry.getName()
                                + " hold the " + table.get().name() + " table");
                    }
                    found.put(table.get(), new TableFile(table.get(), entry, CensusTables.ownName(rows.header()), rows.header()));
                } else {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (Table table : TABLES) {
            if (table.required() && !found.containsKey(table)) {
                missing.add(String.join(" or ", table.names()));
            }
        }
        if (!missing.isEmpty()) {
            List<String> present = new ArrayList<>();
            found.values().forEach(t -> present.add(t.file() + " (" + t.name() + ")"));
            throw new CensusFormatException("the zip", "The census tables lack required table" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + " (a table is recognised by its own id column, pupilonroll by pupilonrolltableid); found: "
                    + (present.isEmpty() ? "none" : String.join(", ", present)));
        }
        for (TableFile table : found.values()) {
            requireColumn(table, table.table().idColumn(table.name()));
            if (table.table() == SCHOOL || table.table() == PUPIL_ON_ROLL) {
                requireColumn(table, SCHOOL_CENSUS_ID);
            }
            if (PUPIL_TABLES.contains(table.table())) {
                requireColumn(table, PUPIL_ON_ROLL_ID);
            }
        }
        return found;
    }

    private static void requireColumn(TableFile table, String column) {
        if (table.column(column) < 0) {
            throw new CensusFormatException(table.file() + " line 1", table.file() + " (" + table.name() + ") has no " + column
                    + " column, so its rows cannot be joined");
        }
    }

    /** The rows of a small table (one per school) by their own id. */
    private static Map<String, Row> index(SafeZip zip, TableSetLimits limits, TableFile table, Problems problems) throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        Map<String, Long> lines = new HashMap<>();
        String idColumn = table.table().idColumn(table.name());
        int id = table.column(idColumn);
        try (InputStream in = zip.open(table.entry()); TableRows file = new TableRows(in, table.file(), limits.maxRecordChars())) {
            for (Row row = file.next(); row != null; row = file.next()) {
                String key = TableRows.cell(row, id);
                if (key == null) {
                    problems.blank(table, row, idColumn);
                } else if (rows.putIfAbsent(key, row) != null) {
                    problems.duplicate(table, row, idColumn, key, lines.get(key));
                } else {
                    lines.put(key, row.line());
                }
            }
        }
        return rows;
    }

    /** The school rows by the return they belong to. */
    private static Map<String, Row> schools(SafeZip zip, TableSetLimits limits, TableFile table, Map<String, Row> returns, Problems problems) throws IOException {
        Map<String, Row> byReturn = new HashMap<>();
        Map<String, Long> lines = new HashMap<>();
        int returnColumn = table.column(SCHOOL_CENSUS_ID);
        try (InputStream in = zip.open(table.entry()); TableRows file = new TableRows(in, table.file(), limits.maxRecordChars())) {
            for (Row row = file.next(); row != null; row = file.next()) {
                String key = TableRows.cell(row, returnColumn);
                if (key == null) {
                    problems.blank(table, row, SCHOOL_CENSUS_ID);
                } else if (!returns.containsKey(key)) {
                    problems.dangling(table, row, SCHOOL_CENSUS_ID, key, "a return in schoolcensus");
                } else if (byReturn.putIfAbsent(key, row) != null) {
                    problems.duplicate(table, row, SCHOOL_CENSUS_ID, key, lines.get(key));
                } else {
                    lines.put(key, row.line());
                }
            }
        }
        return byReturn;
    }

    /** Each pupil's position (0-based, in file order) by its id. */
    private static CompactIdMap pupils(SafeZip zip, TableSetLimits limits, TableFile table, Map<String, Row> returns, Problems problems)
            throws IOException {
        CompactIdMap ordinals = CompactIdMap.forDecimalIds();
        String idColumn = table.table().idColumn(table.name());
        int id = table.column(idColumn);
        int returnColumn = table.column(SCHOOL_CENSUS_ID);
        int ordinal = 0;
        try (InputStream in = zip.open(table.entry()); TableRows file = new TableRows(in, table.file(), limits.maxRecordChars())) {
            for (Row row = file.next(); row != null; row = file.next(), ordinal++) {
                String key = TableRows.cell(row, id);
                String returnKey = TableRows.cell(row, returnColumn);
                if (key == null) {
                    problems.blank(table, row, idColumn);
                } else if (ordinals.putIfAbsent(key, ordinal) != null) {
                    problems.duplicate(table, row, idColumn, key, null);
                }
                if (returnKey == null) {
                    problems.blank(table, row, SCHOOL_CENSUS_ID);
                } else if (!returns.containsKey(returnKey)) {
                    problems.dangling(table, row, SCHOOL_CENSUS_ID, returnKey, "a return in schoolcensus");
                }
            }
        }
        return ordinals;
    }

    /** The pupil-level rows of one table in temporary files by the bucket of their pupil, checked against the pupils. */
    private BucketFiles bucket(TableFile table, CompactIdMap pupilIndex, Problems problems) throws IOException {
        BucketFiles files = new BucketFiles(spool, table.name());
        String idColumn = table.table().idColumn(table.name());
        int id = table.column(idColumn);
        int pupil = table.column(PUPIL_ON_ROLL_ID);
        long[] idHashes = new long[1024];
        int rows = 0;
        try (InputStream in = zip.open(table.entry()); TableRows file = new TableRows(in, table.file(), limits.maxRecordChars())) {
            for (Row row = file.next(); row != null; row = file.next()) {
                String key = TableRows.cell(row, id);
                String pupilKey = TableRows.cell(row, pupil);
                if (key == null) {
                    problems.blank(table, row, idColumn);
                } else {
                    if (rows == idHashes.length) {
                        idHashes = Arrays.copyOf(idHashes, rows * 2);
                    }
                    idHashes[rows++] = hash(key);
                }
                Integer ordinal = pupilKey == null ? null : pupilIndex.get(pupilKey);
                if (pupilKey == null) {
                    problems.blank(table, row, PUPIL_ON_ROLL_ID);
                } else if (ordinal == null) {
                    problems.dangling(table, row, PUPIL_ON_ROLL_ID, pupilKey, "a pupil in pupilonroll");
                } else if (problems.none()) {
                    files.write(ordinal / bucketPupils, ordinal, row);
                }
            }
        } finally {
            files.closeWriters();
        }
        duplicates(table, idColumn, Arrays.copyOf(idHashes, rows), problems);
        return files;
    }

    /**
     * Finds ids given twice from their hashes (8 bytes a row), then, only if two hashes are equal,
     * reads the table again for the rows with those hashes, so only real duplicates are reported.
     */
    private void duplicates(TableFile table, String idColumn, long[] hashes, Problems problems) throws IOException {
        long[] sorted = hashes.clone();
        Arrays.sort(sorted);
        Set<Long> repeated = new HashSet<>();
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                repeated.add(sorted[i]);
            }
        }
        if (repeated.isEmpty()) {
            return;
        }
        int id = table.column(idColumn);
        Map<String, Long> firstLines = new HashMap<>();
        try (InputStream in = zip.open(table.entry()); TableRows file = new TableRows(in, table.file(), limits.maxRecordChars())) {
            for (Row row = file.next(); row != null; row = file.next()) {
                String key = TableRows.cell(row, id);
                if (key != null && repeated.contains(hash(key))) {
                    Long first = firstLines.putIfAbsent(key, row.line());
                    if (first != null) {
                        problems.duplicate(table, row, idColumn, key, first);
                    }
                }
            }
        }
    }

    /** A 64-bit hash of an id; equal hashes are only candidates, checked against the ids themselves. */
    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ParsedRecord read() throws IOException {
        if (done) {
            return null;
        }
        TableFile table = tables.get(PUPIL_ON_ROLL);
        if (pupils == null) {
            pupils = new TableRows(zip.open(table.entry()), table.file(), limits.maxRecordChars());
        }
        Row row = pupils.next();
        if (row == null) {
            done = true;
            return null;
        }
        int ordinal = (int) index++;
        int bucket = ordinal / bucketPupils;
        if (bucket != loadedBucket) {
            loaded.clear();
            for (Map.Entry<Table, BucketFiles> files : buckets.entrySet()) {
                loaded.put(files.getKey(), files.getValue().read(bucket));
            }
            loadedBucket = bucket;
        }
        Map<Table, List<Row>> children = new HashMap<>();
        for (Map.Entry<Table, Map<Integer, List<Row>>> rows : loaded.entrySet()) {
            children.put(rows.getKey(), rows.getValue().getOrDefault(ordinal, List.of()));
        }
        return mapper.map(row, index, children);
    }

    @Override
    public void close() throws IOException {
        done = true;
        IOException failed = null;
        try {
            if (pupils != null) {
                pupils.close();
            }
        } catch (IOException e) {
            failed = e;
        }
        close(zip, spool, failed);
        if (failed != null) {
            throw failed;
        }
    }

    private static void close(SafeZip zip, Path spool, Exception failure) {
        try {
            zip.close();
        } catch (IOException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
        if (spool != null) {
            try (Stream<Path> files = Files.walk(spool)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    /** One table's rows in temporary files, one per bucket of pupils: each row its pupil's position, its line, then its cells. */
    private static final class BucketFiles {
        private final Path directory;
        private final String table;
        private final Map<Integer, CSVPrinter> writers = new HashMap<>();

        BucketFiles(Path spool, String table) {
            this.directory = spool;
            this.table = table;
        }

        private Path file(int bucket) {
            return directory.resolve(table + "-" + bucket + ".csv");
        }

        void write(int bucket, int ordinal, Row row) throws IOException {
            CSVPrinter printer = writers.get(bucket);
            if (printer == null) {
                BufferedWriter writer = Files.newBufferedWriter(file(bucket), StandardCharsets.UTF_8);
                printer = new CSVPrinter(writer, CSVFormat.RFC4180);
                writers.put(bucket, printer);
            }
            List<String> cells = new ArrayList<>(row.cells().length + 2);
            cells.add(Integer.toString(ordinal));
            cells.add(Long.toString(row.line()));
            cells.addAll(Arrays.asList(row.cells()));
            printer.printRecord(cells);
        }

        void closeWriters() throws IOException {
            for (CSVPrinter printer : writers.values()) {
                printer.close(true);
            }
        }

        /** The rows of one bucket by their pupil's position, in file order. */
        Map<Integer, List<Row>> read(int bucket) throws IOException {
            Map<Integer, List<Row>> rows = new HashMap<>();
            Path file = file(bucket);
            if (!Files.exists(file)) {
                return rows;
            }
            try (var parser = CSVFormat.RFC4180.parse(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
                for (var record : parser) {
                    String[] all = record.values();
                    rows.computeIfAbsent(Integer.parseInt(all[0]), k -> new ArrayList<>(1))
                            .add(new Row(Arrays.copyOfRange(all, 2, all.length), Long.parseLong(all[1])));
                }
            }
            return rows;
        }
    }

    /** The join problems found, the first {@link #MAX_ISSUES} kept. */
    private static final class Problems {
        private final List<FieldIssue> issues = new ArrayList<>();
        private long count;

        boolean none() {
            return count == 0;
        }

        void blank(TableFile table, Row row, String column) {
            add(new FieldIssue(at(table, row), table.field(column), "required", at(table, row) + ": " + column + " is blank, so the row cannot be joined"));
        }

        void dangling(TableFile table, Row row, String column, String key, String what) {
            add(new FieldIssue(at(table, row), table.field(column), "unknown-reference", at(table, row) + ": " + column + " "
                    + SafeZip.quoted(key) + " is not the id of " + what));
        }

        void duplicate(TableFile table, Row row, String column, String key, Long firstLine) {
            add(new FieldIssue(at(table, row), table.field(column), "duplicate-id", at(table, row) + ": " + column + " "
                    + SafeZip.quoted(key) + " is given twice" + (firstLine == null ? "" : " (first on line " + firstLine + ")")));
        }

        private static String at(TableFile table, Row row) {
            return table.file() + " line " + row.line();
        }

        private void add(FieldIssue issue) {
            count++;
            if (issues.size() < MAX_ISSUES) {
                issues.add(issue);
            }
        }

        void throwIfAny() {
            if (count > 0) {
                throw new InconsistentTablesException(issues, count);
            }
        }
    }
}
