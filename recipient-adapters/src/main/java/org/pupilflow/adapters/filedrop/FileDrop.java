package org.pupilflow.adapters.filedrop;

import java.io.IOException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * Delivers one recipient's records as file drops: per batch of one census return, a CSV file
 * ({@link DisclosureCsv}), a second CSV of the batch's deletion requests and notices when it has any
 * ({@link DeletionCsv}), and then the manifest ({@link DropManifest}), each put atomically on the
 * {@link DropTarget}. The manifest goes last, so a reader that waits for it never sees a partial
 * batch.
 *
 * <p>Names are {@code <recipientId>_<returnId>_<batchKey>.csv} and {@code ....manifest.json},
 * sanitised to {@code [A-Za-z0-9._-]} (a short hash is appended when sanitising changed anything,
 * so different batches never share a name). The batch key comes from the caller and must identify
 * the batch's content (e.g. the first offset, or a sequence number): dropping the same batch again
 * writes the same names with the same CSV bytes (only the manifest's {@code createdAt} differs), so
 * a retry after a failure or a redelivery is idempotent.
 */
public final class FileDrop {

    /** The deletions CSV's name after the batch's base name. */
    public static final String DELETIONS_SUFFIX = "_deletions.csv";
    private static final DeletionCsv DELETIONS = new DeletionCsv();

    private final DropTarget target;
    private final String recipientId;
    private final DisclosureCsv csv;
    private final Clock clock;

    /**
     * @param recipientFields the recipient's allow-list ({@code RecipientRule.fields()}): it fixes the CSV columns
     */
    public FileDrop(DropTarget target, String recipientId, Collection<String> recipientFields, Clock clock) {
        this.target = Objects.requireNonNull(target, "target");
        this.recipientId = Objects.requireNonNull(recipientId, "recipientId");
        this.csv = new DisclosureCsv(recipientFields);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public FileDrop(DropTarget target, String recipientId, Collection<String> recipientFields) {
        this(target, recipientId, recipientFields, Clock.systemUTC());
    }

    /**
     * Writes the batch: CSV first, manifest last. A disclosure id that occurs twice (a redelivered
     * record) is written once, at its first position.
     *
     * @param batchKey identifies the batch within the recipient and return
     * @param batch    this recipient's disclosures from one return, under one policy version
     * @throws IllegalArgumentException if the batch is empty, holds another recipient's record (never
     *                                  misdeliver), mixes returns or policy versions, or carries a unit
     *                                  outside the allow-list
     * @throws IOException              if the target failed; the batch may be dropped again as it is
     */
    public DropResult drop(String batchKey, List<PupilDisclosure> batch) throws IOException {
        return dropRecords(batchKey, batch);
    }

    /**
     * Writes a batch that may hold deletion requests and deletion-due notices as well as disclosures: the
     * disclosures' CSV (header only when there are none), then the deletions' CSV
     * ({@code <name>_deletions.csv}, only when there are any), then the manifest describing both. Files of a batch
     * with no disclosure are named {@code <recipientId>_<batchKey>}, as it belongs to no return. A record id that
     * occurs twice (a redelivered record) is written once, at its first position.
     *
     * <p>The two CSVs do not keep the records' interleaving, and need not: a deletion only ever names disclosures
     * sent before it, so applying a batch's disclosures and then its deletions gives the same result as applying
     * the records in topic order.
     *
     * @param batchKey identifies the batch within the recipient (and return)
     * @param batch    this recipient's records: disclosures from one return under one policy version, and any
     *                 number of {@code DeletionRequest}s and {@code DeletionDue}s
     * @throws IllegalArgumentException if the batch is empty, holds another recipient's record (never misdeliver)
     *                                  or a record of another type, mixes returns or policy versions, or carries a
     *                                  unit outside the allow-list
     * @throws IOException              if the target failed; the batch may be dropped again as it is
     */
    public DropResult dropRecords(String batchKey, List<? extends SpecificRecord> batch) throws IOException {
        Objects.requireNonNull(batchKey, "batchKey");
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("A file drop needs at least one record");
        }
        List<PupilDisclosure> records = new ArrayList<>(batch.size());
        List<SpecificRecord> deletions = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (SpecificRecord record : batch) {
            if (record instanceof PupilDisclosure disclosure) {
                if (!recipientId.equals(disclosure.getRecipientId())) {
                    throw new IllegalArgumentException("Disclosure " + disclosure.getDisclosureId() + " is for recipient "
                            + disclosure.getRecipientId() + ", not " + recipientId);
                }
                if (seen.add(disclosure.getDisclosureId())) {
                    records.add(disclosure);
                }
            } else {
                String id = DeletionCsv.id(record);
                if (!recipientId.equals(DeletionCsv.recipientId(record))) {
                    throw new IllegalArgumentException(record.getSchema().getName() + " " + id + " is for recipient " + DeletionCsv.recipientId(record)
                            + ", not " + recipientId);
                }
                if (seen.add(id)) {
                    deletions.add(record);
                }
            }
        }
        String baseName = records.isEmpty() ? DropFileNames.forBatch(recipientId, batchKey)
                : DropFileNames.forBatch(recipientId, records.get(0).getReturnId(), batchKey);
        String csvFile = baseName + ".csv";
        String deletionsFile = deletions.isEmpty() ? null : baseName + DELETIONS_SUFFIX;
        String manifestFile = baseName + ".manifest.json";

        DisclosureCsv.Rendered rendered = csv.render(records);
        DisclosureCsv.Rendered deletionsCsv = deletions.isEmpty() ? null : DELETIONS.render(deletions);
        DropManifest manifest = DropManifest.of(recipientId, csvFile, rendered, records, deletionsFile, deletionsCsv,
                deletions.stream().map(DeletionCsv::id).toList(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
        byte[] manifestJson = manifest.toJson();

        target.put(csvFile, rendered.content());
        if (deletionsCsv != null) {
            target.put(deletionsFile, deletionsCsv.content());
        }
        target.put(manifestFile, manifestJson);
        return new DropResult(csvFile, manifestFile, manifest.sha256(), manifest.recordCount(), deletionsFile, manifest.deletionsSha256(),
                deletions.size());
    }

    /** The CSV columns of this recipient's files. */
    public List<String> columns() {
        return csv.columns();
    }

    public String describe() {
        return "file drop for " + recipientId + " to " + target.describe();
    }
}
