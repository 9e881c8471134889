package org.pupilflow.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.decide.Pseudonymiser;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.pupilflow.schemas.kafka.AvroSingleObjectSerializer;

/**
 * JMH, one fork, one thread, the time of each operation sampled: the pure decision function on generated pupils with
 * the Norfolk policy and 2% objections ({@code decide}: one operation = one pupil, every recipient), and the Avro
 * decode of the same pupils' census records as the router reads them ({@code decode}: one record). Both in the
 * same run, in consecutive forks, so their ratio is what the machine's noise leaves alone. The ratio is of the <b>median</b> operation
 * times: on a shared machine (load 20 on 2 cores while other builds ran) the mean of a microsecond operation is
 * mostly the time the thread was descheduled (means 4-50 us against medians of 1.2-3.8 us in the same runs), while
 * the medians of eight runs stayed within 5% for the decode. The means stay beside it as information.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PolicyEngineBenchmark {

    @Param("../policies/norfolk.yaml")
    public String policyFile;

    private SharingEngine engine;
    private AvroSingleObjectDeserializer<CensusPupil> census;
    private List<CensusPupil> pupils;
    private List<byte[]> encoded;
    private List<List<Objection>> objections;
    private int next;
    private final Instant decidedAt = Instant.parse("2026-02-01T10:00:00Z");

    @Setup
    public void setUp() {
        SharingPolicy policy = new PolicyLoader().load(Path.of(policyFile));
        engine = new SharingEngine(policy, new Pseudonymiser(Workload.KEY.getBytes(StandardCharsets.UTF_8)));
        census = new AvroSingleObjectDeserializer<>(CensusPupil.class);
        CensusSpec spec = CensusSpec.of(20_000).withSeed(17);
        pupils = new SyntheticCensus(spec).stream().toList();
        AvroSingleObjectSerializer<CensusPupil> serializer = new AvroSingleObjectSerializer<>(CensusPupil.class);
        encoded = pupils.stream().map(pupil -> serializer.serialize("census", pupil)).toList();
        Map<String, List<Objection>> byUpn = new HashMap<>();
        for (Objection objection : Workload.objections(spec, policy)) {
            byUpn.computeIfAbsent(objection.getUpn(), upn -> new ArrayList<>()).add(objection);
        }
        objections = pupils.stream().map(pupil -> byUpn.getOrDefault(pupil.getIdentity().getUpn(), List.of())).toList();
    }

    @Benchmark
    public void decide(Blackhole blackhole) {
        int i = next++ % pupils.size();
        blackhole.consume(engine.evaluate(pupils.get(i), objections.get(i), decidedAt));
    }

    @Benchmark
    public void decode(Blackhole blackhole) {
        int i = next++ % pupils.size();
        blackhole.consume(census.deserialize("census", encoded.get(i)));
    }

    /** Median (and mean) microseconds of the JMH runs, in run order (each run: a fork for decide, then one for decode). */
    record Result(double[] engineMicros, double[] decodeMicros, double[] engineMeanMicros, double[] decodeMeanMicros, double decisionsPerPupil) {
        double[] ratios() {
            double[] ratios = new double[engineMicros.length];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = engineMicros[i] / decodeMicros[i];
            }
            return ratios;
        }

        double[] decisionsPerSecond() {
            double[] perSecond = new double[engineMicros.length];
            for (int i = 0; i < perSecond.length; i++) {
                perSecond[i] = 1e6 / engineMicros[i] * decisionsPerPupil;
            }
            return perSecond;
        }
    }

    /**
     * {@code runs} JMH runs one after the other (A B, A B, ...), each a fresh fork for the engine and then one for the
     * decode, so every ratio is of two figures measured seconds apart.
     *
     * @param profileDir where to write a JFR profile of the forked JVMs, or null
     */
    static Result run(Path repository, boolean quick, Path profileDir, int runs) throws Exception {
        System.out.printf("==> 7. Policy engine and Avro decode (JMH, %d runs, engine and decode in consecutive forks, 1 thread)%n", runs);
        double[] decide = new double[runs];
        double[] decode = new double[runs];
        List<double[]> means = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            decide[run] = Double.NaN;
            decode[run] = Double.NaN;
            double decideMean = Double.NaN;
            double decodeMean = Double.NaN;
            // JMH forks a JVM per benchmark: the engine's fork, then the decode's, a few seconds apart; one JFR file each.
            for (String benchmark : List.of("decide", "decode")) {
                ChainedOptionsBuilder options = new OptionsBuilder()
                        .include(PolicyEngineBenchmark.class.getName() + "\\." + benchmark + "$")
                        .param("policyFile", repository.resolve("policies/norfolk.yaml").toString())
                        .forks(1).threads(1)
                        .warmupIterations(quick ? 2 : 3).warmupTime(TimeValue.seconds(2))
                        .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.seconds(quick ? 2 : 3))
                        .jvmArgsAppend("-Xmx1g");
                if (profileDir != null) {
                    options.jvmArgsAppend("-XX:StartFlightRecording=filename=" + profileDir.resolve("jmh-" + run + "-" + benchmark + ".jfr") + ",settings="
                            + System.getProperty("bench.jfc", "profile") + ",dumponexit=true");
                }
                for (RunResult result : new Runner(options.build()).run()) {
                    double median = result.getPrimaryResult().getStatistics().getPercentile(50) / 1_000;
                    double mean = result.getPrimaryResult().getScore() / 1_000;
                    if (benchmark.equals("decide")) {
                        decide[run] = median;
                        decideMean = mean;
                    } else {
                        decode[run] = median;
                        decodeMean = mean;
                    }
                }
            }
            if (Double.isNaN(decide[run]) || Double.isNaN(decode[run])) {
                throw new IllegalStateException("a JMH fork gave no result (its output is above)");
            }
            means.add(new double[] {decideMean, decodeMean});
            System.out.printf("    run %d: engine median %.2f us/pupil (mean %.2f), decode median %.2f us/record (mean %.2f): %.2f%n", run + 1,
                    decide[run], decideMean, decode[run], decodeMean, decide[run] / decode[run]);
        }
        // Decisions per pupil for this policy and census, from the same engine.
        PolicyEngineBenchmark sample = new PolicyEngineBenchmark();
        sample.policyFile = repository.resolve("policies/norfolk.yaml").toString();
        sample.setUp();
        long decisions = 0;
        for (int i = 0; i < sample.pupils.size(); i++) {
            decisions += sample.engine.evaluate(sample.pupils.get(i), sample.objections.get(i), sample.decidedAt).decisions().size();
        }
        return new Result(decide, decode, means.stream().mapToDouble(m -> m[0]).toArray(), means.stream().mapToDouble(m -> m[1]).toArray(),
                (double) decisions / sample.pupils.size());
    }
}
