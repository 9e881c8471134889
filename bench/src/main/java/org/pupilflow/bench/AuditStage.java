package org.pupilflow.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.postgresql.PGConnection;
import org.pupilflow.local.LocalPostgres;
import org.pupilflow.schemas.kafka.AvroSingleObjectSerializer;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;

/**
 * audit-service persisting disclosure events with the hash chain into a durable PostgreSQL (fsync and
 * synchronous_commit on: {@link LocalPostgres}, the local run's server), against a raw {@code COPY} of the very
 * rows it stored into a table of the same definition (columns, constraints and indexes) in the same database;
 * interleaved pairs, each pair in a fresh database. Also compared with the router's decisions per second of the
 * same run (each decision is one audit event). The non-durable figure (the library's test defaults) is measured
 * once, beside it, labelled.
 */
final class AuditStage {

    private static final int PAIRS = Integer.getInteger("bench.pairs", 3);

    private final BenchMain bench;

    AuditStage(BenchMain bench) {
        this.bench = bench;
    }

    void auditVersusCopy(RouterStage.Result router) throws Exception {
        int events = bench.quick ? 60_000 : 300_000;
        String topic = "bench.audit.disclosures";
        bench.createTopic(topic, 6);
        System.out.printf("==> 6. Audit: %,d disclosure events into durable PostgreSQL with the hash chain, against raw COPY of the same rows, %d pairs%n",
                events, PAIRS);
        publish(topic, events);
        double[] audit = new double[PAIRS];
        double[] copy = new double[PAIRS];
        double[] ratio = new double[PAIRS];
        double[] first = new double[PAIRS];
        String durability;
        try (LocalPostgres postgres = LocalPostgres.start(bench.work.resolve("audit-postgres"), bench.port())) {
            durability = "fsync " + postgres.setting("fsync") + ", synchronous_commit " + postgres.setting("synchronous_commit");
            // The target is about a durable database: a figure measured on anything else must not be reported as one.
            if (!postgres.setting("fsync").equals("on") || !postgres.setting("synchronous_commit").equals("on")) {
                throw new IllegalStateException("the audit benchmark's database is not durable (" + durability + ")");
            }
            for (int i = 0; i < PAIRS; i++) {
                String database = "bench_audit_" + i;
                execute(postgres.ownerDataSource().getConnection(), "CREATE DATABASE " + database);
                String url = "jdbc:postgresql://localhost:" + postgres.port() + "/" + database;
                double[] run = persist("audit-" + i, url, topic, events);
                audit[i] = run[0];
                first[i] = run[1];
                copy[i] = rawCopy(url, events);
                ratio[i] = audit[i] / copy[i];
                System.out.printf("    pair %d: audit-service %,.0f events/s (first row after %.1f s), raw COPY %,.0f rows/s: %.2f%n",
                        i + 1, audit[i], first[i], copy[i], ratio[i]);
            }
        }
        bench.table.info("6. Audit-service, " + Table.fmt(events) + " events, hash chain, durable DB (" + durability + "), steady state",
                Table.figures(audit, "events/s") + String.format(Locale.UK, "; first row %.1f s after JVM start", Table.median(first)));
        bench.table.info("6. Raw COPY of the same rows into the same durable DB (same table definition)", Table.figures(copy, "rows/s"));
        bench.table.ratio("Audit events/s / raw COPY of the same rows (durable)", ratio, Table.Target.atLeast(0.5), "");
        if (router != null) {
            double[] decisions = router.decisionsPerSecond();
            double[] keepsUp = new double[Math.min(decisions.length, audit.length)];
            for (int i = 0; i < keepsUp.length; i++) {
                keepsUp[i] = audit[i] / decisions[i];
            }
            bench.table.ratio("Audit events/s (durable) / router decisions/s (run i with run i)", keepsUp, Table.Target.atLeast(1.0),
                    "router " + Table.figures(decisions, "decisions/s"));
        }
        nonDurable(topic, events);
    }

