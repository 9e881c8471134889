package org.pupilflow.formats.xml;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Fails a read that would take more than {@code limit} bytes since the last {@link #startRegion()}, so
 * one oversized element (a pupil with a gigabyte of text, say) cannot fill the heap before the
 * parser hands it over. The parser reads ahead in small blocks, so the limit is approximate by
 * a block.
 */
public final class RegionLimitedInputStream extends FilterInputStream {

    /** Thrown (as the parser's I/O failure) when a region is too large. */
    static final class RegionTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        RegionTooLargeException(long limit) {
            super("more than " + limit + " bytes without a record boundary");
        }
    }

    private final long limit;
    private long sinceMark;
    private boolean exceeded;

    public RegionLimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    /** Starts a new region. */
    public void startRegion() {
        sinceMark = 0;
    }

    /** Whether a read failed because a region was too large. */
    public boolean exceeded() {
        return exceeded;
    }

    @Override
    public int read() throws IOException {
        check(1);
        int b = super.read();
        if (b >= 0) {
            sinceMark++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        check(1);
        int n = super.read(buffer, offset, (int) Math.min(length, limit - sinceMark + 1));
        if (n > 0) {
            sinceMark += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        check(1);
        long skipped = super.skip(Math.min(n, limit - sinceMark + 1));
        sinceMark += Math.max(0, skipped);
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

    private void check(int wanted) throws IOException {
        if (sinceMark + wanted > limit + 1) {
            exceeded = true;
            throw new RegionTooLargeException(limit);
        }
    }
}
