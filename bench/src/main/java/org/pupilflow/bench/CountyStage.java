package org.pupilflow.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.admin.Admin;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.fixtures.ctf.CtfXmlWriter;
import org.pupilflow.local.LocalPostgres;
import org.pupilflow.security.LocalDevTokens;

/**
 * A county-sized return (Kent's size, 280,000 pupils) from the first byte uploaded to census-ingest, through the
 * router, to the last audit row committed in a durable database and the chain verified ({@code GET /audit/verify}),
 * with all three services running; then each stage alone on the same data (the same file; the census topic and
 * the audit topic that run filled), each from its first output to its last. The end-to-end time over the slowest
 * stage alone says how well the stages overlap: 1.0 would be perfect overlap, the sum of the stages no overlap.
 */
final class CountyStage {

    private final BenchMain bench;
    private final Workload workload;

    CountyStage(BenchMain bench, Workload workload) {
        this.bench = bench;
        this.workload = workload;
    }

    /** Repetitions of the whole comparison (end to end, then each stage alone); {@code -Dbench.county.runs}, else {@code bench.pairs}. */
    private static final int RUNS = Integer.getInteger("bench.county.runs", Integer.getInteger("bench.pairs", 3));

    void endToEnd() throws Exception {
        int pupils = bench.quick ? 30_000 : 280_000;
        CensusSpec spec = CensusSpec.of(pupils).withSeed(280);
        long events = workload.fanout(spec, List.of()).decisions();
        Path file = bench.work.resolve("county-" + pupils + ".xml");
        try (var out = Files.newOutputStream(file)) {
            new CtfXmlWriter(out, spec, spec.censusDay().atTime(9, 0)).writeAll(new SyntheticCensus(spec));
        }
        System.out.printf("==> 8. County-sized return: %,d pupils (%,d MB CTF, %,d audit events) upload -> router -> durable audit, chain verified; "
                + "%d runs, each end to end then every stage alone%n", pupils, Files.size(file) / 1_000_000, events, RUNS);
        double[] ratio = new double[RUNS];
        double[][] figures = new double[RUNS][];
        try (LocalPostgres postgres = LocalPostgres.start(bench.work.resolve("county-postgres"), bench.port())) {
            for (int i = 0; i < RUNS; i++) {
                figures[i] = once(postgres, file, pupils, events, i);
                ratio[i] = figures[i][0] / Math.max(figures[i][4], Math.max(figures[i][5], figures[i][6]));
                System.out.printf("    run %d: end to end %.1f s (upload answered %.1f s, routed %.1f s, audited %.1f s); alone: ingest %.1f s, router %.1f s, "
                        + "audit + verification %.1f s: %.2f%n", i + 1, figures[i][0], figures[i][1], figures[i][2], figures[i][3], figures[i][4],
                        figures[i][5], figures[i][6], ratio[i]);
            }
        } finally {
            Files.deleteIfExists(file);
        }
        bench.table.ratio("County return (" + Table.fmt(pupils) + " pupils) end to end / slowest stage alone", ratio, Table.Target.atMost(1.5),
                String.format(Locale.UK, "end to end %s (upload answered %s, routed %s, audited %s; then verified); alone: ingest %s, router %s, audit + verify %s",
                        seconds(figures, 0), seconds(figures, 1), seconds(figures, 2), seconds(figures, 3), seconds(figures, 4), seconds(figures, 5),
                        seconds(figures, 6)));
    }

    /** Median (min - max) seconds of one figure over the runs. */
    private static String seconds(double[][] figures, int index) {
        double[] values = java.util.Arrays.stream(figures).mapToDouble(run -> run[index]).toArray();
        return values.length == 1 ? String.format(Locale.UK, "%.1f s", values[0])
                : String.format(Locale.UK, "%.1f s (%.1f - %.1f)", Table.median(values), Table.min(values), Table.max(values));
    }

    /**
     * One run on topics and databases of its own: {end to end, upload answered, routed, audited, ingest alone, router
     * alone, audit and verification alone}, in seconds.
     */
    private double[] once(LocalPostgres postgres, Path file, int pupils, long events, int index) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String census = "bench.county.census." + run;
        String objections = "bench.county.objections." + run;
        String audit = "bench.county.audit." + run;
        for (String topic : List.of(census, objections, audit)) {
            bench.createTopic(topic, 6);
        }
        String e2eDatabase = "county_e2e_" + index;
        String aloneDatabase = "county_audit_alone_" + index;
        for (String database : List.of(e2eDatabase, aloneDatabase)) {
            try (Connection owner = postgres.ownerDataSource().getConnection(); Statement statement = owner.createStatement()) {
                statement.execute("CREATE DATABASE " + database);
            }
        }
        String url = "jdbc:postgresql://localhost:" + postgres.port() + "/";
        String suffix = "-" + index;

