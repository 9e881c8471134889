package org.pupilflow.ingest.validation;

import java.util.HashMap;
import java.util.Map;

import org.pupilflow.ingest.parse.FieldIssue;

/**
 * Finds a UPN that appears twice in one return. Holds one entry per pupil of the return being
 * read (about 100 bytes each: some 30 MB for the largest LA's 300,000 pupils), and nothing after.
 */
public final class DuplicateUpns {

    private final Map<String, String> firstSeenAt = new HashMap<>();

    /** An issue if {@code upn} was already seen in this return, else null. */
    public FieldIssue check(String upn, String location) {
        if (upn == null || upn.isBlank()) {
            return null;
        }
        String first = firstSeenAt.putIfAbsent(upn, location);
        return first == null ? null
                : new FieldIssue(location, "UPN", "duplicate-upn", "UPN " + upn + " already appears in this return at " + first);
    }
}
