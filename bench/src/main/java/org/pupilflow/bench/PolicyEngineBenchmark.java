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
 * JMH, one fork, one thread, average time per operation: the pure decision function on generated pupils with the
 * Norfolk policy and 2% objections ({@code decide}: one operation = one pupil, every recipient), and the Avro
 * decode of the same pupils' census records as the router reads them ({@code decode}: one record). Both in the
 * same run, so their ratio is what the machine's noise leaves alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
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

    /**
     * @param profileDir where to write a JFR profile of the forked JVM, or null
     * @return engine microseconds per pupil, decode microseconds per record, decisions per second on one thread
     */
    static double[] run(Path repository, boolean quick, Path profileDir) throws Exception {
        System.out.println("==> 7. Policy engine and Avro decode (JMH, one fork, 1 thread, same run)");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(PolicyEngineBenchmark.class.getName() + "\\.(decide|decode)$")
                .param("policyFile", repository.resolve("policies/norfolk.yaml").toString())
                .forks(1).threads(1)
                .warmupIterations(quick ? 2 : 3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.seconds(quick ? 2 : 3))
                .jvmArgsAppend("-Xmx1g");
        if (profileDir != null) {
            options.jvmArgsAppend("-XX:StartFlightRecording=filename=" + profileDir.resolve("jmh.jfr") + ",settings=profile,dumponexit=true");
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        double decide = Double.NaN;
        double decode = Double.NaN;
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            double microseconds = result.getPrimaryResult().getScore() / 1_000;
            if (label.endsWith(".decide")) {
                decide = microseconds;
            } else if (label.endsWith(".decode")) {
                decode = microseconds;
            }
        }
        // Decisions per pupil for this policy and census, from the same engine.
        PolicyEngineBenchmark sample = new PolicyEngineBenchmark();
        sample.policyFile = repository.resolve("policies/norfolk.yaml").toString();
        sample.setUp();
        long decisions = 0;
        for (int i = 0; i < sample.pupils.size(); i++) {
            decisions += sample.engine.evaluate(sample.pupils.get(i), sample.objections.get(i), sample.decidedAt).decisions().size();
        }
        double pupilsPerSecond = 1e6 / decide;
        return new double[] {decide, decode, pupilsPerSecond * decisions / sample.pupils.size()};
    }
}
