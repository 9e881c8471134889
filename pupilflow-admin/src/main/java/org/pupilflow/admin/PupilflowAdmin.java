package org.pupilflow.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import org.pupilflow.access.AccessPlan;
import org.pupilflow.access.AccessTable;
import org.pupilflow.access.BrokerAccess;
import org.pupilflow.access.KafkaTopicResources;
import org.pupilflow.access.KafkaUserResources;
import org.pupilflow.access.TopicTable;
import org.pupilflow.admin.kafka.AclSync;
import org.pupilflow.admin.kafka.ScramUsers;
import org.pupilflow.admin.kafka.TopicSync;
import org.pupilflow.policy.load.InvalidPolicyException;
import org.pupilflow.policy.load.PolicyLoader;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar pupilflow-admin-cli.jar acls|topics|users ...}: the broker side of a policy.
 * Everything is derived from the policy and the topic catalog; nothing is typed by hand.
 */
@Command(name = "pupilflow-admin", mixinStandardHelpOptions = true,
        description = "The broker side of a sharing policy: who may do what (ACLs), the topics, the SCRAM users, Strimzi KafkaUser resources.",
        subcommands = {PupilflowAdmin.Acls.class, PupilflowAdmin.Topics.class, PupilflowAdmin.Users.class, PupilflowAdmin.Catalog.class})
