package org.pupilflow.formats.csv;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Fails a read that would take more than {@code limit} characters since the last
 * {@link #startRegion()}, so one runaway record (an unterminated quote, say) cannot fill the
 * heap. Also drops a leading byte order mark, which spreadsheet exports put before the header.
 */
public final class RegionLimitedReader extends FilterReader {

    /** Thrown (as the parser's I/O failure) when a region is too large. */
    static final class RegionTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        RegionTooLargeException(long limit) {
            super("more than " + limit + " characters in one record");
        }
    }

    private final long limit;
    private long sinceMark;
    private boolean exceeded;
    private boolean started;

    public RegionLimitedReader(Reader in, long limit) {
        super(in);
        this.limit = limit;
    }

    public void startRegion() {
        sinceMark = 0;
    }

    public boolean exceeded() {
        return exceeded;
    }

    @Override
    public int read() throws IOException {
        char[] one = new char[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0];
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (sinceMark > limit) {
            exceeded = true;
            throw new RegionTooLargeException(limit);
        }
        int n = super.read(buffer, offset, (int) Math.min(length, limit + 1 - sinceMark));
        if (n > 0 && !started) {
            started = true;
            if (buffer[offset] == '\uFEFF') {
                System.arraycopy(buffer, offset + 1, buffer, offset, n - 1);
                n--;
                if (n == 0) {
                    return read(buffer, offset, length);
                }
            }
        }
        if (n > 0) {
            sinceMark += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        char[] buffer = new char[(int) Math.min(n, 8192)];
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

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Leaves the wrapped stream open: the caller passed it in and owns it. */
    @Override
    public void close() {
        // Nothing to release.
    }
}
