package org.pupilflow.audit.chain;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Writes the fixed binary encoding every audit row is hashed and stored in (the module README
 * documents it byte by byte). Integers are big-endian two's complement; a string is its UTF-8
 * length as a 4-byte unsigned integer followed by the bytes; an optional value is {@code 00}
 * (absent) or {@code 01} followed by the value; a list is its length as 4 bytes followed by its
 * items. Every value is length-prefixed, so no two different rows encode to the same bytes.
 */
public final class CanonicalWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);

    public CanonicalWriter magic(String magic, int version) {
        byte[] ascii = magic.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ascii);
        out.write(version);
        return this;
    }

    public CanonicalWriter int64(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift) & 0xFF);
        }
        return this;
    }

    public CanonicalWriter int32(int value) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write((value >>> shift) & 0xFF);
        }
        return this;
    }

    public CanonicalWriter bool(boolean value) {
        out.write(value ? 1 : 0);
        return this;
    }

    public CanonicalWriter string(String value) {
        if (value == null) {
            throw new IllegalArgumentException("a required string is null");
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        int32(utf8.length);
        out.writeBytes(utf8);
        return this;
    }

    public CanonicalWriter optionalString(String value) {
        if (value == null) {
            out.write(0);
        } else {
            out.write(1);
            string(value);
        }
        return this;
    }

    public CanonicalWriter strings(List<String> values) {
        int32(values.size());
        values.forEach(this::string);
        return this;
    }

    /** A 4-byte signed integer, optional. */
    public CanonicalWriter optionalInt32(Integer value) {
        if (value == null) {
            out.write(0);
        } else {
            out.write(1);
            int32(value);
        }
        return this;
    }

    /** A date as its epoch day (days since 1970-01-01), optional. */
    public CanonicalWriter optionalDate(LocalDate date) {
        if (date == null) {
            out.write(0);
        } else {
            out.write(1);
            int32(Math.toIntExact(date.toEpochDay()));
        }
        return this;
    }

    /** An instant as microseconds since the epoch: PostgreSQL's timestamp precision, so the column holds it exactly. */
    public CanonicalWriter micros(Instant instant) {
        return int64(Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000));
    }

    /** An instant as milliseconds since the epoch (Avro {@code timestamp-millis} fields). */
    public CanonicalWriter millis(Instant instant) {
        return int64(instant.toEpochMilli());
    }

    public CanonicalWriter raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
