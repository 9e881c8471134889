package org.pupilflow.ingest.validation;

import org.pupilflow.formats.read.CensusField;
import org.pupilflow.formats.read.CompactIdMap;
import org.pupilflow.formats.read.FieldIssue;
import org.pupilflow.formats.read.ParsedRecord;

/**
 * Finds a UPN that appears twice in one return. Holds one entry per pupil of the return being
 * read — the UPN packed into a number and the position of the record that had it first, about 24
 * bytes ({@link CompactIdMap}; about 100 for a UPN of another shape): some 7 MB for the largest
 * LA's 300,000 pupils — and nothing after.
 */
public final class DuplicateUpns {

    private final CompactIdMap firstSeenAt = CompactIdMap.forUpns();

    /** An issue if the record's UPN was already seen in this return, else null. */
    public FieldIssue check(ParsedRecord record) {
        String upn = record.upn();
        if (upn == null || upn.isBlank()) {
            return null;
        }
        Integer first = firstSeenAt.putIfAbsent(upn, (int) record.index());
        return first == null ? null
                : new FieldIssue(record.location(), record.fields().of(CensusField.UPN), "duplicate-upn", "UPN " + upn
                        + " already appears in this return, in its record " + first + " (the " + ordinal(first) + " pupil of the file)");
    }

    private static String ordinal(int n) {
        int lastTwo = n % 100;
        String suffix = lastTwo >= 11 && lastTwo <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }
}
