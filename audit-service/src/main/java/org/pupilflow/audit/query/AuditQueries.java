package org.pupilflow.audit.query;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import org.pupilflow.audit.chain.CaseRequest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The read side: subject access, filtered listings and counts. */
@Component
class AuditQueries {

    private static final String COLUMNS = "disclosure_id, upn, recipient_id, outcome, fields_disclosed, reason, objection_ids, legal_basis, policy_id, "
            + "policy_version, policy_content_hash, return_id, decided_at, age_measured_on, delete_by, pseudonymised, pupil_pseudonym, recorded_at, "
            + "relates_to, retain_until, request_id, case_reference, request_purpose, requested_by, approved_by, pseudonym_key_version";

    /** Outcomes that are notices about records a recipient already holds: their receipts are counted apart from disclosures'. */
    private static final String DELETION_OUTCOMES = "('DELETION_REQUESTED', 'DELETION_DUE')";

    private final JdbcTemplate jdbc;

    AuditQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Every event about one pupil, oldest first, with its deliveries, each linked to the events it refers to
     * ({@code relatesTo}) and to the later events that refer to it. Links are resolved within the pupil's own
     * rows only, so a wrong id can never show another pupil's data.
     */
    List<DisclosureView> subject(String upn) {
        List<DisclosureView> rows = withDeliveries(jdbc.query("SELECT " + COLUMNS + " FROM disclosure WHERE upn = ? ORDER BY decided_at, disclosure_id",
                (rs, n) -> map(rs), upn));
        Map<String, DisclosureView> byId = new HashMap<>();
        Map<String, List<DisclosureView.Reference>> referencedBy = new HashMap<>();
        for (DisclosureView row : rows) {
            byId.put(row.disclosureId(), row);
            for (String target : row.relatesTo()) {
                referencedBy.computeIfAbsent(target, id -> new ArrayList<>()).add(DisclosureView.Reference.of(row));
            }
        }
        return rows.stream().map(row -> row.withReferences(
                row.relatesTo().stream().map(id -> byId.containsKey(id) ? DisclosureView.Reference.of(byId.get(id)) : DisclosureView.Reference.missing(id))
                        .toList(),
                referencedBy.getOrDefault(row.disclosureId(), List.of()))).toList();
    }

    /** Filters for {@link #disclosures}; null means any. {@code to} is exclusive. */
    record Filter(String recipient, Instant from, Instant to, String outcome, String returnId) {
    }

