package org.pupilflow.audit.query;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Records who read which pupil's audit trail, in the append-only {@code access_log} table. */
@Component
class AccessLog {

    private final JdbcTemplate jdbc;

    AccessLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void record(String requester, String endpoint, String upn, String query, int resultCount) {
        jdbc.update("INSERT INTO access_log (requester, endpoint, upn, query, result_count) VALUES (?, ?, ?, ?, ?)",
                requester, endpoint, upn, query, resultCount);
    }
}
