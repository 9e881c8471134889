package org.pupilflow.formats.codes;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One DfE code list, as reference data ({@code org/pupilflow/formats/codes/<name>.csv}): the codes a census field
 * may take.
 *
 * @param name          the list's name, e.g. {@code ethnicity}
 * @param codes         the codes (case as the DfE writes them)
 * @param extendedByOne whether an extended code — a code of the list followed by one letter — is accepted as that code
 *                      (the DfE's extended language codes)
 */
public record CodeList(String name, Set<String> codes, boolean extendedByOne) {

    public CodeList {
        codes = Set.copyOf(codes);
    }

    /** Whether {@code code} is one of the list's (or, for an extendable list, one of them followed by one letter). */
    public boolean contains(String code) {
        if (code == null) {
            return false;
        }
        if (codes.contains(code)) {
            return true;
        }
        return extendedByOne && code.length() >= 2 && Character.isUpperCase(code.charAt(code.length() - 1))
                && codes.contains(code.substring(0, code.length() - 1));
    }

    /** The codes in order, for messages (the first {@code max}, then how many more). */
    public String describe(int max) {
        List<String> sorted = List.copyOf(new TreeSet<>(codes));
        String shown = String.join(", ", sorted.subList(0, Math.min(max, sorted.size())));
        return sorted.size() > max ? shown + " and " + (sorted.size() - max) + " more (reference data: " + name + ".csv)" : shown;
    }
}
