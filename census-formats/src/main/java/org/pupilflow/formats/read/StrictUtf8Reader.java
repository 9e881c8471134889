package org.pupilflow.formats.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Decodes UTF-8 and refuses anything else: where a byte sequence is not UTF-8 (a file saved as
 * Latin-1 or Windows-1252, say, with an {@code é} in a name) it fails with
 * {@link NotUtf8Exception} naming the line, instead of putting U+FFFD in the pupil's name as a
 * replacing decoder would. Census CSV files and census tables are read through it.
 */
public final class StrictUtf8Reader extends Reader {

    /** The text is not UTF-8 at {@link #line()}: thrown as the reader's I/O failure. */
    public static final class NotUtf8Exception extends IOException {
        private static final long serialVersionUID = 1L;
        private final long line;

        NotUtf8Exception(long line, String bytes) {
            super("line " + line + " is not UTF-8 (bytes " + bytes + "); the file may have been saved as Latin-1 or Windows-1252: "
                    + "save it as UTF-8 and upload it again");
            this.line = line;
        }

        /** The 1-based line of the file the bytes are on. */
        public long line() {
            return line;
        }

        /** What is wrong, without the line (the location says that). */
        public String problem() {
            String message = getMessage();
            return message.substring(message.indexOf(" is not UTF-8") + 1);
        }
    }

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip();
    private boolean endOfInput;
    private boolean flushed;
    private long line = 1;

    public StrictUtf8Reader(InputStream in) {
        this.in = Objects.requireNonNull(in, "in");
    }

    /**
     * Finds the first sequence that is not UTF-8, if any, when {@code failure} (or what it wraps) is this reader's
     * refusal.
     */
    public static NotUtf8Exception notUtf8(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof NotUtf8Exception notUtf8) {
                return notUtf8;
            }
        }
        return null;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(buffer, offset, length);
        while (out.position() == offset) {
            if (!bytes.hasRemaining() && !endOfInput) {
                fill();
            }
            if (endOfInput && !bytes.hasRemaining()) {
                if (!flushed) {
                    CoderResult last = decoder.decode(bytes, out, true);
                    if (last.isError()) {
                        throw refused(last);
                    }
                    decoder.flush(out);
                    flushed = true;
                }
                if (out.position() == offset) {
                    return -1;
                }
                break;
            }
            CoderResult result = decoder.decode(bytes, out, endOfInput);
            if (result.isError()) {
                if (out.position() > offset) {
                    break; // deliver what came before; the next read fails on the right line
                }
                throw refused(result);
            }
            if (result.isUnderflow() && bytes.hasRemaining() && !endOfInput) {
                fill(); // an incomplete sequence at the end of the buffer: read more behind it
            } else if (result.isOverflow()) {
                break;
            }
        }
        int produced = out.position() - offset;
        for (int i = offset; i < offset + produced; i++) {
            if (buffer[i] == '\n') {
                line++;
            }
        }
        return produced;
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        if (n < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    private NotUtf8Exception refused(CoderResult result) {
        int length = Math.min(result.length(), bytes.remaining());
        byte[] bad = new byte[length];
        bytes.get(bytes.position(), bad);
        StringBuilder shown = new StringBuilder();
        for (byte b : bad) {
            shown.append(shown.length() == 0 ? "" : " ").append("0x").append(HexFormat.of().withUpperCase().toHexDigits(b));
        }
        return new NotUtf8Exception(line, shown.toString());
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
