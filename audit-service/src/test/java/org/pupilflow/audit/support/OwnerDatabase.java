package org.pupilflow.audit.support;

import org.pupilflow.audit.database.EmbeddedPostgresServer;
import org.springframework.jdbc.core.JdbcTemplate;

/** The embedded server's superuser: what a tampering DBA could do, and exact counts for assertions. */
public final class OwnerDatabase {

    private final JdbcTemplate jdbc;

    public OwnerDatabase(EmbeddedPostgresServer server) {
        this.jdbc = new JdbcTemplate(server.ownerDataSource());
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    public long count(String sql, Object... args) {
        Long count = jdbc.queryForObject(sql, Long.class, args);
        return count == null ? 0 : count;
    }

    public long disclosuresOfReturn(String returnId) {
        return count("SELECT count(*) FROM disclosure WHERE return_id = ?", returnId);
    }

    /**
     * Rows whose predecessor in their chain is neither present nor covered by an erasure checkpoint:
     * 0 when every chain's sequence numbers are gapless.
     */
    public long gapsInChains(String table) {
        return count("SELECT count(*) FROM " + table + " d WHERE d.seq > 1"
                + " AND NOT EXISTS (SELECT 1 FROM " + table + " p WHERE p.chain_id = d.chain_id AND p.seq = d.seq - 1)"
                + " AND NOT EXISTS (SELECT 1 FROM chain_erasure e WHERE e.chain_id = d.chain_id AND d.seq - 1 BETWEEN e.first_seq AND e.last_seq)");
    }

    /** Runs {@code work} as superuser with the audit triggers switched off for this session only. */
    public void withoutTriggers(org.springframework.jdbc.core.ConnectionCallback<Void> work) {
        jdbc.execute((java.sql.Connection connection) -> {
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.execute("SET session_replication_role = replica");
            }
            work.doInConnection(connection);
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.execute("SET session_replication_role = DEFAULT");
            }
            return null;
        });
    }

    /** Runs statements as superuser with the audit triggers switched off for this session only. */
    public void tamper(String... statements) {
        jdbc.execute((java.sql.Connection connection) -> {
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.execute("SET session_replication_role = replica");
                for (String sql : statements) {
                    statement.execute(sql);
                }
                statement.execute("SET session_replication_role = DEFAULT");
            }
            return null;
        });
    }
}
