package org.pupilflow.adapters.filedrop;

/**
 * What a {@link FileDrop} delivered.
 *
 * @param csvFile      the CSV file's name at the target
 * @param manifestFile the manifest's name at the target
 * @param sha256       SHA-256 (hex) of the CSV bytes, as in the manifest
 * @param recordCount  data rows in the CSV
 */
public record DropResult(String csvFile, String manifestFile, String sha256, int recordCount) {
}
