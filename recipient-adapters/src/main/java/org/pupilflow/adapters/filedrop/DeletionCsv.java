package org.pupilflow.adapters.filedrop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.pupilflow.schemas.kafka.RecipientRecords;
import org.pupilflow.sharing.DeletionDue;
import org.pupilflow.sharing.DeletionRequest;

import tools.jackson.databind.json.JsonMapper;

/**
 * A file drop's deletion requests and deletion-due notices as an RFC 4180 CSV file, beside the
 * disclosures' CSV of the same batch: UTF-8 (no byte order mark), CRLF, a header row, one row per
 * request or notice in topic order.
 *
 * <p>Columns ({@link #COLUMNS}): {@code kind} ({@code deletion-request} or {@code deletion-due}, the
 * record-kind header values), {@code id} (the request or notice id), {@code disclosureIds} (the
 * disclosures to delete, one cell of compact JSON, e.g. {@code ["d-1","d-2"]}), {@code reason} (a
 * request's; empty for a notice), {@code legalBasis}, {@code deleteBy} (a notice's passed date; empty
 * for a request), {@code replacedBy} (a request's restricted replacement, when there is one),
 * {@code issuedAt} (when the request was made or the notice issued, ISO-8601), {@code policyId},
 * {@code policyVersion}. The same columns in every file, whatever the batch holds.
 *
 * <p>Text cells get the same formula-injection guard as the disclosures' CSV ({@link DisclosureCsv#text}).
 * Instances are stateless; the same records always give the same bytes.
 */
public final class DeletionCsv {

    public static final List<String> COLUMNS = List.of("kind", "id", "disclosureIds", "reason", "legalBasis", "deleteBy", "replacedBy", "issuedAt",
            "policyId", "policyVersion");

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * The file's bytes and columns.
     *
     * @param records deletion requests and notices, in file order
     * @throws IllegalArgumentException if a record is neither a {@link DeletionRequest} nor a {@link DeletionDue}
     */
    public DisclosureCsv.Rendered render(List<? extends SpecificRecord> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + records.size() * 256);
        try {
            Writer writer = new OutputStreamWriter(bytes, StandardCharsets.UTF_8);
            CSVPrinter printer = new CSVPrinter(writer, FORMAT);
            printer.printRecord(COLUMNS);
            for (SpecificRecord record : records) {
                printer.printRecord(row(record));
            }
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return new DisclosureCsv.Rendered(bytes.toByteArray(), COLUMNS);
    }

    /** The request or notice id, the key of its row and of its receipt. */
    public static String id(SpecificRecord record) {
        if (record instanceof DeletionRequest request) {
            return request.getRequestId();
        }
        if (record instanceof DeletionDue notice) {
            return notice.getNoticeId();
        }
        throw notDeletion(record);
    }

    /** The recipient the request or notice is for. */
    public static String recipientId(SpecificRecord record) {
        if (record instanceof DeletionRequest request) {
            return request.getRecipientId();
        }
        if (record instanceof DeletionDue notice) {
            return notice.getRecipientId();
        }
        throw notDeletion(record);
    }

    private static List<String> row(SpecificRecord record) {
        List<String> row = new ArrayList<>(COLUMNS.size());
        if (record instanceof DeletionRequest request) {
            row.add(RecipientRecords.Kind.DELETION_REQUEST.header());
            row.add(DisclosureCsv.text(request.getRequestId()));
            row.add(JSON.writeValueAsString(request.getDisclosureIds()));
            row.add(DisclosureCsv.text(request.getReason()));
            row.add(DisclosureCsv.text(request.getLegalBasis()));
            row.add(null);
            row.add(DisclosureCsv.text(request.getReplacedBy()));
            row.add(DateTimeFormatter.ISO_INSTANT.format(request.getRequestedAt()));
            row.add(DisclosureCsv.text(request.getPolicyId()));
            row.add(DisclosureCsv.text(request.getPolicyVersion()));
        } else if (record instanceof DeletionDue notice) {
            row.add(RecipientRecords.Kind.DELETION_DUE.header());
            row.add(DisclosureCsv.text(notice.getNoticeId()));
            row.add(JSON.writeValueAsString(notice.getDisclosureIds()));
            row.add(null);
            row.add(DisclosureCsv.text(notice.getLegalBasis()));
            row.add(notice.getDeleteBy().toString());
            row.add(null);
            row.add(DateTimeFormatter.ISO_INSTANT.format(notice.getIssuedAt()));
            row.add(DisclosureCsv.text(notice.getPolicyId()));
            row.add(DisclosureCsv.text(notice.getPolicyVersion()));
        } else {
            throw notDeletion(record);
        }
        return row;
    }

    private static IllegalArgumentException notDeletion(SpecificRecord record) {
        return new IllegalArgumentException("Neither a DeletionRequest nor a DeletionDue: " + (record == null ? "null" : record.getClass().getName()));
    }
}
