package org.pupilflow.audit.chain;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads what {@link CanonicalWriter} wrote, strictly: a wrong marker, a truncated value, invalid
 * UTF-8, a presence byte other than 0 or 1, or trailing bytes all fail with
 * {@link MalformedCanonicalException}, so the verifier never accepts bytes it could not have written.
 */
public final class CanonicalReader {

    private final byte[] bytes;
    private int position;

    public CanonicalReader(byte[] bytes) {
        this.bytes = bytes;
    }

    public CanonicalReader expectMagic(String magic, int version) {
        expectMagicOf(magic, version, version);
        return this;
    }

    /**
     * Reads the marker and a version byte between {@code oldest} and {@code newest}, inclusive, and
     * returns the version: for row kinds whose encoding has more than one version, all still read.
     */
    public int expectMagicOf(String magic, int oldest, int newest) {
        byte[] expected = magic.getBytes(StandardCharsets.US_ASCII);
        byte[] actual = take(expected.length);
        if (!Arrays.equals(expected, actual)) {
            throw new MalformedCanonicalException("expected marker " + magic + ", found " + new String(actual, StandardCharsets.ISO_8859_1));
        }
        int actualVersion = take(1)[0] & 0xFF;
        if (actualVersion < oldest || actualVersion > newest) {
            throw new MalformedCanonicalException("unsupported " + magic + " encoding version " + actualVersion + " (this build reads "
                    + (oldest == newest ? String.valueOf(oldest) : oldest + " to " + newest) + ")");
        }
        return actualVersion;
    }

    public long int64() {
        byte[] b = take(8);
        long value = 0;
        for (byte x : b) {
            value = (value << 8) | (x & 0xFF);
        }
        return value;
    }

    public int int32() {
        byte[] b = take(4);
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    public boolean bool() {
        return presence("boolean");
    }

    public String string() {
        int length = int32();
        if (length < 0) {
            throw new MalformedCanonicalException("negative string length " + length);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(take(length))).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedCanonicalException("string is not valid UTF-8");
        }
    }

    public String optionalString() {
        return presence("optional string") ? string() : null;
    }

    public List<String> strings() {
        int count = int32();
        if (count < 0 || count > bytes.length - position) {
            throw new MalformedCanonicalException("impossible list length " + count);
        }
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(string());
        }
        return List.copyOf(values);
    }

    public Integer optionalInt32() {
        return presence("optional int32") ? int32() : null;
    }

    public LocalDate optionalDate() {
        return presence("optional date") ? LocalDate.ofEpochDay(int32()) : null;
    }

    public Instant micros() {
        long micros = int64();
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    public Instant millis() {
        return Instant.ofEpochMilli(int64());
    }

    public void expectEnd() {
        if (position != bytes.length) {
            throw new MalformedCanonicalException((bytes.length - position) + " unexpected trailing bytes");
        }
    }

    private boolean presence(String what) {
        int flag = take(1)[0];
        if (flag != 0 && flag != 1) {
            throw new MalformedCanonicalException("invalid " + what + " flag " + flag);
        }
        return flag == 1;
    }

    private byte[] take(int length) {
        if (length > bytes.length - position) {
            throw new MalformedCanonicalException("truncated: needed " + length + " bytes at position " + position + " of " + bytes.length);
        }
        byte[] slice = Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return slice;
    }
}
