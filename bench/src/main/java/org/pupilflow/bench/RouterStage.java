package org.pupilflow.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.schemas.kafka.AvroSingleObjectSerializer;

/**
 * The router against an exactly-once pass-through with its fan-out, on the same pre-loaded census topic, each in a
 * fresh JVM, interleaved; and census-to-recipient latency at a steady 1,000 pupils/s.
 */
final class RouterStage {

    private static final int PAIRS = Integer.getInteger("bench.pairs", 3);

    /** Steady-state router figures of the interleaved runs, in run order. */
    record Result(double[] pupilsPerSecond, double decisionsPerPupil) {
        double[] decisionsPerSecond() {
            double[] decisions = new double[pupilsPerSecond.length];
            for (int i = 0; i < decisions.length; i++) {
                decisions[i] = pupilsPerSecond[i] * decisionsPerPupil;
            }
            return decisions;
        }
    }

    private final BenchMain bench;
    private final Workload workload;

    RouterStage(BenchMain bench, Workload workload) {
        this.bench = bench;
        this.workload = workload;
    }

    // 2./3. Router / pass-through: same input topic, same size, steady state, interleaved pairs.
    Result throughput() throws Exception {
        int pupils = bench.quick ? 40_000 : 200_000;
        CensusSpec spec = CensusSpec.of(pupils).withSeed(3);
        String census = "bench.census";
        String objections = "bench.objections";
        bench.createTopic(census, 6);
        bench.createTopic(objections, 6);
        List<Objection> objectionList = Workload.objections(spec, bench.policy);
        Workload.Fanout fanout = workload.fanout(spec, objectionList);
        System.out.printf("==> 2./3. Router / pass-through: %,d pupils pre-loaded (2%% objections), %d interleaved pairs, each run a fresh JVM%n", pupils, PAIRS);
        workload.publishObjections(bench.kafka.bootstrapServers(), objections, objectionList);
        workload.publishCensus(bench.kafka.bootstrapServers(), census, spec, objectionList);
        bench.notes.add(String.format(Locale.UK, "Norfolk policy fan-out: %.2f output records per census record (%.2f decisions, each an audit event, "
                + "plus the recipient records), mean %d bytes each; the pass-through emits exactly these records (topic and size per census record).",
                fanout.outputsPerPupil(), fanout.decisionsPerPupil(), fanout.meanOutputBytes()));

        String[] passOutputs = new String[workload.outputTopics()];
        for (int i = 0; i < passOutputs.length; i++) {
            passOutputs[i] = "bench.pass.out" + i;
            bench.createTopic(passOutputs[i], 6);
        }
        // One pass-through run first, not measured: the broker's own JIT and page cache warm up on it, or the first pair's
        // pass-through (which goes first) would carry that and flatter the first ratio.
        runPassThrough("pass-through-warm-up", census, passOutputs, pupils);
        double[] pass = new double[PAIRS];
        double[] router = new double[PAIRS];
        double[] ratio = new double[PAIRS];
        double[] passFirst = new double[PAIRS];
        double[] routerFirst = new double[PAIRS];
        double[] heap = new double[PAIRS];
        for (int i = 0; i < PAIRS; i++) {
            double[] passRun = runPassThrough("pass-through-" + i, census, passOutputs, pupils);
            pass[i] = passRun[0];
            passFirst[i] = passRun[1];
            String routerId = "bench-router-" + i + "-" + UUID.randomUUID();
            try (Child child = bench.router("router-" + i, routerId, census, objections, null); Admin admin = bench.admin()) {
                HeapWatch heapWatch = new HeapWatch(child.url(""));
                Progress progress = Progress.watch(() -> BenchMain.committed(admin, routerId), pupils, Duration.ofMillis(100), Duration.ofMinutes(15), child::checkAlive);
                heapWatch.close();
                router[i] = progress.steadyRate(pupils);
                routerFirst[i] = progress.secondsToFirst(child.startedNanos());
                heap[i] = heapWatch.peakMb();
            }
            ratio[i] = router[i] / pass[i];
            System.out.printf("    pair %d: pass-through %,.0f pupils/s (first output after %.1f s), router %,.0f pupils/s (first output after %.1f s): %.2f%n",
                    i + 1, pass[i], passFirst[i], router[i], routerFirst[i], ratio[i]);
        }
        bench.table.info("2. EOS pass-through, " + Table.fmt(pupils) + " pupils, steady state (10%-90%)",
                Table.figures(pass, "pupils/s") + "; " + Table.fmt(Table.median(pass) * fanout.outputsPerPupil()) + " out rec/s; first output "
                        + secondsFigures(passFirst) + " after JVM start");
        bench.table.info("3. Router, " + Table.fmt(pupils) + " pupils, steady state (10%-90%)",
                Table.figures(router, "pupils/s") + "; " + Table.fmt(Table.median(router) * fanout.outputsPerPupil()) + " out rec/s; first output "
                        + secondsFigures(routerFirst) + " after JVM start; peak heap " + Table.figures(heap, "MB") + " (-Xmx512m)");
        bench.table.ratio("Router / EOS pass-through (same input, same fan-out, steady state)", ratio, Table.Target.atLeast(0.8), "");
        if (bench.ceilingRecordsPerSecond > 0) {
            bench.table.info("Router output / raw producer ceiling", String.format(Locale.UK, "%.2f", Table.median(router) * fanout.outputsPerPupil()
                    / bench.ceilingRecordsPerSecond));
        }
        return new Result(router, fanout.decisionsPerPupil());
    }