    /** One page (plus one row to tell whether there is more) of decisions, oldest first. */
    List<DisclosureView> disclosures(Filter filter, int page, int size) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM disclosure WHERE true");
        List<Object> args = new ArrayList<>();
        if (filter.recipient() != null) {
            sql.append(" AND recipient_id = ?");
            args.add(filter.recipient());
        }
        if (filter.from() != null) {
            sql.append(" AND decided_at >= ?");
            args.add(OffsetDateTime.ofInstant(filter.from(), ZoneOffset.UTC));
        }
        if (filter.to() != null) {
            sql.append(" AND decided_at < ?");
            args.add(OffsetDateTime.ofInstant(filter.to(), ZoneOffset.UTC));
        }
        if (filter.outcome() != null) {
            sql.append(" AND outcome = ?");
            args.add(filter.outcome());
        }
        if (filter.returnId() != null) {
            sql.append(" AND return_id = ?");
            args.add(filter.returnId());
        }
        sql.append(" ORDER BY decided_at, disclosure_id LIMIT ? OFFSET ?");
        args.add(size + 1);
        args.add((long) page * size);
        return withDeliveries(jdbc.query(sql.toString(), (rs, n) -> map(rs), args.toArray()));
    }

    /** Decision counts per recipient and outcome, for one return or all. */
    Map<String, Map<String, Long>> summary(String returnId) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        String sql = "SELECT recipient_id, outcome, count(*) AS n FROM disclosure" + (returnId == null ? "" : " WHERE return_id = ?")
                + " GROUP BY recipient_id, outcome";
        jdbc.query(sql, rs -> {
            counts.computeIfAbsent(rs.getString("recipient_id"), r -> new TreeMap<>()).put(rs.getString("outcome"), rs.getLong("n"));
        }, returnId == null ? new Object[0] : new Object[] {returnId});
        return counts;
    }

    /**
     * One case-by-case request as the DPO sees it in the summary: who asked, who approved, for which case, and what its
     * decisions were.
     */
    record RequestCounts(String requestId, String recipientId, String caseReference, String purpose, String legalBasis, String requestedBy,
                         List<String> approvedBy, Map<String, Long> outcomes) {
    }

    /** Every case-by-case request with decisions (of the return, if given), oldest first, with its decisions by outcome. */
    List<RequestCounts> requests(String returnId) {
        Map<String, RequestCounts> requests = new LinkedHashMap<>();
        String sql = "SELECT request_id, recipient_id, case_reference, request_purpose, legal_basis, requested_by, approved_by, outcome, count(*) AS n,"
                + " min(decided_at) AS first FROM disclosure WHERE request_id IS NOT NULL" + (returnId == null ? "" : " AND return_id = ?")
                + " GROUP BY request_id, recipient_id, case_reference, request_purpose, legal_basis, requested_by, approved_by, outcome"
                + " ORDER BY first, request_id";
        jdbc.query(sql, rs -> {
            RequestCounts request = requests.computeIfAbsent(rs.getString("request_id"), id -> {
                try {
                    return new RequestCounts(id, rs.getString("recipient_id"), rs.getString("case_reference"), rs.getString("request_purpose"),
                            rs.getString("legal_basis"), rs.getString("requested_by"), textArray(rs, "approved_by"), new TreeMap<>());
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            request.outcomes().merge(rs.getString("outcome"), rs.getLong("n"), Long::sum);
        }, returnId == null ? new Object[0] : new Object[] {returnId});
        return List.copyOf(requests.values());
    }

    /**
     * Per recipient and receipt outcome: how many disclosures (of the return, if given) have such a receipt
     * ({@code distinct = true}), or how many such receipts there are (a disclosure should have exactly one final receipt).
     * Receipts of deletion requests and deletion-due notices are not counted here ({@link #deletionDeliverySummary}).
     */
    Map<String, Map<String, Long>> deliverySummary(String returnId, boolean distinct) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        String sql = "SELECT d.recipient_id, v.outcome, count(" + (distinct ? "DISTINCT v.disclosure_id" : "*") + ") AS n FROM delivery v"
                + " JOIN disclosure d ON d.disclosure_id = v.disclosure_id WHERE d.outcome NOT IN " + DELETION_OUTCOMES
                + (returnId == null ? "" : " AND d.return_id = ?")
                + " GROUP BY d.recipient_id, v.outcome";
        jdbc.query(sql, rs -> {
            counts.computeIfAbsent(rs.getString("recipient_id"), r -> new TreeMap<>()).put(rs.getString("outcome"), rs.getLong("n"));
        }, returnId == null ? new Object[0] : new Object[] {returnId});
        return counts;
    }

    /**
     * Per recipient, notice outcome (DELETION_REQUESTED, DELETION_DUE) and receipt outcome: how many requests or notices
     * (of the return, if given) have such a receipt.
     */
    Map<String, Map<String, Map<String, Long>>> deletionDeliverySummary(String returnId) {
        Map<String, Map<String, Map<String, Long>>> counts = new TreeMap<>();
        String sql = "SELECT d.recipient_id, d.outcome AS kind, v.outcome, count(DISTINCT v.disclosure_id) AS n FROM delivery v"
                + " JOIN disclosure d ON d.disclosure_id = v.disclosure_id WHERE d.outcome IN " + DELETION_OUTCOMES
                + (returnId == null ? "" : " AND d.return_id = ?")
                + " GROUP BY d.recipient_id, d.outcome, v.outcome";
        jdbc.query(sql, rs -> {
            counts.computeIfAbsent(rs.getString("recipient_id"), r -> new TreeMap<>()).computeIfAbsent(rs.getString("kind"), k -> new TreeMap<>())
                    .put(rs.getString("outcome"), rs.getLong("n"));
        }, returnId == null ? new Object[0] : new Object[] {returnId});
        return counts;
    }

    private List<DisclosureView> withDeliveries(List<DisclosureView> rows) {
        if (rows.isEmpty()) {
            return rows;
        }
        Object[] ids = rows.stream().map(DisclosureView::disclosureId).toArray();
        Map<String, List<DisclosureView.DeliveryView>> deliveries = new HashMap<>();
        jdbc.query(connection -> {
            PreparedStatement ps = connection.prepareStatement("SELECT disclosure_id, channel, outcome, attempts, detail, delivered_at FROM delivery "
                    + "WHERE disclosure_id = ANY (?) ORDER BY delivered_at, chain_id, seq");
            ps.setArray(1, connection.createArrayOf("text", ids));
            return ps;
        }, rs -> {
            deliveries.computeIfAbsent(rs.getString("disclosure_id"), id -> new ArrayList<>()).add(new DisclosureView.DeliveryView(rs.getString("channel"),
                    rs.getString("outcome"), rs.getInt("attempts"), rs.getString("detail"), instant(rs, "delivered_at")));
        });
        Map<String, DisclosureView> ordered = new LinkedHashMap<>();
        rows.forEach(row -> ordered.put(row.disclosureId(), row));
        return ordered.values().stream().map(row -> row.withDeliveries(deliveries.getOrDefault(row.disclosureId(), List.of()))).toList();
    }

    private static DisclosureView map(ResultSet rs) throws SQLException {
        return new DisclosureView(rs.getString("disclosure_id"), rs.getString("upn"), rs.getString("recipient_id"), rs.getString("outcome"),
                textArray(rs, "fields_disclosed"), rs.getString("reason"), textArray(rs, "objection_ids"), rs.getString("legal_basis"),
                rs.getString("policy_id"), rs.getString("policy_version"), rs.getString("policy_content_hash"), rs.getString("return_id"),
                instant(rs, "decided_at"), rs.getObject("age_measured_on", LocalDate.class), rs.getObject("delete_by", LocalDate.class),
                rs.getBoolean("pseudonymised"), rs.getString("pupil_pseudonym"), rs.getObject("pseudonym_key_version", Integer.class), instant(rs, "recorded_at"), textArray(rs, "relates_to"),
                rs.getObject("retain_until", LocalDate.class), List.of(),
                rs.getString("request_id") == null ? null : new CaseRequest(rs.getString("request_id"), rs.getString("case_reference"),
                        rs.getString("request_purpose"), rs.getString("requested_by"), textArray(rs, "approved_by")),
                null, null);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static List<String> textArray(ResultSet rs, String column) throws SQLException {
        java.sql.Array array = rs.getArray(column);
        return array == null ? List.of() : java.util.Arrays.stream((Object[]) array.getArray()).map(String.class::cast).toList();
    }
}
