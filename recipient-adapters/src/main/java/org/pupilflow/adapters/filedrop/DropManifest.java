package org.pupilflow.adapters.filedrop;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

import org.pupilflow.sharing.PupilDisclosure;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a file drop's CSV holds, written next to it as {@code <name>.manifest.json} and uploaded
 * last: a reader waits for the manifest, then checks the CSV against {@code sha256} and
 * {@code recordCount} before using it (a re-run of the batch may be replacing the CSV just then).
 *
 * <p>A batch that holds deletion requests or deletion-due notices has a second CSV
 * ({@link DeletionCsv}), described by the {@code deletions*} fields; they are left out of the JSON when
 * the batch has none, so a manifest of disclosures only is exactly what it was before these records
 * existed. The first fields keep their meaning: they describe the disclosures' CSV, which is always
 * written (header only when the batch holds no disclosure; then {@code returnId} and the policy fields
 * are null, as the batch belongs to no return).
 *
 * @param returnId          the census return all records came from
 * @param recipientId       the recipient all records are for
 * @param csvFile           the CSV file's name in the same directory
 * @param recordCount       data rows in the CSV (the header not counted)
 * @param sha256            SHA-256 of the CSV file's bytes, lower-case hex
 * @param policyId          the sharing policy every record was decided under
 * @param policyVersion     its version
 * @param policyContentHash SHA-256 of the policy document
 * @param deleteBy          the records' delete-by dates, ISO-8601, sorted and distinct; records without one are left out
 * @param fields            the CSV's columns
 * @param disclosureIds     the records' disclosure ids in file order, to reconcile with the audit trail
 * @param createdAt         when the drop was written
 * @param deletionsFile     the deletions CSV's name in the same directory, or null when the batch has no deletion record
 * @param deletionCount     data rows in the deletions CSV, or null likewise
 * @param deletionsSha256   SHA-256 of the deletions CSV's bytes, lower-case hex, or null likewise
 * @param deletionFields    the deletions CSV's columns, or null likewise
 * @param deletionIds       the request and notice ids in file order, or null likewise
 */
public record DropManifest(String returnId, String recipientId, String csvFile, int recordCount, String sha256,
                           String policyId, String policyVersion, String policyContentHash,
                           List<String> deleteBy, List<String> fields, List<String> disclosureIds, Instant createdAt,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String deletionsFile,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Integer deletionCount,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String deletionsSha256,
                           @JsonInclude(JsonInclude.Include.NON_NULL) List<String> deletionFields,
                           @JsonInclude(JsonInclude.Include.NON_NULL) List<String> deletionIds) {

    // Component order, not alphabetical: the manifest reads as the Javadoc above.
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    public DropManifest {
        deleteBy = List.copyOf(deleteBy);
        fields = List.copyOf(fields);
        disclosureIds = List.copyOf(disclosureIds);
        deletionFields = deletionFields == null ? null : List.copyOf(deletionFields);
        deletionIds = deletionIds == null ? null : List.copyOf(deletionIds);
    }

    /** A manifest of disclosures only, as before deletion records existed. */
    public DropManifest(String returnId, String recipientId, String csvFile, int recordCount, String sha256, String policyId, String policyVersion,
                        String policyContentHash, List<String> deleteBy, List<String> fields, List<String> disclosureIds, Instant createdAt) {
        this(returnId, recipientId, csvFile, recordCount, sha256, policyId, policyVersion, policyContentHash, deleteBy, fields, disclosureIds, createdAt,
                null, null, null, null, null);
    }

    /**
     * The manifest of a rendered CSV file.
     *
     * @param batch the records in the file, in file order
     * @throws IllegalArgumentException if the batch is empty or was decided under more than one
     *                                  policy version: one manifest names one policy, so the caller
     *                                  batches by policy content hash as well as by return
     */
    public static DropManifest of(String csvFile, DisclosureCsv.Rendered csv, List<PupilDisclosure> batch, Instant createdAt) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("A file drop needs at least one record");
        }
        return of(batch.get(0).getRecipientId(), csvFile, csv, batch, null, null, List.of(), createdAt);
    }

    /**
     * The manifest of a batch's disclosures' CSV and, when it holds any, its deletions' CSV.
     *
     * @param recipientId    the recipient every record is for
     * @param batch          the disclosures in the CSV, in file order (may be empty when there are deletions)
     * @param deletionsFile  the deletions CSV's name, or null when there are none
     * @param deletions      the rendered deletions CSV, or null likewise
     * @param deletionIds    the request and notice ids in the deletions CSV, in file order
     * @throws IllegalArgumentException if the batch holds nothing at all, or its disclosures were decided under more
     *                                  than one policy version
     */
    public static DropManifest of(String recipientId, String csvFile, DisclosureCsv.Rendered csv, List<PupilDisclosure> batch, String deletionsFile,
                                  DisclosureCsv.Rendered deletions, List<String> deletionIds, Instant createdAt) {
        if (batch.isEmpty() && deletionIds.isEmpty()) {
            throw new IllegalArgumentException("A file drop needs at least one record");
        }
        if ((deletionsFile == null) != (deletions == null) || (deletions == null) != deletionIds.isEmpty()) {
            throw new IllegalArgumentException("A deletions file needs its name, its content and at least one id, or none of them");
        }
        Objects.requireNonNull(createdAt, "createdAt");
        if (batch.isEmpty()) {
            return new DropManifest(null, recipientId, csvFile, 0, DropFileNames.sha256Hex(csv.content()), null, null, null, List.of(), csv.columns(),
                    List.of(), createdAt, deletionsFile, deletionIds.size(), DropFileNames.sha256Hex(deletions.content()), deletions.columns(), deletionIds);
        }
        PupilDisclosure first = batch.get(0);
        for (PupilDisclosure disclosure : batch) {
            if (!first.getPolicyContentHash().equals(disclosure.getPolicyContentHash())) {
                throw new IllegalArgumentException("Disclosure " + disclosure.getDisclosureId() + " was decided under policy "
                        + disclosure.getPolicyId() + " " + disclosure.getPolicyVersion() + " (" + disclosure.getPolicyContentHash()
                        + "), the batch under " + first.getPolicyId() + " " + first.getPolicyVersion() + " (" + first.getPolicyContentHash()
                        + "): batch by policy too");
            }
        }
        List<String> deleteBy = batch.stream().map(PupilDisclosure::getDeleteBy).filter(Objects::nonNull)
                .distinct().sorted().map(LocalDate::toString).toList();
        return new DropManifest(first.getReturnId(), recipientId, csvFile, batch.size(), DropFileNames.sha256Hex(csv.content()),
                first.getPolicyId(), first.getPolicyVersion(), first.getPolicyContentHash(), deleteBy, csv.columns(),
                batch.stream().map(PupilDisclosure::getDisclosureId).toList(), createdAt, deletionsFile,
                deletions == null ? null : deletionIds.size(), deletions == null ? null : DropFileNames.sha256Hex(deletions.content()),
                deletions == null ? null : deletions.columns(), deletions == null ? null : deletionIds);
    }

    /** UTF-8 JSON, indented for people who open it; {@code createdAt} as an ISO-8601 instant. */
    public byte[] toJson() {
        return JSON.writeValueAsBytes(this);
    }

    public static DropManifest fromJson(byte[] json) {
        return JSON.readValue(json, DropManifest.class);
    }
}