public final class PupilflowAdmin {

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine command = new CommandLine(new PupilflowAdmin());
        command.setOut(out).setErr(err);
        command.setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            // A clear line, never a stack trace: an invalid policy's located errors, or the broker's refusal.
            commandLine.getErr().println("pupilflow-admin: " + (exception instanceof InvalidPolicyException ? exception.getMessage() : message(exception)));
            return 1;
        });
        return command.execute(args);
    }

    private static String message(Throwable exception) {
        Throwable cause = exception instanceof java.util.concurrent.ExecutionException && exception.getCause() != null ? exception.getCause() : exception;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** Options every command shares. */
    static class PolicyOption {
        @Option(names = "--policy", required = true, description = "The LA's sharing policy (YAML), e.g. policies/norfolk.yaml.")
        Path policy;

        AccessPlan plan() {
            return BrokerAccess.derive(new PolicyLoader().load(policy));
        }
    }

    /** Which Strimzi {@code Kafka} resource generated resources belong to. */
    static class StrimziOption {
        @Option(names = "--cluster", defaultValue = "pupilflow", description = "The Strimzi Kafka cluster the resources belong to (default ${DEFAULT-VALUE}).")
        String cluster;
    }

    /** Writes generated resources, creating the folder if needed. */
    static void write(Path file, String content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, content);
    }

    /** How to reach the broker as an administrator. */
    static class BrokerOptions {
        @Option(names = "--bootstrap-server", description = "The broker to apply to, host:port.")
        String bootstrapServer;

        @Option(names = "--command-config", description = "Kafka client properties of the administrator (security.protocol, sasl.mechanism, sasl.jaas.config, ssl.*).")
        Path commandConfig;

        Map<String, Object> clientConfig(CommandSpec spec) throws IOException {
            if (bootstrapServer == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--bootstrap-server is needed to apply to a broker");
            }
            Map<String, Object> config = new LinkedHashMap<>();
            if (commandConfig != null) {
                Properties properties = new Properties();
                try (InputStream in = Files.newInputStream(commandConfig)) {
                    properties.load(in);
                }
                properties.stringPropertyNames().forEach(name -> config.put(name, properties.getProperty(name)));
            }
            config.put("bootstrap.servers", bootstrapServer);
            return config;
        }
    }

    @Command(name = "acls", mixinStandardHelpOptions = true,
            description = {"Prints who may do what on the broker, as derived from the policy and the topic catalog.",
                    "--apply makes the broker's ACLs of every PupilFlow principal exactly these (missing ones created, others deleted);",
                    "--kafka-users writes the Strimzi KafkaUser resources."})
    static final class Acls implements Callable<Integer> {
        @CommandLine.Mixin
        PolicyOption policy = new PolicyOption();
        @CommandLine.ArgGroup(exclusive = false)
        BrokerOptions broker = new BrokerOptions();
        @Option(names = "--apply", description = "Apply to the broker (idempotent).")
        boolean apply;
        @Option(names = "--dry-run", description = "With --apply: only print what would change.")
        boolean dryRun;
        @Option(names = "--kafka-users", paramLabel = "FILE", description = "Write the Strimzi KafkaUser resources (YAML) to FILE.")
        Path kafkaUsers;
        @CommandLine.Mixin
        StrimziOption strimzi = new StrimziOption();
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            AccessPlan plan = policy.plan();
            PrintWriter out = spec.commandLine().getOut();
            out.print(AccessTable.render(plan));
            if (kafkaUsers != null) {
                write(kafkaUsers, KafkaUserResources.render(plan, strimzi.cluster));
                out.printf("%nWrote %d KafkaUser resources to %s%n", plan.principals().size(), kafkaUsers);
            }
            if (apply) {
                try (Admin admin = Admin.create(broker.clientConfig(spec))) {
                    AclSync.Changes changes = AclSync.apply(admin, plan, dryRun);
                    String verb = dryRun ? "would " : "";
                    out.printf("%nACLs on %s: %d unchanged, %d %screated, %d %sdeleted%n", broker.bootstrapServer, changes.unchanged(),
                            changes.created().size(), verb, changes.deleted().size(), verb);
                    changes.created().forEach(acl -> out.println("  + " + acl));
                    changes.deleted().forEach(acl -> out.println("  - " + acl));
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "topics", mixinStandardHelpOptions = true,
            description = {"Creates the topics of the catalog and the policy that do not exist (existing topics are not changed);",
                    "--kafka-topics writes them as Strimzi KafkaTopic resources instead."})
    static final class Topics implements Callable<Integer> {
        @CommandLine.Mixin
        PolicyOption policy = new PolicyOption();
        @CommandLine.ArgGroup(exclusive = false)
        BrokerOptions broker = new BrokerOptions();
        @Option(names = "--partitions", defaultValue = "6", description = "Partitions of a new topic (default ${DEFAULT-VALUE}).")
        int partitions;
        @Option(names = "--replication-factor", defaultValue = "1", description = "Replicas of a new topic (default ${DEFAULT-VALUE}; 3 in production).")
        short replicationFactor;
        @Option(names = "--min-insync-replicas", defaultValue = "0", description = "min.insync.replicas of a new topic (default: the broker's; 2 in production).")
        int minInsyncReplicas;
        @Option(names = "--dry-run", description = "Only print what would be created.")
        boolean dryRun;
        @Option(names = "--kafka-topics", paramLabel = "FILE", description = "Write the Strimzi KafkaTopic resources (YAML) to FILE instead of applying.")
        Path kafkaTopics;
        @CommandLine.Mixin
        StrimziOption strimzi = new StrimziOption();
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            AccessPlan plan = policy.plan();
            PrintWriter out = spec.commandLine().getOut();
            if (kafkaTopics != null) {
                write(kafkaTopics, KafkaTopicResources.render(plan, strimzi.cluster, partitions, replicationFactor, minInsyncReplicas));
                out.printf("Wrote %d KafkaTopic resources to %s%n", plan.topics().size(), kafkaTopics);
                out.flush();
                return 0;
            }
            try (Admin admin = Admin.create(broker.clientConfig(spec))) {
                TopicSync.Changes changes = TopicSync.apply(admin, plan, new TopicSync.Defaults(partitions, replicationFactor, minInsyncReplicas), dryRun);
                out.printf("Topics on %s: %d of %d %screated%n", broker.bootstrapServer, changes.created().size(), plan.topics().size(), dryRun ? "would be " : "");
                changes.created().forEach(topic -> out.println("  + " + topic));
                changes.mismatched().forEach(problem -> out.println("  ! " + problem));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "users", mixinStandardHelpOptions = true,
            description = {"For a broker without Strimzi: gives every principal of the policy a SCRAM-SHA-512 user with a new generated password,",
                    "written as Kafka client settings to <credentials-dir>/<user>.properties (owner-readable only), and deletes",
                    "the users of recipients the policy no longer names."})
    static final class Users implements Callable<Integer> {
        @CommandLine.Mixin
        PolicyOption policy = new PolicyOption();
        @CommandLine.ArgGroup(exclusive = false)
        BrokerOptions broker = new BrokerOptions();
        @Option(names = "--credentials-dir", required = true, description = "Where the generated credentials are written (keep it out of version control).")
        Path credentialsDir;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            AccessPlan plan = policy.plan();
            PrintWriter out = spec.commandLine().getOut();
            Map<String, Object> adminConfig = broker.clientConfig(spec);
            try (Admin admin = Admin.create(adminConfig)) {
                ScramUsers.Changes changes = ScramUsers.apply(admin, adminConfig, plan, credentialsDir);
                out.printf("SCRAM users on %s: %d written to %s, %d deleted%n", broker.bootstrapServer, changes.written().size(), credentialsDir,
                        changes.deleted().size());
                changes.written().forEach(user -> out.println("  + " + user + "  (" + credentialsDir.resolve(user + ".properties") + ")"));
                changes.deleted().forEach(user -> out.println("  - " + user));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "catalog", mixinStandardHelpOptions = true, description = "Prints the topic catalog (or, with --principals, the principals) as a Markdown table (the ones in DESIGN.md).")
    static final class Catalog implements Callable<Integer> {
        @Option(names = "--principals", description = "The principals, their groups, transactional ids and topics instead.")
        boolean principals;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(principals ? TopicTable.principalsMarkdown() : TopicTable.markdown());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