    /** One run without durability (the embedded library's defaults: fsync off, synchronous_commit off), for comparison only. */
    private void nonDurable(String topic, int events) throws Exception {
        Path data = bench.work.resolve("audit-postgres-not-durable");
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true).setPort(bench.port()).start()) {
            String settings;
            try (Connection owner = server.getPostgresDatabase().getConnection(); Statement statement = owner.createStatement()) {
                statement.execute("CREATE ROLE " + LocalPostgres.APP_ROLE + " LOGIN");
                settings = "fsync " + show(statement, "fsync") + ", synchronous_commit " + show(statement, "synchronous_commit");
            }
            double[] run = persist("audit-not-durable", "jdbc:postgresql://localhost:" + server.getPort() + "/postgres", topic, events);
            bench.table.info("6. Audit-service, same events, NOT durable (" + settings + "; information only)", Table.fmt(run[0]) + " events/s");
        }
    }

    /** Runs audit-service on {@code topic} until it has persisted {@code events}; {steady events/s, seconds to the first row}. */
    private double[] persist(String name, String url, String topic, int events) throws Exception {
        try (Child audit = bench.audit(name, url, topic)) {
            Progress progress = Progress.watch(() -> Prometheus.sum(audit.url(""), "pupilflow_audit_events_persisted_total", "ledger=\"disclosure\""),
                    events, Duration.ofMillis(200), Duration.ofMinutes(20), audit::checkAlive);
            return new double[] {progress.steadyRate(events), progress.secondsToFirst(audit.startedNanos())};
        }
    }

    /** Copies the rows audit-service stored out, then times a COPY of them into a table of the same definition; rows/s. */
    private double rawCopy(String url, int events) throws Exception {
        Path rows = bench.work.resolve("audit-rows-" + UUID.randomUUID() + ".copy");
        try (Connection owner = DriverManager.getConnection(url, LocalPostgres.OWNER, "")) {
            try (Statement statement = owner.createStatement()) {
                statement.execute("CREATE TABLE raw_copy (LIKE disclosure INCLUDING ALL)");
            }
            try (OutputStream out = Files.newOutputStream(rows)) {
                owner.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY disclosure TO STDOUT (FORMAT binary)", out);
            }
            long start = System.nanoTime();
            long copied;
            try (InputStream in = Files.newInputStream(rows)) {
                // Autocommit: the COPY is its own transaction and returns once committed (synchronous_commit on: flushed).
                copied = owner.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY raw_copy FROM STDIN (FORMAT binary)", in, 1 << 16);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (copied != events) {
                throw new IllegalStateException("copied " + copied + " rows, expected " + events);
            }
            return copied / seconds;
        } finally {
            Files.deleteIfExists(rows);
        }
    }

    private void publish(String topic, int events) {
        AvroSingleObjectSerializer<DisclosureEvent> values = new AvroSingleObjectSerializer<>(DisclosureEvent.class);
        try (Workload.Publisher producer = Workload.publisher(bench.kafka.bootstrapServers())) {
            Instant now = Instant.now();
            for (int i = 0; i < events; i++) {
                String upn = "P" + (100_000_000_000L + i / 3);
                DisclosureEvent event = DisclosureEvent.newBuilder().setDisclosureId(UUID.randomUUID().toString()).setUpn(upn)
                        .setRecipientId(i % 3 == 0 ? "dfe" : "youth-support").setOutcome(DisclosureOutcome.DISCLOSED)
                        .setFieldsDisclosed(List.of("identity", "names", "dateOfBirth", "address")).setReason("in cohort")
                        .setPolicyId("norfolk-census-sharing").setPolicyVersion("2026.1").setPolicyContentHash("0".repeat(64))
                        .setLegalBasis("Education Act 1996 s537A").setReturnId("bench-audit").setAgeMeasuredOn(LocalDate.of(2026, 1, 15))
                        .setDecidedAt(now).build();
                producer.send(new ProducerRecord<>(topic, upn, values.serialize(topic, event)));
            }
            producer.flush();
        }
    }

    private static void execute(Connection connection, String sql) throws Exception {
        try (connection; Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String show(Statement statement, String setting) throws Exception {
        try (ResultSet result = statement.executeQuery("SHOW " + setting)) {
            result.next();
            return result.getString(1);
        }
    }
}