        // End to end, the three services started and ready first.
        double endToEnd;
        double uploaded;
        double routed;
        double persisted;
        try (Child ingest = bench.ingest("county-ingest" + suffix, census, "bench.county.returns." + run);
             Child router = bench.router("county-router" + suffix, "bench-county-router-" + run, census, objections, audit);
             Child auditService = bench.audit("county-audit" + suffix, url + e2eDatabase, audit);
             Admin admin = bench.admin()) {
            ingest.awaitReady(Duration.ofMinutes(3));
            router.awaitReady(Duration.ofMinutes(3));
            auditService.awaitReady(Duration.ofMinutes(3));
            long start = System.nanoTime();
            CompletableFuture<Double> upload = CompletableFuture.supplyAsync(() -> {
                try {
                    return IngestStage.upload(ingest, file, null).seconds();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long routedAt = 0;
            long persistedAt = 0;
            long deadline = start + Duration.ofMinutes(30).toNanos();
            while (persistedAt == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("county return not audited within 30 minutes");
                }
                if (upload.isCompletedExceptionally()) {
                    upload.join();
                }
                router.checkAlive();
                auditService.checkAlive();
                if (routedAt == 0 && BenchMain.committed(admin, "bench-county-router-" + run) >= pupils) {
                    routedAt = System.nanoTime();
                }
                if (Prometheus.sum(auditService.url(""), "pupilflow_audit_events_persisted_total", "ledger=\"disclosure\"") >= events) {
                    persistedAt = System.nanoTime();
                }
                Thread.sleep(100);
            }
            uploaded = upload.join();
            routed = ((routedAt == 0 ? persistedAt : routedAt) - start) / 1e9;
            persisted = (persistedAt - start) / 1e9;
            verify(auditService);
            endToEnd = (System.nanoTime() - start) / 1e9;
        }

        // Each stage alone, on the same data.
        double ingestAlone;
        bench.createTopic(census + ".alone", 6);
        try (Child ingest = bench.ingest("county-ingest-alone" + suffix, census + ".alone", "bench.county.returns.alone." + run)) {
            ingest.awaitReady(Duration.ofMinutes(3));
            ingestAlone = IngestStage.upload(ingest, file, null).seconds();
        }
        double routerAlone;
        String routerId = "bench-county-router-alone-" + run;
        try (Child router = bench.router("county-router-alone" + suffix, routerId, census, objections, audit + ".alone"); Admin admin = bench.admin()) {
            Progress progress = Progress.watch(() -> BenchMain.committed(admin, routerId), pupils, Duration.ofMillis(100), Duration.ofMinutes(20),
                    router::checkAlive);
            routerAlone = progress.secondsToEnd(router.startedNanos()) - progress.secondsToFirst(router.startedNanos());
        }
        double auditAlone;
        try (Child auditService = bench.audit("county-audit-alone" + suffix, url + aloneDatabase, audit)) {
            Progress progress = Progress.watch(() -> Prometheus.sum(auditService.url(""), "pupilflow_audit_events_persisted_total", "ledger=\"disclosure\""),
                    events, Duration.ofMillis(100), Duration.ofMinutes(20), auditService::checkAlive);
            long verifyStart = System.nanoTime();
            verify(auditService);
            auditAlone = progress.secondsToEnd(auditService.startedNanos()) - progress.secondsToFirst(auditService.startedNanos())
                    + (System.nanoTime() - verifyStart) / 1e9;
        }
        return new double[] {endToEnd, uploaded, routed, persisted, ingestAlone, routerAlone, auditAlone};
    }

    private static void verify(Child audit) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(audit.url("/audit/verify")))
                .header("Authorization", "Bearer " + LocalDevTokens.mint(BenchMain.JWT_SECRET, "bench", "audit:verify"))
                .timeout(Duration.ofMinutes(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().contains("\"status\":\"INTACT\"")) {
            throw new IllegalStateException("verification answered " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(500, response.body().length())));
        }
    }
}
