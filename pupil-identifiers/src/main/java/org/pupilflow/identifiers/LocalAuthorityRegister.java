package org.pupilflow.identifiers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The English LA numbers a UPN may carry in characters 2–4.
 *
 * <p>LA numbers change when local government is reorganised (Dorset 2019, Northamptonshire 2021,
 * Cumbria 2023), so they are reference data in a CSV resource rather than code; see the module
 * README for where the list comes from and how to keep it current. A closed number stays
 * <em>known</em>: a UPN is a pupil's identifier for life, so UPNs issued under a closed number keep
 * arriving in census returns and CTFs for years.
 *
 * <p>Format ({@code code,name,closed_on}): a header line, then one LA per line; {@code closed_on}
 * is an ISO date or empty. No quoting: names must not contain commas. Blank lines are ignored.
 * Instances are immutable and thread-safe.
 */
public final class LocalAuthorityRegister {

    static final String BUNDLED_RESOURCE = "local-authorities.csv";
    private static final String HEADER = "code,name,closed_on";

    private final List<LocalAuthority> all;
    private final Map<String, LocalAuthority> byCode;
    /** Indexed by LA number so the UPN hot path needs no substring. */
    private final boolean[] knownNumbers = new boolean[1000];

    private LocalAuthorityRegister(List<LocalAuthority> authorities) {
        Map<String, LocalAuthority> map = new TreeMap<>();
        for (LocalAuthority la : authorities) {
            map.put(la.code(), la);
            knownNumbers[Integer.parseInt(la.code())] = true;
        }
        this.byCode = Collections.unmodifiableMap(map);
        List<LocalAuthority> sorted = new ArrayList<>(authorities);
        sorted.sort(Comparator.comparing(LocalAuthority::code));
        this.all = List.copyOf(sorted);
    }

    /** The list shipped in this jar, parsed once per class loader. */
    public static LocalAuthorityRegister bundled() {
        return Bundled.INSTANCE;
    }

    /**
     * Parses a register in the bundled format, e.g. a newer list supplied by an LA before a
     * release ships it. The reader is not closed.
     *
     * @throws IllegalArgumentException naming the line number when the content is malformed
     * @throws UncheckedIOException     when the reader fails
     */
    public static LocalAuthorityRegister fromCsv(Reader csv) {
        Objects.requireNonNull(csv, "csv");
        BufferedReader in = csv instanceof BufferedReader b ? b : new BufferedReader(csv);
        List<LocalAuthority> authorities = new ArrayList<>();
        Map<String, Integer> firstSeenOnLine = new TreeMap<>();
        try {
            String header = in.readLine();
            if (header == null) {
                throw new IllegalArgumentException("LA register CSV is empty; line 1 must be the header '" + HEADER + "'");
            }
            // A byte-order mark appears when the file was last saved by a spreadsheet.
            if (header.startsWith("\uFEFF")) {
                header = header.substring(1);
            }
            if (!header.strip().equals(HEADER)) {
                throw new IllegalArgumentException("LA register CSV line 1: expected header '" + HEADER + "' but found '" + header + "'");
            }
            int lineNumber = 1;
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                LocalAuthority la = parseLine(line, lineNumber);
                Integer earlier = firstSeenOnLine.putIfAbsent(la.code(), lineNumber);
                if (earlier != null) {
                    throw new IllegalArgumentException("LA register CSV line " + lineNumber + ": LA code " + la.code()
                            + " is already defined on line " + earlier);
                }
                authorities.add(la);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read LA register CSV", e);
        }
        return new LocalAuthorityRegister(authorities);
    }

    private static LocalAuthority parseLine(String line, int lineNumber) {
        String[] fields = line.split(",", -1);
        if (fields.length != 3) {
            throw new IllegalArgumentException("LA register CSV line " + lineNumber + ": expected 3 fields (" + HEADER
                    + ") but found " + fields.length + " in '" + line + "'; names must not contain commas");
        }
        String code = fields[0].strip();
        String name = fields[1].strip();
        String closed = fields[2].strip();
        if (!LocalAuthority.isThreeDigits(code)) {
            throw new IllegalArgumentException("LA register CSV line " + lineNumber + ": code must be 3 digits but is '" + code + "'");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("LA register CSV line " + lineNumber + ": LA " + code + " has no name");
        }
        LocalDate closedOn = null;
        if (!closed.isEmpty()) {
            try {
                closedOn = LocalDate.parse(closed);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("LA register CSV line " + lineNumber + ": closed_on must be an ISO date (yyyy-MM-dd) or empty but is '"
                        + closed + "'", e);
            }
        }
        return new LocalAuthority(code, name, closedOn);
    }

    /** The LA with this 3-digit number, current or closed. */
    public Optional<LocalAuthority> find(String code) {
        return code == null ? Optional.empty() : Optional.ofNullable(byCode.get(code));
    }

    /** True for current and closed LA numbers alike: UPNs issued under a closed number persist. */
    public boolean isKnown(String code) {
        return code != null && byCode.containsKey(code);
    }

    /** Every LA, current and closed, ordered by code. Unmodifiable. */
    public List<LocalAuthority> all() {
        return all;
    }

    /** Allocation-free lookup for {@link UpnValidator}; {@code laNumber} is 0..999. */
    boolean isKnownNumber(int laNumber) {
        return knownNumbers[laNumber];
    }

    @Override
    public String toString() {
        return "LocalAuthorityRegister[" + all.size() + " LAs]";
    }

    /** Lazy holder: the resource is parsed on first use, once, with no locking on later calls. */
    private static final class Bundled {
        static final LocalAuthorityRegister INSTANCE = load();

        private static LocalAuthorityRegister load() {
            InputStream stream = LocalAuthorityRegister.class.getResourceAsStream(BUNDLED_RESOURCE);
            if (stream == null) {
                throw new IllegalStateException("bundled LA register resource " + BUNDLED_RESOURCE + " is missing from the classpath");
            }
            try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                return fromCsv(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read bundled LA register", e);
            }
        }
    }
}