    /** One pass-through run in a fresh JVM over the whole census topic: {steady pupils/s, seconds to the first output}. */
    private double[] runPassThrough(String name, String census, String[] outputs, int pupils) throws Exception {
        String passId = "bench-" + name + "-" + UUID.randomUUID();
        List<String> args = new ArrayList<>(List.of(bench.kafka.bootstrapServers(), passId, census, bench.work.resolve("state").resolve(passId).toString(),
                Integer.toString(bench.routerStreamThreads()), Integer.toString(bench.routerCommitIntervalMs())));
        args.addAll(List.of(outputs));
        try (Child child = Child.main(name, PassThroughTopology.class, bench.logs, "512m", bench.jvmOptions(name), args).start();
             Admin admin = bench.admin()) {
            Progress progress = Progress.watch(() -> BenchMain.committed(admin, passId), pupils, Duration.ofMillis(100), Duration.ofMinutes(10), child::checkAlive);
            return new double[] {progress.steadyRate(pupils), progress.secondsToFirst(child.startedNanos())};
        }
    }

    private static String secondsFigures(double[] seconds) {
        return String.format(Locale.UK, "%.1f s (%.1f - %.1f)", Table.median(seconds), Table.min(seconds), Table.max(seconds));
    }

    // 4. Census -> recipient topic latency at a steady 1,000 pupils/s, after a warm-up.
    void latency() throws Exception {
        int seconds = bench.quick ? 30 : 60;
        int warmUpSeconds = 20;
        String census = "bench.census.latency";
        String objections = "bench.objections.latency";
        bench.createTopic(census, 6);
        bench.createTopic(objections, 6);
        String dfeTopic = bench.policy.recipients().stream().filter(recipient -> recipient.id().equals("dfe")).findFirst().map(RecipientRule::topic).orElseThrow();
        System.out.printf("==> 4. Latency: 1,000 pupils/s for %d s after %d s of warm-up, census publish -> %s (read_committed)%n", seconds, warmUpSeconds, dfeTopic);
        String returnId = "latency-" + UUID.randomUUID();
        List<long[]> latencies = new ArrayList<>();   // {timestamp, latency}
        String router = "router-latency";
        try (Child child = bench.router(router, "bench-router-latency-" + UUID.randomUUID(), census, objections, null);
             KafkaConsumer<String, byte[]> consumer = consumer(dfeTopic)) {
            child.awaitReady(Duration.ofMinutes(3));
            // Readiness is not routing: the stream thread may still be joining its group and creating its stores. The load
            // starts once a first pupil has come through end to end, so the warm-up is JIT and steady state, not start-up.
            CensusSpec probe = new CensusSpec(8, 20, "926", 2025, org.pupilflow.census.CensusTerm.SPRING, "latency-probe");
            long deadline = System.currentTimeMillis() + 120_000;
            boolean through = false;
            try (Workload.Publisher publisher = Workload.publisher(bench.kafka.bootstrapServers())) {
                AvroSingleObjectSerializer<CensusPupil> values = new AvroSingleObjectSerializer<>(CensusPupil.class);
                for (CensusPupil pupil : new SyntheticCensus(probe)) {
                    publisher.send(new ProducerRecord<>(census, null, System.currentTimeMillis(), pupil.getIdentity().getUpn(), values.serialize(census, pupil)));
                }
            }
            while (!through && System.currentTimeMillis() < deadline) {
                through = !consumer.poll(Duration.ofMillis(200)).isEmpty();
            }
            if (!through) {
                throw new IllegalStateException("the router routed nothing within two minutes; see " + child.log());
            }
            Thread producer = new Thread(() -> {
                AvroSingleObjectSerializer<CensusPupil> values = new AvroSingleObjectSerializer<>(CensusPupil.class);
                CensusSpec spec = new CensusSpec(9, (seconds + warmUpSeconds) * 1_000, "926", 2025, org.pupilflow.census.CensusTerm.SPRING, returnId);
                try (Workload.Publisher kafkaProducer = Workload.publisher(bench.kafka.bootstrapServers())) {
                    long start = System.nanoTime();
                    long i = 0;
                    for (CensusPupil pupil : new SyntheticCensus(spec)) {
                        long wait = start + i * 1_000_000L - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                        kafkaProducer.send(new ProducerRecord<>(census, null, System.currentTimeMillis(), pupil.getIdentity().getUpn(), values.serialize(census, pupil)));
                        i++;
                    }
                }
            });
            producer.start();
            long measureFrom = System.currentTimeMillis() + warmUpSeconds * 1_000L;
            long end = System.currentTimeMillis() + (seconds + warmUpSeconds) * 1_000L + 30_000;
            long received = 0;
            double[] before = null;
            java.util.TreeMap<Double, Double> ageBefore = null;
            while (received < (seconds + warmUpSeconds) * 1_000L && System.currentTimeMillis() < end) {
                if (before == null && System.currentTimeMillis() >= measureFrom) {
                    before = routerFigures(child);
                    ageBefore = Prometheus.buckets(child.url(""), "pupilflow_router_record_age_seconds");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    received++;
                    if (record.timestamp() >= measureFrom) {
                        latencies.add(new long[] {record.timestamp(), System.currentTimeMillis() - record.timestamp()});
                    }
                }
            }
            producer.join();
            double[] after = routerFigures(child);
            if (before != null) {
                double decided = after[1] - before[1];
                bench.notes.add(String.format(Locale.UK, "Latency, measured period: census record age at the routing decision %.0f ms mean, p99 <= %.0f ms "
                                + "(histogram bucket); %.0f%% of records waited for the objection-freshness barrier, %.0f ms mean when they did; "
                                + "GC pauses of the router (whole run) in %s.",
                        1000 * (after[0] - before[0]) / Math.max(1, decided),
                        1000 * Prometheus.quantile(ageBefore, Prometheus.buckets(child.url(""), "pupilflow_router_record_age_seconds"), 0.99),
                        100 * (after[3] - before[3]) / Math.max(1, decided), 1000 * (after[2] - before[2]) / Math.max(1, after[3] - before[3]),
                        bench.logs.resolve(router + "-gc.log")));
            }
        }
        if (latencies.isEmpty()) {
            bench.table.info("4. Latency at 1,000 pupils/s", "no records");
            return;
        }
        // p99 of each third of the measured period: how steady it was.
        long first = latencies.get(0)[0];
        long span = Math.max(1, latencies.get(latencies.size() - 1)[0] - first + 1);
        double[] windows = new double[3];
        for (int w = 0; w < 3; w++) {
            final int window = w;
            windows[w] = percentile(latencies.stream().filter(l -> (l[0] - first) * 3 / span == window).mapToLong(l -> l[1]).toArray(), 0.99);
        }
        long[] all = latencies.stream().mapToLong(l -> l[1]).toArray();
        double p99 = percentile(all, 0.99);
        // One long run (a p99 needs many records); its spread is that of the p99 over the three thirds of the measured period.
        bench.table.millis("4. p99 census -> recipient latency at 1,000 pupils/s (" + seconds + " s after " + warmUpSeconds + " s warm-up)",
                p99, windows, Table.Target.atMostMs(250), String.format(Locale.UK, "p50 %.0f ms, p99 %.0f ms, max %.0f ms over %s records; p99 per third %.0f / %.0f / %.0f ms",
                        percentile(all, 0.5), p99, percentile(all, 1.0), Table.fmt(all.length), windows[0], windows[1], windows[2]));
        bench.notes.add("Latency: " + gcSummary(bench.logs.resolve(router + "-gc.log")));
    }

