package org.pupilflow.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) run from the jars the
 * {@code kafka-broker} module copies from Maven Central, bound to 127.0.0.1, its data in a local
 * folder. Storage is formatted on first use; later starts reuse the data.
 */
public final class StandaloneKafka implements AutoCloseable {

    private final Path repository;
    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private Process process;

    public StandaloneKafka(Path repository, Path dataDir, int port, int controllerPort) {
        this.repository = repository;
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public StandaloneKafka start(Duration timeout) throws IOException, InterruptedException {
        if (isListening(port)) {
            throw new IllegalStateException("Port " + port + " is already in use: is another broker (or an earlier run) still up?");
        }
        Files.createDirectories(dataDir);
        Path logs = dataDir.resolve("logs");
        Path properties = dataDir.resolve("server.properties");
        Files.writeString(properties, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + logs.toAbsolutePath(),
                "num.partitions=6",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "") + "\n");
        if (!Files.exists(logs.resolve("meta.properties"))) {
            format(properties);
        }
        process = java("kafka.Kafka", properties.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("broker.log").toFile())).start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isListening(port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The Kafka broker exited with " + process.exitValue() + "; see " + dataDir.resolve("broker.log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The Kafka broker did not listen on " + port + " within " + timeout + "; see " + dataDir.resolve("broker.log"));
            }
            Thread.sleep(200);
        }
        return this;
    }

    public long pid() {
        return process.pid();
    }

    private void format(Path properties) throws IOException, InterruptedException {
        Process uuid = java("kafka.tools.StorageTool", "random-uuid").redirectErrorStream(false).start();
        String clusterId = new String(uuid.getInputStream().readAllBytes()).strip();
        uuid.waitFor(60, TimeUnit.SECONDS);
        clusterId = clusterId.lines().reduce((first, second) -> second).orElse("").strip();
        Process format = java("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", properties.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("broker.log").toFile())).start();
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException("Formatting Kafka storage failed; see " + dataDir.resolve("broker.log"));
        }
    }

    private ProcessBuilder java(String mainClass, String... args) {
        Path brokerModule = repository.resolve("kafka-broker/target");
        if (!Files.isDirectory(brokerModule.resolve("lib"))) {
            throw new IllegalStateException("No broker jars in " + brokerModule.resolve("lib") + ": build first (./mvnw -B -q install -DskipTests)");
        }
        List<String> command = new ArrayList<>(List.of(JavaProcesses.java(), "-Xmx1g", "-XX:+UseG1GC",
                "-cp", brokerModule.resolve("kafka-broker-0.1.0-SNAPSHOT.jar") + java.io.File.pathSeparator + brokerModule.resolve("lib") + "/*",
                mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the broker cleanly (SIGTERM), or kills it after 30 s. */
    @Override
    public void close() {
        JavaProcesses.stop(process, Duration.ofSeconds(30));
    }
}
