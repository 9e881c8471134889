package org.pupilflow.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.infra.Blackhole;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.decide.Pseudonymiser;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.policy.load.PolicyLoader;

/** JMH: the pure decision function on generated pupils with the Norfolk policy; one operation = one pupil. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PolicyEngineBenchmark {

    @Param("../policies/norfolk.yaml")
    public String policyFile;

    private SharingEngine engine;
    private List<CensusPupil> pupils;
    private List<List<Objection>> objections;
    private int next;
    private final Instant decidedAt = Instant.parse("2026-02-01T10:00:00Z");

    @Setup
    public void setUp() {
        SharingPolicy policy = new PolicyLoader().load(Path.of(policyFile));
        engine = new SharingEngine(policy, new Pseudonymiser(Workload.KEY.getBytes(StandardCharsets.UTF_8)));
        CensusSpec spec = CensusSpec.of(20_000).withSeed(17);
        pupils = new SyntheticCensus(spec).stream().toList();
        List<Objection> all = Workload.objections(spec, policy);
        objections = new ArrayList<>();
        for (CensusPupil pupil : pupils) {
            objections.add(all.stream().filter(o -> o.getUpn().equals(pupil.getIdentity().getUpn())).toList());
        }
    }

    @Benchmark
    public void decide(Blackhole blackhole) {
        int i = next++ % pupils.size();
        blackhole.consume(engine.evaluate(pupils.get(i), objections.get(i), decidedAt));
    }

    /** @return decisions per second and pupils per second, on one thread */
    static double[] run(Path repository, boolean quick) throws Exception {
        Options options = new OptionsBuilder()
                .include(PolicyEngineBenchmark.class.getName())
                .param("policyFile", repository.resolve("policies/norfolk.yaml").toString())
                .forks(1).threads(1)
                .warmupIterations(quick ? 1 : 2).warmupTime(TimeValue.seconds(quick ? 2 : 3))
                .measurementIterations(quick ? 2 : 3).measurementTime(TimeValue.seconds(quick ? 2 : 4))
                .jvmArgsAppend("-Xmx1g")
                .build();
        RunResult result = new Runner(options).runSingle();
        double pupilsPerSecond = result.getPrimaryResult().getScore();
        // Decisions per pupil for this policy and census, from the same engine.
        PolicyEngineBenchmark sample = new PolicyEngineBenchmark();
        sample.policyFile = repository.resolve("policies/norfolk.yaml").toString();
        sample.setUp();
        long decisions = 0;
        for (int i = 0; i < sample.pupils.size(); i++) {
            decisions += sample.engine.evaluate(sample.pupils.get(i), sample.objections.get(i), sample.decidedAt).decisions().size();
        }
        return new double[] {pupilsPerSecond * decisions / sample.pupils.size(), pupilsPerSecond};
    }
}
