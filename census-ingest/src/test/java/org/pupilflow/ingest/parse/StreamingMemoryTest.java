package org.pupilflow.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.fixtures.csv.CensusCsvWriter;
import org.pupilflow.fixtures.ctf.CtfXmlWriter;

/**
 * The readers hold one record at a time. 25,000 pupils are some 60 MB of CTF and far more as
 * objects (a few KB each), so reading them in a child JVM with a 48 MB heap fails with
 * OutOfMemoryError if either reader keeps records.
 */
class StreamingMemoryTest {

    private static final int PUPILS = 25_000;
    private static final String HEAP = "-Xmx48m";

    @TempDir
    Path dir;

    @Test
    void aLargeReturnIsReadInASmallHeap() throws Exception {
        CensusSpec spec = Fixtures.spec(PUPILS);
        Path ctf = dir.resolve("census.xml");
        Path csv = dir.resolve("census.csv");
        try (OutputStream out = Files.newOutputStream(ctf)) {
            new CtfXmlWriter(out, spec, spec.censusDay().atTime(9, 0)).writeAll(new SyntheticCensus(spec));
        }
        try (OutputStream out = Files.newOutputStream(csv)) {
            new CensusCsvWriter(out).writeAll(new SyntheticCensus(spec));
        }
        assertThat(Files.size(ctf)).as("the file must dwarf the heap for the test to mean anything").isGreaterThan(50L * 1024 * 1024);

        Path stdout = dir.resolve("child.out");
        Path stderr = dir.resolve("child.err");
        Process child = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                CountRecords.class.getName(),
                Fixtures.RETURN_ID, "ctf", ctf.toString(), "csv", csv.toString()))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        boolean finished = child.waitFor(2, TimeUnit.MINUTES);
        if (!finished) {
            child.destroyForcibly().waitFor();
        }
        String described = "exit " + (finished ? child.exitValue() : "(killed)") + "\n--- stdout ---\n" + read(stdout) + "\n--- stderr ---\n" + read(stderr);

        assertThat(finished).as(described).isTrue();
        assertThat(child.exitValue()).as(described).isZero();
        assertThat(read(stdout)).as(described)
                .contains("ctf records=" + PUPILS + " pupils=" + PUPILS + " issues=0")
                .contains("csv records=" + PUPILS + " pupils=" + PUPILS + " issues=0");
        int heap = Integer.parseInt(read(stdout).replaceAll("(?s).*maxHeapMiB=(\\d+).*", "$1"));
        assertThat(heap).as("the child really ran in the small heap").isLessThanOrEqualTo(48);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
