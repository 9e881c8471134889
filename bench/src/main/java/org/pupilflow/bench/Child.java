package org.pupilflow.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.pupilflow.broker.JavaProcesses;
import org.pupilflow.broker.StandaloneKafka;

/**
 * A JVM the benchmark starts: a service's Spring Boot jar or a main class of this module, each with the same
 * kind of command line ({@code -Xmx}, extra JVM options such as a GC log or a flight recording), logging to a
 * file. Every system under test runs in its own fresh JVM, so neither side of a comparison inherits the other's
 * JIT-compiled code or heap, and the benchmark's own JVM only drives and measures.
 */
final class Child implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Path log;
    private final int port;
    private long startedNanos;
    private Process process;

    private Child(String name, List<String> command, Path log, int port) {
        this.name = name;
        this.command = command;
        this.log = log;
        this.port = port;
    }

    /** A service jar with {@code --server.port=port} and {@code arguments}. */
    static Child service(String name, Path jar, int port, Path logDir, String heap, List<String> jvmOptions, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(JavaProcesses.java(), "-Xmx" + heap));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
        command.addAll(arguments);
        return new Child(name, command, logDir.resolve(name + ".log"), port);
    }

    /** A main class of the benchmark module, on the benchmark's own class path. */
    static Child main(String name, Class<?> mainClass, Path logDir, String heap, List<String> jvmOptions, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(JavaProcesses.java(), "-Xmx" + heap));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(arguments);
        return new Child(name, command, logDir.resolve(name + ".log"), -1);
    }

    Child start() throws IOException {
        if (port > 0 && StandaloneKafka.isListening(port)) {
            throw new IllegalStateException("Port " + port + " for " + name + " is already in use");
        }
        Files.createDirectories(log.getParent());
        startedNanos = System.nanoTime();
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return this;
    }

    /** When the JVM was launched ({@link System#nanoTime()}). */
    long startedNanos() {
        return startedNanos;
    }

    Child awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            checkAlive();
            try {
                HttpResponse<String> readiness = http.send(HttpRequest.newBuilder(URI.create(url("/actuator/health/readiness")))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (readiness.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log);
    }

    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        JavaProcesses.stop(process, Duration.ofSeconds(30));
    }
}
