package org.pupilflow.audit.query;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.pupilflow.web.ProblemType;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Data Protection Officer's questions (role {@code audit:read}):
 * {@code GET /audit/subjects/{upn}} (JSON, or CSV with {@code Accept: text/csv}),
 * {@code GET /audit/disclosures?recipient=&from=&to=&outcome=&returnId=&page=&size=} and
 * {@code GET /audit/summary?returnId=}. Reads that return pupils are recorded in the access log.
 */
@RestController
class AuditQueryController {

    static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);
    private static final Pattern UPN = Pattern.compile("[A-Z0-9]{13}");
    private static final Set<String> OUTCOMES = new java.util.TreeSet<>(Set.of("DISCLOSED", "RESTRICTED", "WITHHELD", "UNCHANGED", "DELETION_REQUESTED",
            "DELETION_DUE"));
    private static final int MAX_PAGE_SIZE = 1_000;

    private final AuditReadService reads;

    AuditQueryController(AuditReadService reads) {
        this.reads = reads;
    }

    @Operation(summary = "Subject access: a pupil's whole history", description = "Every decision about the pupil (disclosures, restricted and "
            + "withheld records, unchanged decisions, deletion requests and deletion-due notices) with dates, legal bases and delivery receipts; "
            + "JSON, or CSV with `Accept: text/csv`. Recorded in the access log.")
    @ApiResponse(responseCode = "200", description = "The history (JSON or CSV)")
    @ApiResponse(responseCode = "400", description = "`urn:pupilflow:problem:invalid-parameter`: upn is not 13 capital letters or digits",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @GetMapping(path = "/audit/subjects/{upn}", produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    ResponseEntity<?> subject(@PathVariable String upn, @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
                              Authentication requester) {
        if (!UPN.matcher(upn).matches()) {
            throw invalid("upn", "a UPN: 13 capital letters or digits (e.g. J935123420731)", null,
                    "upn must be 13 capital letters or digits; was '" + shown(upn) + "'");
        }
        boolean csv = accept != null && MediaType.parseMediaTypes(accept).stream()
                .anyMatch(type -> !type.isWildcardType() && type.isCompatibleWith(TEXT_CSV));
        AuditReadService.SubjectAccess access = reads.subject(upn, requester.getName(), csv ? "csv" : "json");
        if (csv) {
            return ResponseEntity.ok()
                    .contentType(TEXT_CSV)
                    .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename("subject-access-" + upn + ".csv").build().toString())
                    .body(SubjectAccessCsv.render(access.disclosures()));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(access);
    }

    @Operation(summary = "Audit events, filtered and paged", description = "By recipient, time (from, to: ISO date or instant), outcome and return; "
            + "page from 0, size 1 to 1,000. Recorded in the access log.")
    @ApiResponse(responseCode = "200", description = "A page of events")
    @ApiResponse(responseCode = "400", description = "`urn:pupilflow:problem:invalid-parameter`: outcome, from, to, page or size not accepted "
            + "(`parameter` names it, `accepted` says what is)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @GetMapping(path = "/audit/disclosures", produces = MediaType.APPLICATION_JSON_VALUE)
    AuditReadService.Page disclosures(@RequestParam(required = false) String recipient, @RequestParam(required = false) String from,
                                      @RequestParam(required = false) String to, @RequestParam(required = false) String outcome,
                                      @RequestParam(required = false) String returnId, @RequestParam(defaultValue = "0") int page,
                                      @RequestParam(defaultValue = "100") int size, Authentication requester) {
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            throw invalid("outcome", "one of " + String.join(", ", OUTCOMES), List.copyOf(OUTCOMES),
                    "outcome must be one of " + String.join(", ", OUTCOMES) + "; was '" + shown(outcome) + "'");
        }
        if (page < 0) {
            throw invalid("page", "a whole number, 0 or more", null, "page must be 0 or more; was " + page);
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw invalid("size", "a whole number from 1 to " + MAX_PAGE_SIZE, null, "size must be between 1 and " + MAX_PAGE_SIZE + "; was " + size);
        }
        AuditQueries.Filter filter = new AuditQueries.Filter(blankToNull(recipient), time("from", from), time("to", to), outcome, blankToNull(returnId));
        List<String> query = new ArrayList<>();
        addParameter(query, "recipient", recipient);
        addParameter(query, "from", from);
        addParameter(query, "to", to);
        addParameter(query, "outcome", outcome);
        addParameter(query, "returnId", returnId);
        query.add("page=" + page);
        query.add("size=" + size);
        return reads.disclosures(filter, page, size, requester.getName(), String.join("&", query));
    }

    record Summary(String returnId, long total, List<RecipientCounts> recipients) {
    }

    /**
     * @param outcomes           audit events by outcome: DISCLOSED, RESTRICTED, WITHHELD, UNCHANGED (nothing re-sent: the recipient
     *                           already held the record), DELETION_REQUESTED, DELETION_DUE; only outcomes that occur
     * @param deliveries         disclosures by delivery receipt outcome (DELIVERED, FAILED, REJECTED_BY_RECIPIENT); empty for recipients
     *                           that read their topic from Kafka themselves
     * @param receipts           the receipts by outcome: equal to {@code deliveries} when every disclosure has exactly one
     * @param deletionDeliveries deletion requests and deletion-due notices ({@code DELETION_REQUESTED}, {@code DELETION_DUE}) by
     *                           delivery receipt outcome, counted apart so {@code deliveries} stays comparable with the disclosures
     */
    record RecipientCounts(String recipientId, long total, Map<String, Long> outcomes, Map<String, Long> deliveries, Map<String, Long> receipts,
                           Map<String, Map<String, Long>> deletionDeliveries) {
    }

    @Operation(summary = "Counts per recipient and outcome", description = "For one return (returnId) or everything: audit events by outcome, "
            + "deliveries and receipts by outcome, deletion requests' and notices' receipts apart.")
    @ApiResponse(responseCode = "200", description = "The summary")
    @GetMapping(path = "/audit/summary", produces = MediaType.APPLICATION_JSON_VALUE)
    Summary summary(@RequestParam(required = false) String returnId) {
        Map<String, Map<String, Long>> deliveries = reads.deliverySummary(blankToNull(returnId));
        Map<String, Map<String, Long>> receipts = reads.receiptSummary(blankToNull(returnId));
        Map<String, Map<String, Map<String, Long>>> deletions = reads.deletionDeliverySummary(blankToNull(returnId));
        List<RecipientCounts> recipients = reads.summary(blankToNull(returnId)).entrySet().stream()
                .map(e -> new RecipientCounts(e.getKey(), e.getValue().values().stream().mapToLong(Long::longValue).sum(), e.getValue(),
                        deliveries.getOrDefault(e.getKey(), Map.of()), receipts.getOrDefault(e.getKey(), Map.of()),
                        deletions.getOrDefault(e.getKey(), Map.of())))
                .toList();
        return new Summary(blankToNull(returnId), recipients.stream().mapToLong(RecipientCounts::total).sum(), recipients);
    }

    /** A bad parameter: 400, a problem naming it and what it accepts. */
    static ErrorResponseException invalid(String parameter, String accepted, List<String> values, String detail) {
        ProblemDetail problem = ProblemType.INVALID_PARAMETER.problem(detail);
        problem.setProperty("parameter", parameter);
        problem.setProperty("accepted", accepted);
        if (values != null) {
            problem.setProperty("acceptedValues", values);
        }
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }

    private static String shown(String value) {
        return value.length() > 80 ? value.substring(0, 80) + "..." : value;
    }

    /** An ISO instant ({@code 2026-01-31T12:00:00Z}) or date ({@code 2026-01-31}, meaning its start, UTC). */
    static Instant time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return value.contains("T") ? Instant.parse(value) : LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw invalid(name, "an ISO date (2026-01-31) or instant (2026-01-31T12:00:00Z)", null,
                    name + " must be an ISO date (2026-01-31) or instant (2026-01-31T12:00:00Z); was '" + shown(value) + "'");
        }
    }

    private static void addParameter(List<String> query, String name, String value) {
        if (value != null && !value.isBlank()) {
            query.add(name + "=" + value);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
