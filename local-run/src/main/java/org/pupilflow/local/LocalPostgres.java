package org.pupilflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The local run's PostgreSQL for audit-service: a real server from the binaries in a Maven Central
 * jar (no install, no Docker), its data kept between runs, started <em>durable</em> — the library
 * starts servers with {@code fsync} and {@code synchronous_commit} off unless told, which is fine
 * for a throw-away test database and wrong for an audit trail. audit-service itself never starts a
 * database (without {@code spring.datasource.url} it refuses to start): this class creates the
 * application's role and hands the service its URL, the role to connect as and the schema owner
 * that runs the migrations ({@link #auditServiceArguments}), as production configuration does.
 *
 * <p>Locally the server trusts connections from 127.0.0.1, so no passwords: it listens on loopback only.
 * {@code java -cp 'local-run/target/local-run-0.1.0-SNAPSHOT.jar:local-run/target/lib/*' org.pupilflow.local.LocalPostgres}
 * starts one on its own (for running audit-service by hand) and prints the arguments to pass.
 */
public final class LocalPostgres implements AutoCloseable {

    /** The superuser: owns the schema and runs Flyway. */
    public static final String OWNER = "postgres";
    /** The database the audit trail is kept in. */
    public static final String DATABASE = "postgres";
    /** audit-service's default {@code pupilflow.audit.database.app-role}: read and append only. */
    public static final String APP_ROLE = "pupilflow_audit_app";

    private final Path dataDirectory;
    private final int port;
    private final EmbeddedPostgres server;

    private LocalPostgres(Path dataDirectory, int port, EmbeddedPostgres server) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.server = server;
    }

    /**
     * Starts a durable server on {@code dataDir} (initialised when empty, reused otherwise) and {@code port} (0: any
     * free port), and creates the application role if it is missing.
     */
    public static LocalPostgres start(Path dataDir, int port) {
        try {
            Path directory = dataDir.toAbsolutePath().normalize();
            Files.createDirectories(directory);
            int chosen = port == 0 ? freePort() : port;
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setPort(chosen)
                    // Durable, as an audit trail must be: the library's defaults turn both off.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .start();
            LocalPostgres postgres = new LocalPostgres(directory, chosen, server);
            postgres.ensureRole(APP_ROLE);
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL for audit-service in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** Creates a login role if it does not exist (local trust authentication: no password). */
    public void ensureRole(String role) {
        try (Connection connection = ownerDataSource().getConnection(); Statement statement = connection.createStatement()) {
            String quoted = '"' + role.replace("\"", "\"\"") + '"';
            String literal = "'" + role.replace("'", "''") + "'";
            statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = " + literal + ") THEN CREATE ROLE "
                    + quoted + " LOGIN; END IF; END $$");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create role " + role + " in the local PostgreSQL server: " + e.getMessage(), e);
        }
    }

    /**
     * audit-service's database settings for this server, followed by {@code more}: the application role connects,
     * the superuser runs the migrations (which grant the role only read and append).
     */
    public List<String> auditServiceArguments(List<String> more) {
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.datasource.url=" + jdbcUrl(),
                "--spring.datasource.username=" + APP_ROLE,
                "--spring.flyway.user=" + OWNER));
        arguments.addAll(more);
        return arguments;
    }

    /** A server setting as the running server reports it ({@code SHOW fsync}). */
    public String setting(String name) {
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("Not a setting name: " + name);
        }
        try (Connection connection = ownerDataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SHOW " + name)) {
            result.next();
            return result.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("SHOW " + name + " failed: " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    /** The superuser (what a DBA, or a test that checks the trail, connects as). */
    public DataSource ownerDataSource() {
        return server.getDatabase(OWNER, DATABASE);
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server; its data stays for the next run. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Runs the local PostgreSQL on its own ({@code [data-dir] [port]}, default {@code ./local/audit-postgres 54329}) until Ctrl-C. */
    public static void main(String[] args) throws InterruptedException {
        Path dataDir = Path.of(args.length > 0 ? args[0] : "local/audit-postgres");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 54329;
        LocalPostgres postgres = start(dataDir, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            postgres.close();
            stopped.countDown();
        }));
        System.out.println("PostgreSQL for audit-service on 127.0.0.1:" + port + " (fsync " + postgres.setting("fsync") + ", synchronous_commit "
                + postgres.setting("synchronous_commit") + "), data in " + postgres.dataDirectory() + "; psql -h 127.0.0.1 -p " + port + " -U " + OWNER);
        System.out.println("Start audit-service with: java -jar audit-service/target/audit-service-0.1.0-SNAPSHOT.jar --spring.profiles.active=local-dev "
                + String.join(" ", postgres.auditServiceArguments(List.of())));
        System.out.println("Ctrl-C stops it.");
        stopped.await();
    }
}
