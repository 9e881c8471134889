package org.pupilflow.formats.read;

import java.util.HashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A map from ids to ints in about 24 bytes an entry, for per-pupil indexes of large returns (a
 * {@code HashMap<String, ...>} costs 100 to 170). Ids of the expected shape are packed exactly into
 * a {@code long} (so there are no collisions) and kept in an open-addressing table; any other id
 * goes to an ordinary map, so every string still works.
 */
public final class CompactIdMap {

    private static final long EMPTY = Long.MIN_VALUE;
    private static final int NOT_PACKABLE = -1;

    private final ToLongFunction<String> packer;
    private long[] keys;
    private int[] values;
    private int size;
    private final Map<String, Integer> others = new HashMap<>(0);

    private CompactIdMap(ToLongFunction<String> packer) {
        this.packer = packer;
        this.keys = new long[1024];
        this.values = new int[1024];
        java.util.Arrays.fill(keys, EMPTY);
    }

    /** For decimal ids without leading zeros ("1" to 18 digits), such as the census tables' row ids. */
    public static CompactIdMap forDecimalIds() {
        return new CompactIdMap(CompactIdMap::packDecimal);
    }

    /** For UPN-shaped ids: a letter, 11 digits and a digit or letter. */
    public static CompactIdMap forUpns() {
        return new CompactIdMap(CompactIdMap::packUpn);
    }

    /** Puts {@code value} for {@code id} unless it has one; returns the value it had, or null. */
    public Integer putIfAbsent(String id, int value) {
        long packed = packer.applyAsLong(id);
        if (packed == NOT_PACKABLE) {
            return others.putIfAbsent(id, value);
        }
        int slot = slot(packed);
        if (keys[slot] == packed) {
            return values[slot];
        }
        keys[slot] = packed;
        values[slot] = value;
        if (++size * 10 > keys.length * 6) {
            grow();
        }
        return null;
    }

    /** The value of {@code id}, or null. */
    public Integer get(String id) {
        long packed = packer.applyAsLong(id);
        if (packed == NOT_PACKABLE) {
            return others.get(id);
        }
        int slot = slot(packed);
        return keys[slot] == packed ? values[slot] : null;
    }

    /** How many ids it holds. */
    public int size() {
        return size + others.size();
    }

    private int slot(long key) {
        int mask = keys.length - 1;
        int slot = (int) (mix(key) & mask);
        while (keys[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldValues.length * 2];
        java.util.Arrays.fill(keys, EMPTY);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = slot(oldKeys[i]);
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }

    private static long mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    static long packDecimal(String id) {
        int length = id.length();
        if (length == 0 || length > 18 || (id.charAt(0) == '0' && length > 1)) {
            return NOT_PACKABLE;
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return NOT_PACKABLE;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static long packUpn(String id) {
        if (id.length() != 13) {
            return NOT_PACKABLE;
        }
        char first = id.charAt(0);
        if (first < 'A' || first > 'Z') {
            return NOT_PACKABLE;
        }
        long value = first - 'A';
        for (int i = 1; i < 12; i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return NOT_PACKABLE;
            }
            value = value * 10 + (c - '0');
        }
        char last = id.charAt(12);
        if (last >= '0' && last <= '9') {
            return value * 36 + (last - '0');
        }
        if (last >= 'A' && last <= 'Z') {
            return value * 36 + 10 + (last - 'A');
        }
        return NOT_PACKABLE;
    }
}
