package org.pupilflow.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What configuration one service understands, and which property an environment variable sets in it.
 *
 * <p>Known properties: the keys of its {@code application*.yml}, the {@code @ConfigurationProperties} records,
 * {@code @Value} and {@code @ConditionalOnProperty} names of its source and of the PupilFlow modules it depends on
 * ({@link ConfigurationPropertiesSource}), and an explicit list of the Spring Boot properties the manifests set
 * ({@link #BOOT}), each of which {@code ServiceConfigurationTest} finds in Spring Boot's own configuration metadata.
 * Placeholders of {@code application.yml} ({@code ${KAFKA_BOOTSTRAP_SERVERS:...}}) and the JVM's
 * {@code JAVA_TOOL_OPTIONS} are accepted as they are.
 *
 * <p>Which property a variable sets is decided by Spring Boot itself: the variable is put in a
 * {@link SystemEnvironmentPropertySource} and Boot's relaxed binding is asked for each known property. (The rule:
 * lower-case, '_' becomes '.', and a property is also found under its name with '-' removed or turned into '_'; so
 * {@code PUPILFLOW_ROUTER_POLICY_FILE} sets {@code pupilflow.router.policy-file}. A map key comes out lower-case with '.'
 * for '_', so {@code SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG} sets key {@code sasl.jaas.config} of
 * {@code spring.kafka.properties}; a key containing '-' or upper case cannot be written as a variable at all, hence
 * recipient-adapters' per-recipient settings come from a mounted properties file.)
 */
final class ServiceConfiguration {

    /** Spring Boot properties the manifests set, by service ("*": every service). Checked against Boot's metadata. */
    static final Map<String, Set<String>> BOOT = Map.of(
            "*", Set.of("server.address", "spring.kafka.ssl.trust-store-location", "spring.kafka.ssl.trust-store-password",
                    "spring.kafka.ssl.trust-store-type"),
            "recipient-adapters", Set.of("spring.config.import"),
            "audit-service", Set.of("spring.datasource.url", "spring.datasource.username", "spring.datasource.password",
                    "spring.flyway.user", "spring.flyway.password"));

    /** Map-valued Spring Boot properties the manifests set keys of: the Kafka client settings of every client. */
    static final Set<String> BOOT_MAPS = Set.of("spring.kafka.properties");

    /** Variables read by the JVM or the container, not by Spring. */
    static final Set<String> PROCESS = Set.of("JAVA_TOOL_OPTIONS");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    private final String service;
    private final Set<String> properties;
    private final Set<String> scalarMaps;
    private final Set<String> objectMaps;
    private final Set<String> placeholders;
    private final JsonNode applicationYml;

    private ServiceConfiguration(String service) {
        this.service = service;
        Path resources = Repository.module(service).resolve("src/main/resources");
        Set<String> known = new LinkedHashSet<>();
        Set<String> placeholderNames = new LinkedHashSet<>();
        JsonNode main = null;
        try (Stream<Path> files = Files.list(resources)) {
            for (Path yml : files.filter(f -> f.getFileName().toString().matches("application(-[\\w-]+)?\\.ya?ml")).sorted().toList()) {
                String text = Files.readString(yml);
                Matcher placeholder = PLACEHOLDER.matcher(text);
                while (placeholder.find()) {
                    placeholderNames.add(placeholder.group(1));
                }
                for (JsonNode document : Manifests.documents(text, Repository.relative(yml))) {
                    flatten("", document, known);
                    if (yml.getFileName().toString().startsWith("application.")) {
                        main = main == null ? document : Build.merge(main, document, false);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (main == null) {
            throw new AssertionError(service + ": no src/main/resources/application.yml");
        }
        ConfigurationPropertiesSource.Declared declared = ConfigurationPropertiesSource.scan(sourceRoots(service));
        known.addAll(declared.properties());
        known.addAll(BOOT.get("*"));
        known.addAll(BOOT.getOrDefault(service, Set.of()));
        Set<String> maps = new LinkedHashSet<>(declared.scalarMaps());
        maps.addAll(BOOT_MAPS);
        this.properties = Set.copyOf(known);
        this.scalarMaps = Set.copyOf(maps);
        this.objectMaps = declared.objectMaps();
        this.placeholders = Set.copyOf(placeholderNames);
        this.applicationYml = main;
    }

    static ServiceConfiguration of(String service) {
        return new ServiceConfiguration(service);
    }

    String service() {
        return service;
    }

    Set<String> properties() {
        return properties;
    }

    Set<String> scalarMaps() {
        return scalarMaps;
    }

    Set<String> objectMaps() {
        return objectMaps;
    }

    /** The merged documents of application.yml (not of profile files). */
    JsonNode applicationYml() {
        return applicationYml;
    }

    /**
     * What an environment variable sets in this service, e.g. "pupilflow.router.policy-file", or
     * "spring.kafka.properties[sasl.jaas.config]"; empty if nothing (a typo, or another service's property).
     */
    Optional<String> propertyOf(String variable) {
        if (PROCESS.contains(variable)) {
            return Optional.of("(the JVM: " + variable + ")");
        }
        if (placeholders.contains(variable)) {
            return Optional.of("(placeholder ${" + variable + "} of application.yml)");
        }
        ConfigurationPropertySource source = ConfigurationPropertySource.from(
                new SystemEnvironmentPropertySource("systemEnvironment", Map.of(variable, "value")));
        for (String property : new TreeSet<>(properties)) {
            for (String candidate : indexed(property, variable)) {
                ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(candidate);
                if (name != null && source.getConfigurationProperty(name) != null) {
                    return Optional.of(candidate);
                }
            }
        }
        for (String map : new TreeSet<>(scalarMaps)) {
            Map<String, String> bound = new Binder(source).bind(map, Bindable.mapOf(String.class, String.class)).orElse(Map.of());
            if (!bound.isEmpty()) {
                String key = bound.keySet().iterator().next();
                if (map.equals("spring.kafka.properties") && !kafkaClientConfigs().contains(key)) {
                    return Optional.empty();
                }
                return Optional.of(map + "[" + key + "]");
            }
        }
        return Optional.empty();
    }

    /** The Kafka client configuration names (producer, consumer, admin). */
    static Set<String> kafkaClientConfigs() {
        Set<String> names = new TreeSet<>(AdminClientConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        return names;
    }

    /** A property with list elements ({@code rules[*].keep}) with each index the variable names, else itself. */
    private static List<String> indexed(String property, String variable) {
        if (!property.contains("[*]")) {
            return List.of(property);
        }
        List<String> candidates = new ArrayList<>();
        Matcher number = Pattern.compile("_(\\d+)(?=_|$)").matcher(variable);
        while (number.find()) {
            candidates.add(property.replace("[*]", "[" + number.group(1) + "]"));
        }
        return candidates;
    }

    private static void flatten(String prefix, JsonNode node, Set<String> into) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
                into.add(name);
                flatten(name, field.getValue(), into);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                flatten(prefix + "[*]", item, into);
            }
        }
    }

    /** {@code src/main/java} of the service and of every PupilFlow module it depends on (compile scope, transitively). */
    static List<Path> sourceRoots(String module) {
        Set<String> modules = new LinkedHashSet<>();
        collectModules(module, modules);
        return modules.stream().map(m -> Repository.module(m).resolve("src/main/java")).toList();
    }

    private static void collectModules(String module, Set<String> into) {
        if (!into.add(module)) {
            return;
        }
        Path pom = Repository.module(module).resolve("pom.xml");
        String xml;
        try {
            xml = Files.readString(pom);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int dependencies = xml.indexOf("<dependencies>");
        if (dependencies < 0) {
            return;
        }
        Matcher dependency = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(xml.substring(dependencies));
        while (dependency.find()) {
            String body = dependency.group(1);
            if (body.contains("<groupId>org.pupilflow</groupId>") && !body.contains("<scope>test</scope>")) {
                Matcher artifact = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(body);
                if (artifact.find() && Files.isDirectory(Repository.module(artifact.group(1)))) {
                    collectModules(artifact.group(1), into);
                }
            }
        }
    }
}
