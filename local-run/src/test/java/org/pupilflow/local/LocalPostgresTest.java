package org.pupilflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local run's PostgreSQL for audit-service is durable, keeps its data, and hands the service its settings. */
class LocalPostgresTest {

    @TempDir
    Path data;

    @Test
    void theServerIsDurableKeepsItsDataAndHasTheApplicationRole() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start(data.resolve("audit-postgres"), 0)) {
            // The library's defaults are fsync off and synchronous_commit off: the audit trail must not lose a commit.
            assertThat(postgres.setting("fsync")).isEqualTo("on");
            assertThat(postgres.setting("synchronous_commit")).isEqualTo("on");
            assertThat(postgres.setting("full_page_writes")).isEqualTo("on");
            assertThat(postgres.setting("listen_addresses")).isIn("localhost", "127.0.0.1");

            try (Connection app = DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.APP_ROLE, "");
                 Statement statement = app.createStatement(); ResultSet who = statement.executeQuery("SELECT current_user, usesuper FROM pg_user WHERE usename = current_user")) {
                who.next();
                assertThat(who.getString(1)).isEqualTo("pupilflow_audit_app");
                assertThat(who.getBoolean(2)).as("the application role is not a superuser").isFalse();
            }
            try (Connection owner = postgres.ownerDataSource().getConnection(); Statement statement = owner.createStatement()) {
                statement.execute("CREATE TABLE kept (id int)");
                statement.execute("INSERT INTO kept VALUES (1)");
            }
            assertThat(postgres.auditServiceArguments(List.of("--more"))).containsExactly(
                    "--spring.datasource.url=jdbc:postgresql://localhost:" + postgres.port() + "/postgres",
                    "--spring.datasource.username=pupilflow_audit_app",
                    "--spring.flyway.user=postgres",
                    "--more");
        }
        try (LocalPostgres again = LocalPostgres.start(data.resolve("audit-postgres"), 0);
             Connection owner = again.ownerDataSource().getConnection(); Statement statement = owner.createStatement();
             ResultSet kept = statement.executeQuery("SELECT count(*) FROM kept")) {
            kept.next();
            assertThat(kept.getInt(1)).as("the data outlives a stop").isEqualTo(1);
            assertThat(again.setting("fsync")).isEqualTo("on");
        }
    }
}
