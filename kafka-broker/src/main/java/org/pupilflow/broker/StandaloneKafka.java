package org.pupilflow.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) run from the jars the
 * {@code kafka-broker} module copies from Maven Central, bound to 127.0.0.1, its data in a local
 * folder. Storage is formatted on first use; later starts reuse the data.
 *
 * <p>With {@link Security} (the default of the local run) the broker is set up as production is:
 * clients authenticate with SASL/SCRAM-SHA-512 (the mechanism of Strimzi's {@code KafkaUser}),
 * KRaft's {@code StandardAuthorizer} checks every request, and a principal with no ACL may do
 * nothing ({@code allow.everyone.if.no.acl.found=false}). The super-user {@code admin} exists only
 * to bootstrap (create users, topics and ACLs); broker and controller talk over SASL/PLAIN with a
 * static controller user, because a PLAINTEXT controller listener would register the broker as
 * {@code User:ANONYMOUS} and anyone who reached the controller port could act as it.
 */
public final class StandaloneKafka implements AutoCloseable {

    /** The SCRAM mechanism of client connections. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    /** The super-user that bootstraps a secured broker. */
    public static final String ADMIN_USER = "admin";
    private static final String CONTROLLER_USER = "controller";
    private static final String SECURITY_FILE = "broker-security.properties";

    /**
     * Passwords of the two super-users of a secured broker. They are generated when its storage is
     * formatted and kept beside the data (owner-readable only), because the admin's SCRAM
     * credential is written into the cluster metadata at format time.
     */
    public record Security(String adminPassword, String controllerPassword) {
        @Override
        public String toString() {
            return "Security[passwords hidden]";
        }
    }

    private final Path repository;
    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final boolean secured;
    private Security security;
    private Process process;

    /** A broker without authentication or authorization (integration tests of a single service). */
    public StandaloneKafka(Path repository, Path dataDir, int port, int controllerPort) {
        this(repository, dataDir, port, controllerPort, false);
    }

    /**
     * @param secured SASL/SCRAM on the client listener and the ACL authorizer on, as in production
     */
    public StandaloneKafka(Path repository, Path dataDir, int port, int controllerPort, boolean secured) {
        this.repository = repository;
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.secured = secured;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public boolean secured() {
        return secured;
    }

    /** The super-users' passwords of a secured broker (after {@link #start}). */
    public Optional<Security> security() {
        return Optional.ofNullable(security);
    }

    /**
     * Client settings (bootstrap servers and, for a secured broker, SASL as {@code admin}) for the
     * Admin client that bootstraps users, topics and ACLs.
     */
    public Map<String, Object> adminClientConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("bootstrap.servers", bootstrapServers());
        if (secured) {
            config.putAll(scramClientSettings(ADMIN_USER, security.adminPassword()));
        }
        return config;
    }

    /** The security settings a Kafka client needs to connect as {@code user} over SASL/SCRAM-SHA-512. */
    public static Map<String, Object> scramClientSettings(String user, String password) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("security.protocol", "SASL_PLAINTEXT");
        config.put("sasl.mechanism", SCRAM_MECHANISM);
        config.put("sasl.jaas.config", scramJaas(user, password));
        return config;
    }

    /** The JAAS line of a SCRAM client login; quotes and backslashes in the values are escaped. */
    public static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + jaasEscape(user) + "\" password=\""
                + jaasEscape(password) + "\";";
    }

    private static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    public StandaloneKafka start(Duration timeout) throws IOException, InterruptedException {
        if (isListening(port)) {
            throw new IllegalStateException("Port " + port + " is already in use: is another broker (or an earlier run) still up?");
        }
        Files.createDirectories(dataDir);
        Path logs = dataDir.resolve("logs");
        boolean formatted = Files.exists(logs.resolve("meta.properties"));
        if (secured) {
            security = loadOrCreateSecurity(formatted);
        }
        Path properties = dataDir.resolve("server.properties");
        Files.writeString(properties, String.join("\n", serverProperties(logs)) + "\n");
        if (secured) {
            // The file holds the super-users' passwords (inter-broker and controller logins).
            restrictToOwner(properties);
        }
        if (!formatted) {
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

    private List<String> serverProperties(Path logs) {
        List<String> lines = new ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "controller.listener.names=CONTROLLER",
                "log.dirs=" + logs.toAbsolutePath(),
                "num.partitions=6",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false"));
        if (!secured) {
            lines.addAll(List.of(
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"));
            return lines;
        }
        String controllerPassword = jaasEscape(security.controllerPassword());
        lines.addAll(List.of(
                "listeners=SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:" + port,
                "inter.broker.listener.name=SASL_PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms=" + SCRAM_MECHANISM,
                "sasl.mechanism.inter.broker.protocol=" + SCRAM_MECHANISM,
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=" + scramJaas(ADMIN_USER, security.adminPassword()),
                "sasl.mechanism.controller.protocol=PLAIN",
                "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
                "listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + CONTROLLER_USER + "\" password=\"" + controllerPassword + "\" user_" + CONTROLLER_USER + "=\"" + controllerPassword + "\";",
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:" + ADMIN_USER + ";User:" + CONTROLLER_USER,
                "allow.everyone.if.no.acl.found=false"));
        return lines;
    }

    private Security loadOrCreateSecurity(boolean formatted) throws IOException {
        Path file = dataDir.resolve(SECURITY_FILE);
        if (Files.exists(file)) {
            Properties saved = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                saved.load(in);
            }
            return new Security(saved.getProperty("admin.password"), saved.getProperty("controller.password"));
        }
        if (formatted) {
            throw new IllegalStateException("The broker data in " + dataDir + " was created without SASL by an earlier run, so it has no admin"
                    + " credential; remove that folder (the local run's: rm -rf local) to start afresh");
        }
        Security generated = new Security(randomSecret(), randomSecret());
        Properties saved = new Properties();
        saved.setProperty("admin.password", generated.adminPassword());
        saved.setProperty("controller.password", generated.controllerPassword());
        try (OutputStream out = Files.newOutputStream(file)) {
            saved.store(out, "Super-user passwords of this local broker, generated at format time; never commit");
        }
        restrictToOwner(file);
        return generated;
    }

    /** 32 random bytes, hex: a password for a generated credential. */
    public static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Makes a file of secrets readable by its owner only (where the file system has POSIX permissions). */
    public static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the user's profile folder is private already.
        }
    }

    public long pid() {
        return process.pid();
    }

    private void format(Path properties) throws IOException, InterruptedException {
        Process uuid = java("kafka.tools.StorageTool", "random-uuid").redirectErrorStream(false).start();
        String clusterId = new String(uuid.getInputStream().readAllBytes()).strip();
        uuid.waitFor(60, TimeUnit.SECONDS);
        clusterId = clusterId.lines().reduce((first, second) -> second).orElse("").strip();
        List<String> arguments = new ArrayList<>(List.of("format", "-t", clusterId, "-c", properties.toString()));
        if (secured) {
            // The admin's SCRAM credential must exist before the broker starts: it is also the inter-broker login.
            arguments.addAll(List.of("--add-scram", SCRAM_MECHANISM + "=[name=" + ADMIN_USER + ",password=" + security.adminPassword() + "]"));
        }
        Process format = java("kafka.tools.StorageTool", arguments.toArray(String[]::new)).redirectErrorStream(true)
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

    public static boolean isListening(int port) {
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
