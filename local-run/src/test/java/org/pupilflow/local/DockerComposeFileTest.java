package org.pupilflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml (one VM, README "Deploying") read as data: what it promises — images for every service, ports on
 * loopback only, no secret in the file, each PupilFlow service with a Kafka login of its own and started only after the
 * broker was provisioned — and, where docker-compose (or docker compose) is installed, that Compose accepts it. No
 * Docker daemon is needed; the containers themselves are exercised by {@link ComposeKafkaContainerTest} where there is one.
 */
class DockerComposeFileTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Path COMPOSE_FILE = REPOSITORY.resolve("docker-compose.yml");
    private static final Path PROMETHEUS_CONFIG = REPOSITORY.resolve("deploy/compose/prometheus/prometheus.yml");
    private static final Path RULES_DIR = REPOSITORY.resolve("deploy/prometheus/rules");
    private static final List<String> PUPILFLOW_SERVICES = List.of("census-ingest", "sharing-router", "recipient-adapters", "audit-service");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?-([^}]*))?}");

    private final Map<String, Object> compose = load();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load() {
        try (InputStream in = Files.newInputStream(COMPOSE_FILE)) {
            return new Yaml().load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    private Map<String, Object> service(String name) {
        assertThat(services()).as("service " + name).containsKey(name);
        return services().get(name);
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return value == null ? List.of() : (List<String>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    /** Compose's {@code ${VAR:-default}} with the defaults, as an unconfigured {@code up} sees them. */
    private static String withDefaults(String value) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(2) == null ? "" : matcher.group(2)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** A short-syntax volume {@code source:target[:mode]}. */
    private record Mount(String source, String target) {
        static Mount of(String volume) {
            String[] parts = withDefaults(volume).split(":");
            return new Mount(parts[0], parts[1]);
        }

        static boolean readOnly(String volume) {
            return withDefaults(volume).endsWith(":ro");
        }

        boolean fromRepository() {
            return source.startsWith("./") || source.startsWith("../");
        }
    }

    private static List<Mount> mounts(Map<String, Object> service) {
        return strings(service.get("volumes")).stream().map(Mount::of).toList();
    }

    @Test
    void everyServiceRunsAnImage() {
        assertThat(services()).isNotEmpty();
        services().forEach((name, service) -> assertThat(service.get("image") != null || service.get("build") != null)
                .as(name + " has an image or a build").isTrue());
        PUPILFLOW_SERVICES.forEach(name -> assertThat(service(name).get("image")).isEqualTo("pupilflow/" + name + ":0.1.0-SNAPSHOT"));
        assertThat(service("kafka").get("image")).isEqualTo("apache/kafka:4.2.1");
        assertThat(service("postgres").get("image")).isEqualTo("postgres:17");
    }

    @Test
    void everyPublishedPortIsOnTheHostsLoopbackOnly() {
        List<String> published = new ArrayList<>();
        services().forEach((name, service) -> {
            Object ports = service.get("ports");
            if (ports != null) {
                for (Object port : (List<?>) ports) {
                    assertThat(port).as(name + ": short syntax, so the host address is visible").isInstanceOf(String.class);
                    assertThat((String) port).as(name).matches("127\\.0\\.0\\.1:\\d+:\\d+");
                    published.add(name + " " + port);
                }
            }
        });
        assertThat(published).contains("census-ingest 127.0.0.1:8081:8081", "audit-service 127.0.0.1:8084:8084",
                "prometheus 127.0.0.1:9090:9090", "grafana 127.0.0.1:3000:3000", "kafka 127.0.0.1:9094:9094");
    }

    @Test
    void everyFileMountedFromTheRepositoryExists() {
        Map<String, String> checked = new TreeMap<>();
        services().forEach((name, service) -> mounts(service).stream().filter(Mount::fromRepository).forEach(mount -> {
            Path source = REPOSITORY.resolve(mount.source()).normalize();
            // startsWithRaw: startsWith resolves the real path, which a build output not built yet does not have.
            assertThat(source).as(name + " mounts " + mount.source() + " from inside the repository").startsWithRaw(REPOSITORY);
            int target = mount.source().indexOf("/target/");
            if (target >= 0) {
                // A build output (./mvnw install makes it): its module must exist.
                assertThat(REPOSITORY.resolve(mount.source().substring(2, target)).resolve("pom.xml")).as(name + ": " + mount.source()).exists();
            } else {
                assertThat(source).as(name + " mounts " + mount.source()).exists();
            }
            checked.put(name + " " + mount.target(), mount.source());
        }));
        assertThat(checked).containsEntry("kafka /opt/pupilflow/start.sh", "./deploy/compose/kafka/start.sh")
                .containsEntry("provision /etc/pupilflow/policies", "./policies")
                .containsEntry("grafana /var/lib/grafana/dashboards/pupilflow", "./deploy/grafana/dashboards")
                .containsEntry("prometheus /etc/prometheus/prometheus.yml", "./deploy/compose/prometheus/prometheus.yml")
                .containsEntry("prometheus /etc/prometheus/rules", "./deploy/prometheus/rules")
                .containsEntry("sharing-router /etc/pupilflow/policy.yaml", "./policies/norfolk.yaml")
                // census-ingest has no policy of its own: it uses the one sharing-router publishes.
                .doesNotContainKey("census-ingest /etc/pupilflow/policy.yaml");
        assertThat(REPOSITORY.resolve("deploy/grafana/dashboards")).isDirectory();
    }

    /**
     * Prometheus loads the alert rules of deploy/prometheus/rules: mounted read-only where its configuration's
     * rule_files look, and the pattern there matches the rules file (and not promtool's unit tests of it).
     */
    @Test
    @SuppressWarnings("unchecked")
    void prometheusLoadsTheAlertRulesFromTheirMount() throws IOException {
        List<String> volumes = strings(service("prometheus").get("volumes"));
        List<String> rulesMounts = volumes.stream().filter(volume -> Mount.of(volume).source().equals("./deploy/prometheus/rules")).toList();
        assertThat(rulesMounts).as("prometheus mounts deploy/prometheus/rules").hasSize(1);
        assertThat(Mount.readOnly(rulesMounts.get(0))).as(rulesMounts.get(0) + " is read-only").isTrue();
        String target = Mount.of(rulesMounts.get(0)).target();

        Map<String, Object> config;
        try (InputStream in = Files.newInputStream(PROMETHEUS_CONFIG)) {
            config = new Yaml().load(in);
        }
        List<String> ruleFiles = strings(config.get("rule_files"));
        assertThat(ruleFiles).as("rule_files of " + REPOSITORY.relativize(PROMETHEUS_CONFIG)).isNotEmpty()
                .allSatisfy(pattern -> assertThat(pattern).as("a rule_files entry inside the mount").startsWith(target + "/"));
        List<String> loaded = new ArrayList<>();
        try (Stream<Path> files = Files.list(RULES_DIR)) {
            for (Path file : files.sorted().toList()) {
                String inContainer = target + "/" + file.getFileName();
                if (ruleFiles.stream().anyMatch(pattern -> java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + pattern)
                        .matches(Path.of(inContainer)))) {
                    loaded.add(file.getFileName().toString());
                }
            }
        }
        assertThat(loaded).as("rules files Prometheus loads").containsExactly("pupilflow.rules.yml");
    }

    /** Where promtool is installed: the Compose Prometheus configuration is valid, with its rules where the mount puts them. */
    @Test
    void promtoolAcceptsThePrometheusConfigurationWithItsRules(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("promtool"), "promtool is not on the PATH");
        // The container's paths, pointed at the repository's files.
        String config = Files.readString(PROMETHEUS_CONFIG).replace("/etc/prometheus/rules/", RULES_DIR.toString() + "/");
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, config);
        Process check = new ProcessBuilder("promtool", "check", "config", file.toString()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(120, TimeUnit.SECONDS)).as("promtool check config finishes").isTrue();
        assertThat(check.exitValue()).as("promtool check config:\n" + output).isZero();
        assertThat(output).contains("pupilflow.rules.yml").contains("SUCCESS");
    }

    @Test
    void everyNamedVolumeIsDeclared() {
        Map<String, Object> declared = map(compose.get("volumes"));
        services().forEach((name, service) -> mounts(service).stream().filter(mount -> !mount.fromRepository() && !mount.source().startsWith("/"))
                .forEach(mount -> assertThat(declared).as(name + " uses volume " + mount.source()).containsKey(mount.source())));
    }

    @Test
    void eachPupilFlowServiceHasAKafkaLoginOfItsOwnAndStartsAfterTheBrokerWasProvisioned() {
        Map<String, String> secretsVolumes = new TreeMap<>();
        List<Mount> provisionMounts = mounts(service("provision"));
        for (String name : PUPILFLOW_SERVICES) {
            Map<String, Object> service = service(name);
            assertThat(map(map(service.get("depends_on")).get("provision")).get("condition")).as(name + " waits for provisioning")
                    .isEqualTo("service_completed_successfully");
            List<Mount> secrets = mounts(service).stream().filter(mount -> mount.target().equals("/etc/pupilflow/secrets")).toList();
            assertThat(secrets).as(name + " mounts its own secrets volume").hasSize(1);
            String volume = secrets.get(0).source();
            assertThat(volume).as(name).isEqualTo(name + "-secrets");
            secretsVolumes.put(name, volume);
            // provision.sh writes the service's login to /secrets/<service>/kafka.properties.
            assertThat(provisionMounts).as("provision writes " + name + "'s login").contains(new Mount(volume, "/secrets/" + name));
            assertThat(String.valueOf(map(service.get("environment")).get("SPRING_CONFIG_IMPORT")))
                    .as(name + " imports its login").contains("file:/etc/pupilflow/secrets/kafka.properties");
            // No other service of the four sees it.
            for (String other : PUPILFLOW_SERVICES) {
                if (!other.equals(name)) {
                    assertThat(mounts(service(other))).extracting(Mount::source).as(other + " does not mount " + volume).doesNotContain(volume);
                }
            }
        }
        assertThat(secretsVolumes.values()).doesNotHaveDuplicates().hasSize(4);
        assertThat(map(map(service("provision").get("depends_on")).get("kafka")).get("condition")).isEqualTo("service_healthy");
        assertThat(map(map(service("audit-service").get("depends_on")).get("postgres")).get("condition")).isEqualTo("service_healthy");
        assertThat(map(service("audit-service").get("environment")).get("SPRING_DATASOURCE_URL"))
                .as("audit-service refuses to start without it").isEqualTo("jdbc:postgresql://postgres:5432/pupilflow_audit");
    }

    @Test
    void noSecretIsWrittenInTheFile() throws IOException {
        services().forEach((name, service) -> map(service.get("environment")).forEach((key, value) -> {
            if (key.matches(".*(PASSWORD|SECRET|_KEY|TOKEN).*") && !key.endsWith("__FILE") && !key.endsWith("_FILE")) {
                assertThat(withDefaults(String.valueOf(value))).as(name + " " + key + " is not set in the file").isEmpty();
            }
        }));
        String text = Files.readString(COMPOSE_FILE, StandardCharsets.UTF_8);
        assertThat(text).doesNotContainPattern("(?i)password\\s*[:=]\\s*\\S").doesNotContain("whsec_").doesNotContain("local-dev-only");
    }

    @Test
    void theScriptsAreValidBash() throws Exception {
        Assumptions.assumeTrue(onPath("bash"), "bash is not on the PATH");
        try (Stream<Path> files = Files.walk(REPOSITORY.resolve("deploy/compose"))) {
            List<Path> scripts = files.filter(path -> path.toString().endsWith(".sh")).toList();
            assertThat(scripts).hasSize(4);
            for (Path script : scripts) {
                Process check = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
                String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(check.exitValue()).as(script + ": " + output).isZero();
            }
        }
    }

    @Test
    void composeAcceptsTheFile() throws Exception {
        List<String> command;
        if (onPath("docker-compose")) {
            command = List.of("docker-compose", "-f", COMPOSE_FILE.toString(), "config", "--quiet");
        } else if (onPath("docker") && run(List.of("docker", "compose", "version")) == 0) {
            command = List.of("docker", "compose", "-f", COMPOSE_FILE.toString(), "config", "--quiet");
        } else {
            Assumptions.abort("neither docker-compose nor docker compose is installed");
            return;
        }
        Process config = new ProcessBuilder(command).directory(REPOSITORY.toFile()).redirectErrorStream(true).start();
        String output = new String(config.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(config.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(config.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(java.io.File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    private static int run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }
}
