package org.pupilflow.adapters.filedrop;

/**
 * What a {@link FileDrop} delivered.
 *
 * @param csvFile      the CSV file's name at the target
 * @param manifestFile the manifest's name at the target
 * @param sha256       SHA-256 (hex) of the CSV bytes, as in the manifest
 * @param recordCount  data rows in the CSV
 * @param deletionsFile the deletions CSV's name at the target, or null when the batch held no deletion request or notice
 * @param deletionsSha256 SHA-256 (hex) of the deletions CSV bytes, or null likewise
 * @param deletionCount data rows in the deletions CSV
 */
public record DropResult(String csvFile, String manifestFile, String sha256, int recordCount, String deletionsFile, String deletionsSha256,
                         int deletionCount) {

    /** A drop of disclosures only. */
    public DropResult(String csvFile, String manifestFile, String sha256, int recordCount) {
        this(csvFile, manifestFile, sha256, recordCount, null, null, 0);
    }
}
