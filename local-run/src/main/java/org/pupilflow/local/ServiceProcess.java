package org.pupilflow.local;

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

import org.pupilflow.broker.StandaloneKafka;
import org.pupilflow.broker.JavaProcesses;

/** One PupilFlow service (a Spring Boot jar) as its own JVM, logging to a file, ready when its readiness probe says so. */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Path jar;
    private final int port;
    private final List<String> arguments;
    private final Path log;
    private final String heap;
    private Process process;

    public ServiceProcess(String name, Path jar, int port, Path logDir, String heap, List<String> arguments) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.arguments = List.copyOf(arguments);
        this.log = logDir.resolve(name + ".log");
        this.heap = heap;
    }

    public ServiceProcess start() throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException("No " + jar + ": build first (./mvnw -B -q install -DskipTests)");
        }
        if (StandaloneKafka.isListening(port)) {
            throw new IllegalStateException("Port " + port + " for " + name + " is already in use");
        }
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(JavaProcesses.java(), "-Xmx" + heap, "-jar", jar.toString(), "--server.port=" + port));
        command.addAll(arguments);
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return this;
    }

    public ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> readiness = http.send(HttpRequest.newBuilder(URI.create(url("/actuator/health/readiness")))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (readiness.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log);
    }

    /** A new, not yet started process for the same service (after a stop or a kill). */
    public ServiceProcess restarted() {
        return new ServiceProcess(name, jar, port, log.getParent(), heap, arguments);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** kill -9 (for crash tests). */
    public void kill() throws InterruptedException {
        JavaProcesses.kill(process);
    }

    @Override
    public void close() {
        JavaProcesses.stop(process, Duration.ofSeconds(30));
    }
}
