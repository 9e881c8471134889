package org.pupilflow.audit.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from the binaries in a Maven Central jar, for the tests only (the
 * local run starts its own, durable one: {@code local-run}'s {@code LocalPostgres}). Its data
 * outlives a stop, so it can be stopped and started again on the same directory and port (as a
 * database outage and recovery would). A blank data directory means a temporary one, removed on
 * {@link #close()}.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final String DATABASE = "postgres";
    private static final String OWNER = "postgres";

    private final Path dataDirectory;
    private final boolean temporary;
    private final int port;
    private volatile EmbeddedPostgres server;

    private EmbeddedPostgresServer(Path dataDirectory, boolean temporary, int port) {
        this.dataDirectory = dataDirectory;
        this.temporary = temporary;
        this.port = port;
    }

    /** Starts a server on {@code dataDir} (created and initialised if empty; blank: temporary) and {@code port} (0: any free port). */
    public static EmbeddedPostgresServer start(String dataDir, int port) {
        try {
            boolean temporary = dataDir == null || dataDir.isBlank();
            Path directory = temporary ? Files.createTempDirectory("pupilflow-audit-pg") : Path.of(dataDir).toAbsolutePath().normalize();
            Files.createDirectories(directory);
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(directory, temporary, port == 0 ? freePort() : port);
            server.startServer();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL server: " + e.getMessage(), e);
        }
    }

    private void startServer() throws IOException {
        this.server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
        log.info("Embedded PostgreSQL listening on 127.0.0.1:{}, data in {} (psql -h 127.0.0.1 -p {} -U postgres)", port, dataDirectory, port);
    }

    /** Stops the server, keeping its data: connections fail until {@link #restart()}. */
    public synchronized void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on the same data directory and port. */
    public synchronized void restart() {
        try {
            startServer();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot restart the embedded PostgreSQL server: " + e.getMessage(), e);
        }
    }

    /** Creates the application's login role if it does not exist (local trust authentication: no password). */
    public void ensureRole(String role) {
        try (Connection connection = ownerDataSource().getConnection(); Statement statement = connection.createStatement()) {
            String quoted = '"' + role.replace("\"", "\"\"") + '"';
            String literal = "'" + role.replace("'", "''") + "'";
            statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = " + literal + ") THEN CREATE ROLE "
                    + quoted + " LOGIN; END IF; END $$");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create role " + role + " in the embedded PostgreSQL server: " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    /** The superuser: owns the schema and runs migrations; tests use it to tamper with the trail. */
    public DataSource ownerDataSource() {
        return server.getDatabase(OWNER, DATABASE);
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public synchronized void close() throws IOException {
        server.close();
        if (temporary) {
            try (Stream<Path> files = Files.walk(dataDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
