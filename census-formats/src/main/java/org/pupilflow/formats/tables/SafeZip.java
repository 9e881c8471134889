package org.pupilflow.formats.tables;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.pupilflow.formats.read.CensusFormatException;
import org.pupilflow.formats.read.RecordIssues;

/**
 * A zip upload opened with the JDK's {@link ZipFile}, refused unless it is a plain set of CSV
 * files: no entry may climb out of the archive ({@code ..}, an absolute path, a drive or a
 * backslash), be a zip itself (by name or by content), be anything but {@code .csv}, or appear
 * twice; there are at most {@link TableSetLimits#maxEntries()} entries. Entries are only ever
 * read as streams, never written to disk under their own names.
 *
 * <p>Reading is guarded against zip bombs by what is actually inflated, not what the archive
 * declares: an entry is refused once it inflates beyond {@link TableSetLimits#maxCompressionRatio()}
 * times its compressed size, and the archive once all entries together pass
 * {@link TableSetLimits#maxUncompressedBytes()}. The first read of each entry measures it; later
 * reads may not exceed what was measured.
 */
final class SafeZip implements Closeable {

    private static final byte[] ZIP_MAGIC = {'P', 'K'};

    private final ZipFile zip;
    private final TableSetLimits limits;
    private final List<ZipEntry> csvEntries;
    private final Map<String, Long> measured = new HashMap<>();
    private long totalInflated;

    private SafeZip(ZipFile zip, TableSetLimits limits, List<ZipEntry> csvEntries) {
        this.zip = zip;
        this.limits = limits;
        this.csvEntries = csvEntries;
    }

    /**
     * Opens and checks the entries of {@code file}.
     *
     * @throws CensusFormatException naming the entry and what is wrong with it
     */
    static SafeZip open(Path file, TableSetLimits limits) {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new CensusFormatException("the zip", "Not a readable zip file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            List<ZipEntry> csv = new ArrayList<>();
            Set<String> names = new HashSet<>();
            int count = 0;
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (++count > limits.maxEntries()) {
                    throw new CensusFormatException("the zip", "The zip has more than " + limits.maxEntries()
                            + " entries; census tables are a few CSV files");
                }
                String name = entry.getName();
                checkPath(name);
                if (!names.add(name)) {
                    throw new CensusFormatException(quoted(name), "The zip holds " + quoted(name) + " twice");
                }
                if (entry.isDirectory()) {
                    continue;
                }
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.endsWith(".zip") || lower.endsWith(".jar") || lower.endsWith(".gz") || lower.endsWith(".7z")) {
                    throw new CensusFormatException(quoted(name), "The zip holds another archive, " + quoted(name)
                            + "; upload the census tables as CSV files in one zip");
                }
                if (!lower.endsWith(".csv")) {
                    throw new CensusFormatException(quoted(name), "The zip holds " + quoted(name)
                            + ", which is not a CSV file; census tables are CSV files (pupilonroll.csv, ...) and nothing else");
                }
                csv.add(entry);
            }
            return new SafeZip(zip, limits, List.copyOf(csv));
        } catch (RuntimeException e) {
            try {
                zip.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static void checkPath(String name) {
        boolean unsafe = name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains(":") || name.indexOf('\0') >= 0;
        for (String segment : name.split("/")) {
            unsafe |= segment.equals("..");
        }
        if (unsafe) {
            throw new CensusFormatException(quoted(name), "The zip entry " + quoted(name)
                    + " has an unsafe path (absolute, '..', a drive or a backslash); such a zip is refused");
        }
    }

    static String quoted(String name) {
        return RecordIssues.quote(name);
    }

    List<ZipEntry> csvEntries() {
        return csvEntries;
    }

    /** The entry's content, guarded as described above. */
    InputStream open(ZipEntry entry) throws IOException {
        return new Guarded(zip.getInputStream(entry), entry);
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    /** Counts what one entry inflates to and stops it at the limits; refuses a zip inside. */
    private final class Guarded extends FilterInputStream {
        private final ZipEntry entry;
        private final Long measuredBefore;
        private long inflated;
        private boolean magicChecked;
        private final byte[] head = new byte[2];
        private int headLength;

        Guarded(InputStream in, ZipEntry entry) {
            super(in);
            this.entry = entry;
            this.measuredBefore = measured.get(entry.getName());
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                checkMagic(buffer, offset, n);
                count(n);
            } else if (n < 0 && measuredBefore == null) {
                measured.put(entry.getName(), inflated);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (read < 0) {
                    break;
                }
                skipped += read;
            }
            return skipped;
        }

        private void checkMagic(byte[] buffer, int offset, int n) {
            if (magicChecked) {
                return;
            }
            for (int i = 0; i < n && headLength < head.length; i++) {
                head[headLength++] = buffer[offset + i];
            }
            if (headLength == head.length) {
                magicChecked = true;
                if (head[0] == ZIP_MAGIC[0] && head[1] == ZIP_MAGIC[1]) {
                    throw new CensusFormatException(quoted(entry.getName()), quoted(entry.getName())
                            + " is a zip inside the zip, not a CSV file; nested zips are refused");
                }
            }
        }

        private void count(int n) {
            inflated += n;
            if (measuredBefore != null) {
                if (inflated > measuredBefore) {
                    throw new CensusFormatException(quoted(entry.getName()), quoted(entry.getName()) + " changed while it was read");
                }
                return;
            }
            totalInflated += n;
            long compressed = entry.getCompressedSize();
            if (inflated >= limits.ratioCheckFromBytes() && compressed > 0 && inflated > limits.maxCompressionRatio() * compressed) {
                throw new CensusFormatException(quoted(entry.getName()), quoted(entry.getName()) + " inflates to more than "
                        + (long) limits.maxCompressionRatio() + " times its compressed size (" + compressed + " bytes); a zip bomb is refused");
            }
            if (totalInflated > limits.maxUncompressedBytes()) {
                throw new CensusFormatException(quoted(entry.getName()), "The zip inflates to more than " + limits.maxUncompressedBytes()
                        + " bytes; a zip bomb is refused (census tables that large: raise the limit)");
            }
        }
    }
}
