package org.pupilflow.formats.tables;

import java.nio.file.Path;

/**
 * How much a zip of census tables may hold, so a hostile or broken upload is refused before it
 * can exhaust memory or disk.
 *
 * @param maxEntries           entries in the zip (directories included)
 * @param maxUncompressedBytes all entries together, uncompressed: a zip bomb's total
 * @param maxCompressionRatio  uncompressed to compressed size of any one entry of at least
 *                             {@code ratioCheckFromBytes}: a zip bomb's ratio (CSV compresses well, 5 to 20
 *                             times; a bomb does thousands of times)
 * @param ratioCheckFromBytes  entries smaller than this are not held to the ratio (a tiny file of
 *                             blank cells compresses absurdly well and harms nobody)
 * @param maxRecordChars       characters in one CSV record: a row that large is not a census row
 * @param spoolDirectory       where the pupil-level tables are sorted by pupil while the return is
 *                             read (deleted after); null for the default temporary directory
 */
public record TableSetLimits(int maxEntries, long maxUncompressedBytes, double maxCompressionRatio, long ratioCheckFromBytes,
                             long maxRecordChars, Path spoolDirectory) {

    /** 64 entries, 4 GiB uncompressed, ratio 200 from 1 MiB, 1 Mi characters per record, the default temporary directory. */
    public static TableSetLimits defaults() {
        return new TableSetLimits(64, 4L * 1024 * 1024 * 1024, 200, 1L << 20, 1L << 20, null);
    }

    public TableSetLimits {
        if (maxEntries < 1 || maxUncompressedBytes < 1 || maxCompressionRatio < 1 || ratioCheckFromBytes < 0 || maxRecordChars < 1) {
            throw new IllegalArgumentException("census table limits must be positive: " + this);
        }
    }

    public TableSetLimits withSpoolDirectory(Path directory) {
        return new TableSetLimits(maxEntries, maxUncompressedBytes, maxCompressionRatio, ratioCheckFromBytes, maxRecordChars, directory);
    }
}
