package org.pupilflow.ingest.validation;

import java.util.HashMap;
import java.util.Map;

import org.pupilflow.formats.read.CensusField;
import org.pupilflow.formats.read.FieldIssue;
import org.pupilflow.formats.read.ParsedRecord;

/**
 * Finds a UPN that appears twice in one return. Holds one entry per pupil of the return being
 * read (about 100 bytes each: some 30 MB for the largest LA's 300,000 pupils), and nothing after.
 */
public final class DuplicateUpns {

    private final Map<String, String> firstSeenAt = new HashMap<>();

    /** An issue if the record's UPN was already seen in this return, else null. */
    public FieldIssue check(ParsedRecord record) {
        String upn = record.upn();
        String location = record.location();
        if (upn == null || upn.isBlank()) {
            return null;
        }
        String first = firstSeenAt.putIfAbsent(upn, location);
        return first == null ? null
                : new FieldIssue(location, record.fields().of(CensusField.UPN), "duplicate-upn", "UPN " + upn + " already appears in this return at " + first);
    }
}