    /** {record age sum (s), record age count, freshness wait sum (s), freshness wait count} of the router now. */
    private static double[] routerFigures(Child router) {
        String url = router.url("");
        return new double[] {
                Prometheus.sum(url, "pupilflow_router_record_age_seconds_sum", null),
                Prometheus.sum(url, "pupilflow_router_record_age_seconds_count", null),
                Prometheus.sum(url, "pupilflow_router_objection_freshness_wait_seconds_sum", null),
                Prometheus.sum(url, "pupilflow_router_objection_freshness_wait_seconds_count", null)};
    }

    /** Count, longest and total of the GC pauses in a -Xlog:gc log. */
    static String gcSummary(java.nio.file.Path gcLog) {
        try {
            java.util.regex.Matcher pause = java.util.regex.Pattern.compile("Pause.* ([0-9.]+)ms$").matcher("");
            long count = 0;
            double longest = 0;
            double total = 0;
            for (String line : java.nio.file.Files.readAllLines(gcLog)) {
                if (pause.reset(line).find()) {
                    double ms = Double.parseDouble(pause.group(1));
                    count++;
                    longest = Math.max(longest, ms);
                    total += ms;
                }
            }
            return String.format(Locale.UK, "router GC pauses over the whole run: %d, longest %.0f ms, %.0f ms in all", count, longest, total);
        } catch (java.io.IOException e) {
            return "no GC log (" + e.getMessage() + ")";
        }
    }

    private static double percentile(long[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }

    private KafkaConsumer<String, byte[]> consumer(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bench.kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
