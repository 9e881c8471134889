package org.pupilflow.formats.read;

/** How one format names the values of a record that are checked after reading ({@link CensusField}). */
@FunctionalInterface
public interface FieldNames {

    /** The element path, column or {@code table.column} of {@code field} in this format. */
    String of(CensusField field);
}
