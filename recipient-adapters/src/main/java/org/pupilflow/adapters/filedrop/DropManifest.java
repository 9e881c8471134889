package org.pupilflow.adapters.filedrop;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

import org.pupilflow.sharing.PupilDisclosure;

import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a file drop's CSV holds, written next to it as {@code <name>.manifest.json} and uploaded
 * last: a reader waits for the manifest, then checks the CSV against {@code sha256} and
 * {@code recordCount} before using it (a re-run of the batch may be replacing the CSV just then).
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
 */
public record DropManifest(String returnId, String recipientId, String csvFile, int recordCount, String sha256,
                           String policyId, String policyVersion, String policyContentHash,
                           List<String> deleteBy, List<String> fields, List<String> disclosureIds, Instant createdAt) {

    // Component order, not alphabetical: the manifest reads as the Javadoc above.
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    public DropManifest {
        deleteBy = List.copyOf(deleteBy);
        fields = List.copyOf(fields);
        disclosureIds = List.copyOf(disclosureIds);
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
        return new DropManifest(first.getReturnId(), first.getRecipientId(), csvFile, batch.size(), DropFileNames.sha256Hex(csv.content()),
                first.getPolicyId(), first.getPolicyVersion(), first.getPolicyContentHash(), deleteBy, csv.columns(),
                batch.stream().map(PupilDisclosure::getDisclosureId).toList(), Objects.requireNonNull(createdAt, "createdAt"));
    }

    /** UTF-8 JSON, indented for people who open it; {@code createdAt} as an ISO-8601 instant. */
    public byte[] toJson() {
        return JSON.writeValueAsBytes(this);
    }

    public static DropManifest fromJson(byte[] json) {
        return JSON.readValue(json, DropManifest.class);
    }
}
