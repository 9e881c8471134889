package org.pupilflow.audit.query;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads that expose pupils are recorded in the access log in the same transaction as the read:
 * if the access cannot be recorded, nothing is returned.
 */
@Service
class AuditReadService {

    private final AuditQueries queries;
    private final AccessLog accessLog;
    private final Counter subjectAccess;

    AuditReadService(AuditQueries queries, AccessLog accessLog, MeterRegistry registry) {
        this.queries = queries;
        this.accessLog = accessLog;
        this.subjectAccess = Counter.builder("pupilflow.audit.subject.access").description("Subject access reads (each recorded in the access log)")
                .register(registry);
    }

    /**
     * @param disclosures  every audit event about the pupil, oldest first: decisions, unchanged decisions, deletion
     *                     requests and deletion-due notices, each linked to the events it refers to and that refer to it
     * @param outcomes     how many events of each outcome
     */
    record SubjectAccess(String upn, Instant generatedAt, Map<String, Long> outcomes, List<DisclosureView> disclosures) {
    }

    @Transactional
    public SubjectAccess subject(String upn, String requester, String format) {
        List<DisclosureView> disclosures = queries.subject(upn);
        accessLog.record(requester, "GET /audit/subjects/{upn}", upn, "format=" + format, disclosures.size());
        subjectAccess.increment();
        Map<String, Long> outcomes = new TreeMap<>();
        disclosures.forEach(d -> outcomes.merge(d.outcome(), 1L, Long::sum));
        return new SubjectAccess(upn, Instant.now(), outcomes, disclosures);
    }

    record Page(int page, int size, boolean hasMore, List<DisclosureView> items) {
    }

    @Transactional
    public Page disclosures(AuditQueries.Filter filter, int page, int size, String requester, String query) {
        List<DisclosureView> rows = queries.disclosures(filter, page, size);
        boolean hasMore = rows.size() > size;
        List<DisclosureView> items = hasMore ? rows.subList(0, size) : rows;
        accessLog.record(requester, "GET /audit/disclosures", null, query, items.size());
        return new Page(page, size, hasMore, items);
    }

    @Transactional(readOnly = true)
    public Map<String, Map<String, Long>> summary(String returnId) {
        return queries.summary(returnId);
    }

    /** Every case-by-case request with decisions, with who asked and approved, and its decisions by outcome. */
    public List<AuditQueries.RequestCounts> requests(String returnId) {
        return queries.requests(returnId);
    }

    /** Per recipient and receipt outcome (DELIVERED, FAILED, REJECTED_BY_RECIPIENT), the disclosures with such a receipt. */
    @Transactional(readOnly = true)
    public Map<String, Map<String, Long>> deliverySummary(String returnId) {
        return queries.deliverySummary(returnId, true);
    }

    /** Per recipient, kind (DELETION_REQUESTED, DELETION_DUE) and receipt outcome, the requests and notices with such a receipt. */
    @Transactional(readOnly = true)
    public Map<String, Map<String, Map<String, Long>>> deletionDeliverySummary(String returnId) {
        return queries.deletionDeliverySummary(returnId);
    }

    /** Per recipient and receipt outcome, the receipts themselves. */
    @Transactional(readOnly = true)
    public Map<String, Map<String, Long>> receiptSummary(String returnId) {
        return queries.deliverySummary(returnId, false);
    }
}
