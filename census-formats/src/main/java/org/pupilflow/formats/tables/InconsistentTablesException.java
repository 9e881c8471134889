package org.pupilflow.formats.tables;

import java.util.List;

import org.pupilflow.formats.read.CensusFormatException;
import org.pupilflow.formats.read.FieldIssue;

/**
 * The census tables do not join up: a row refers to a pupil or return that does not exist, an id
 * appears twice, a key is blank. Every such problem is listed (up to a limit, all counted) with its
 * table, line and column, and the return is refused as a whole: a pupil-level row that cannot be
 * put with its pupil would otherwise be lost or shared with the wrong child.
 */
public final class InconsistentTablesException extends CensusFormatException {

    private static final long serialVersionUID = 1L;

    private final transient List<FieldIssue> issues;
    private final long count;

    InconsistentTablesException(List<FieldIssue> issues, long count) {
        super(issues.get(0).location(), count + " row" + (count == 1 ? "" : "s") + " of the census tables do not join up (first: "
                + issues.get(0).message() + ")");
        this.issues = List.copyOf(issues);
        this.count = count;
    }

    /** The problems, in table order, at most {@link CensusTablesReader#MAX_ISSUES}. */
    public List<FieldIssue> issues() {
        return issues;
    }

    /** How many problems there are in all. */
    public long count() {
        return count;
    }
}
