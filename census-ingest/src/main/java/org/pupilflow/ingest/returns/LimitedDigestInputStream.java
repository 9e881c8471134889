package org.pupilflow.ingest.returns;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The upload as it is read: hashed (SHA-256 of the exact bytes, to recognise a return uploaded
 * twice), counted, and cut off with {@link ReturnTooLargeException} past the size limit.
 */
final class LimitedDigestInputStream extends FilterInputStream {

    private final long limit;
    private final MessageDigest digest;
    private long count;

    LimitedDigestInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
            digest.update(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still be hashed and counted.
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

    @Override
    public boolean markSupported() {
        return false;
    }

    private void count(int n) {
        count += n;
        if (count > limit) {
            throw new ReturnTooLargeException(limit);
        }
    }

    /** Reads whatever the parser left (trailing whitespace), so the hash covers the whole upload. */
    void drain() throws IOException {
        byte[] buffer = new byte[8192];
        while (read(buffer, 0, buffer.length) >= 0) {
            // hashing as we go
        }
    }

    long bytesRead() {
        return count;
    }

    String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
