package org.pupilflow.admin.kafka;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
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
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.pupilflow.access.AccessPlan;
import org.pupilflow.schemas.topics.BrokerIdentity;

/**
 * SCRAM-SHA-512 users for a broker without Strimzi (the local run, a plain Kafka install): every
 * principal of the plan gets a user with a freshly generated password, written to
 * {@code <dir>/<user>.properties} as Kafka client settings (owner-readable only), and recipients'
 * users that the policy no longer names are deleted. On Kubernetes the Strimzi User Operator does
 * this from the generated {@code KafkaUser} resources instead.
 */
public final class ScramUsers {

    /** SCRAM iterations; 4096 is the minimum Kafka accepts and what Strimzi uses. */
    private static final int ITERATIONS = 8192;

    /** Users created or given a new password, and users deleted. */
    public record Changes(List<String> written, List<String> deleted) {
    }

    private ScramUsers() {
    }

    /** How long a new credential may take to reach the brokers before {@link #apply} gives up. */
    private static final Duration PROPAGATION_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Writes the users and returns once every one of them can log in.
     *
     * @param adminClientConfig the administrator's client settings: its bootstrap servers (and TLS settings, if any) are
     *                          written into the credential files, so a file alone is enough to connect
     */
    public static Changes apply(Admin admin, Map<String, Object> adminClientConfig, AccessPlan plan, Path credentialsDir)
            throws ExecutionException, InterruptedException, IOException {
        Files.createDirectories(credentialsDir);
        Map<String, UserScramCredentialsDescription> existing = admin.describeUserScramCredentials().all().get();
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        Map<String, String> passwords = new LinkedHashMap<>();
        for (BrokerIdentity identity : plan.principals()) {
            String password = randomPassword();
            passwords.put(identity.user(), password);
            alterations.add(new UserScramCredentialUpsertion(identity.user(), new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), password));
        }
        List<String> deleted = new ArrayList<>();
        for (Map.Entry<String, UserScramCredentialsDescription> user : existing.entrySet()) {
            String principal = "User:" + user.getKey();
            if (AccessPlan.isManaged(principal) && !passwords.containsKey(user.getKey())) {
                user.getValue().credentialInfos().forEach(info -> alterations.add(new UserScramCredentialDeletion(user.getKey(), info.mechanism())));
                deleted.add(user.getKey());
                Files.deleteIfExists(credentialsDir.resolve(user.getKey() + ".properties"));
            }
        }
        admin.alterUserScramCredentials(alterations).all().get();
        for (Map.Entry<String, String> user : passwords.entrySet()) {
            Map<String, Object> client = clientConfig(adminClientConfig, user.getKey(), user.getValue());
            // The controller has the credential now; a broker applies it a moment later.
            awaitLogin(client, user.getKey());
            writeClientConfig(credentialsDir.resolve(user.getKey() + ".properties"), client, user.getKey());
        }
        return new Changes(List.copyOf(passwords.keySet()), deleted);
    }

    /** The administrator's connection settings with this user's SASL/SCRAM login instead. */
    private static Map<String, Object> clientConfig(Map<String, Object> adminClientConfig, String user, String password) {
        Map<String, Object> client = new LinkedHashMap<>();
        adminClientConfig.forEach((key, value) -> {
            if (key.equals("bootstrap.servers") || key.equals("security.protocol") || key.startsWith("ssl.")) {
                client.put(key, value);
            }
        });
        if (!String.valueOf(client.get("security.protocol")).startsWith("SASL_")) {
            client.put("security.protocol", "SASL_PLAINTEXT");
        }
        client.put("sasl.mechanism", "SCRAM-SHA-512");
        client.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";");
        return client;
    }

    private static void awaitLogin(Map<String, Object> client, String user) throws InterruptedException {
        long deadline = System.nanoTime() + PROPAGATION_TIMEOUT.toNanos();
        Map<String, Object> config = new LinkedHashMap<>(client);
        config.put("default.api.timeout.ms", 10_000);
        config.put("request.timeout.ms", 10_000);
        while (true) {
            try (Admin probe = Admin.create(config)) {
                probe.describeCluster().clusterId().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof SaslAuthenticationException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("The new SCRAM user " + user + " cannot log in: " + e.getCause().getMessage(), e.getCause());
                }
            }
            Thread.sleep(200);
        }
    }

    /** Kafka client settings for one user: usable as {@code --consumer.config} of Kafka's console tools, or loaded into any client. */
    static void writeClientConfig(Path file, Map<String, Object> client, String user) throws IOException {
        Properties config = new Properties();
        client.forEach((key, value) -> config.setProperty(key, String.valueOf(value)));
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary);
        restrictToOwner(temporary);
        try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.ISO_8859_1)) {
            config.store(out, "Kafka credentials of " + user + " (generated by pupilflow-admin; secret: never commit or share)");
        }
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The credentials a file written by this class holds, as client settings. */
    public static Map<String, Object> readClientConfig(Path file) throws IOException {
        Properties config = new Properties();
        try (var in = Files.newInputStream(file)) {
            config.load(in);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        config.stringPropertyNames().forEach(name -> settings.put(name, config.getProperty(name)));
        return settings;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Not a POSIX file system: the user's own folder is the protection.
        }
    }
}
