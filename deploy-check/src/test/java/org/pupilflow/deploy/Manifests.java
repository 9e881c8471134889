package org.pupilflow.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

/**
 * Reads Kubernetes manifests into the typed model their {@code apiVersion} and {@code kind} claim: Strimzi's own CRD
 * classes (io.strimzi:api) and fabric8's Kubernetes model, strictly.
 *
 * <p>Both models keep unknown properties in an "additional properties" map (a Jackson any-setter) instead of refusing
 * them, so {@code FAIL_ON_UNKNOWN_PROPERTIES} alone lets a misspelt key through. The mapper here removes every
 * any-setter, so a key the model does not know fails the parse, naming it. Duplicate keys fail too.
 */
final class Manifests {

    /** The typed model of every kind the deployment may use, by "apiVersion/kind". Anything else is refused. */
    static final Map<String, Class<?>> TYPES = types();

    /** Kinds without a Java model here, checked structurally ({@link PodMonitors}, {@link PrometheusRules}). */
    static final String POD_MONITOR = "monitoring.coreos.com/v1/PodMonitor";
    static final String PROMETHEUS_RULE = "monitoring.coreos.com/v1/PrometheusRule";

    private static final YAMLMapper STRICT = strictMapper();

    private Manifests() {
    }

    /**
     * One document of a manifest file or of a {@code kubectl kustomize} output.
     *
     * @param source where it came from, for messages ("deploy/base/kafka.yaml#2")
     * @param tree   the document as parsed
     * @param model  the typed model instance (Strimzi or fabric8), or the tree for PodMonitor and PrometheusRule
     */
    record Manifest(String source, String apiVersion, String kind, String name, JsonNode tree, Object model) {

        String key() {
            return kind + "/" + name;
        }

        boolean isWorkload() {
            return model instanceof Deployment || model instanceof StatefulSet;
        }

        @Override
        public String toString() {
            return kind + " " + name + " (" + source + ")";
        }
    }

    static YAMLMapper mapper() {
        return STRICT;
    }

    /** Every non-empty document of a YAML stream, as trees (duplicate keys refused). */
    static List<JsonNode> documents(String yaml, String source) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator = STRICT.readerFor(JsonNode.class).readValues(yaml)) {
            while (iterator.hasNext()) {
                JsonNode document = iterator.next();
                if (document != null && !document.isNull() && !document.isMissingNode() && !(document.isObject() && document.isEmpty())) {
                    documents.add(document);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new AssertionError(source + ": not valid YAML: " + e.getMessage(), e);
        }
        return documents;
    }

    static List<Manifest> parseFile(Path file) {
        try {
            return parse(Files.readString(file), Repository.relative(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses every document of a stream into its typed model; fails with the source, the document and the reason. */
    static List<Manifest> parse(String yaml, String source) {
        List<Manifest> manifests = new ArrayList<>();
        int index = 0;
        for (JsonNode document : documents(yaml, source)) {
            index++;
            manifests.add(parseDocument(document, source + "#" + index));
        }
        return manifests;
    }

    static Manifest parseDocument(JsonNode document, String source) {
        if (!document.isObject()) {
            throw new AssertionError(source + ": a manifest must be a mapping, found " + document.getNodeType());
        }
        String apiVersion = document.path("apiVersion").asText("");
        String kind = document.path("kind").asText("");
        String name = document.path("metadata").path("name").asText("");
        if (apiVersion.isEmpty() || kind.isEmpty() || name.isEmpty()) {
            throw new AssertionError(source + ": apiVersion, kind and metadata.name are required (found '" + apiVersion + "', '" + kind + "', '" + name + "')");
        }
        String type = apiVersion + "/" + kind;
        String where = source + " (" + kind + " " + name + ")";
        if (type.equals(POD_MONITOR)) {
            PodMonitors.check(document, where);
            return new Manifest(source, apiVersion, kind, name, document, document);
        }
        if (type.equals(PROMETHEUS_RULE)) {
            PrometheusRules.check(document, where);
            return new Manifest(source, apiVersion, kind, name, document, document);
        }
        Class<?> model = TYPES.get(type);
        if (model == null) {
            throw new AssertionError(where + ": no typed model for apiVersion " + apiVersion + " kind " + kind
                    + "; known: " + new TreeSet<>(TYPES.keySet()) + ", " + POD_MONITOR + " and " + PROMETHEUS_RULE);
        }
        return new Manifest(source, apiVersion, kind, name, document, read(document, model, where));
    }

    /** Reads a tree into a model class strictly, failing with the path of the offending key. */
    static <T> T read(JsonNode tree, Class<T> type, String where) {
        try {
            return STRICT.treeToValue(tree, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new AssertionError(where + ": does not match " + type.getName() + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** The keys of an object node, for structural checks. */
    static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            keys.add(names.next());
        }
        return keys;
    }

    private static Map<String, Class<?>> types() {
        Map<String, Class<?>> types = new LinkedHashMap<>();
        // Strimzi 0.49 serves kafka.strimzi.io/v1 (v1beta2 is deprecated); the generated resources use v1 too.
        types.put("kafka.strimzi.io/v1/Kafka", Kafka.class);
        types.put("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class);
        types.put("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class);
        types.put("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class);
        types.put("v1/Namespace", Namespace.class);
        types.put("v1/Service", Service.class);
        types.put("v1/Secret", Secret.class);
        types.put("v1/ConfigMap", ConfigMap.class);
        types.put("apps/v1/Deployment", Deployment.class);
        types.put("apps/v1/StatefulSet", StatefulSet.class);
        types.put("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);
        types.put("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);
        return Map.copyOf(types);
    }

    private static YAMLMapper strictMapper() {
        SimpleModule strict = new SimpleModule("strict-manifests");
        strict.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description, BeanDeserializerBuilder builder) {
                // Both models collect unknown keys with an any-setter; without it, an unknown key is an error.
                builder.setAnySetter(null);
                builder.setIgnoreUnknownProperties(false);
                return builder;
            }
        });
        YAMLMapper mapper = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        mapper.registerModule(strict);
        return mapper;
    }

    /** Structural check of a Prometheus Operator PodMonitor (no Java model of it here). */
    static final class PodMonitors {

        private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
        private static final Set<String> SPEC = Set.of("jobLabel", "podTargetLabels", "podMetricsEndpoints", "selector", "namespaceSelector",
                "sampleLimit", "targetLimit", "labelLimit", "labelNameLengthLimit", "labelValueLengthLimit", "keepDroppedTargets",
                "attachMetadata", "scrapeClass", "scrapeProtocols", "bodySizeLimit", "selectorMechanism");
        private static final Set<String> ENDPOINT = Set.of("port", "portNumber", "targetPort", "path", "scheme", "params", "interval",
                "scrapeTimeout", "honorLabels", "honorTimestamps", "trackTimestampsStaleness", "metricRelabelings", "relabelings",
                "proxyUrl", "followRedirects", "enableHttp2", "filterRunning", "basicAuth", "oauth2", "authorization", "tlsConfig",
                "bearerTokenSecret");

        private PodMonitors() {
        }

        static void check(JsonNode document, String where) {
            unknown(document, TOP, where);
            read(document.path("metadata"), ObjectMeta.class, where + " metadata");
            JsonNode spec = document.path("spec");
            if (!spec.isObject()) {
                throw new AssertionError(where + ": spec is required");
            }
            unknown(spec, SPEC, where + " spec");
            if (!spec.path("selector").isObject()) {
                throw new AssertionError(where + ": spec.selector is required");
            }
            read(spec.path("selector"), LabelSelector.class, where + " spec.selector");
            JsonNode endpoints = spec.path("podMetricsEndpoints");
            if (!endpoints.isArray() || endpoints.isEmpty()) {
                throw new AssertionError(where + ": spec.podMetricsEndpoints needs at least one endpoint");
            }
            for (JsonNode endpoint : endpoints) {
                unknown(endpoint, ENDPOINT, where + " spec.podMetricsEndpoints[]");
                if (!endpoint.hasNonNull("port") && !endpoint.hasNonNull("portNumber")) {
                    throw new AssertionError(where + ": each podMetricsEndpoint needs port (a container port name) or portNumber");
                }
                if (!endpoint.path("path").asText("/").startsWith("/")) {
                    throw new AssertionError(where + ": podMetricsEndpoint path must start with /");
                }
            }
        }

        private static void unknown(JsonNode node, Set<String> allowed, String where) {
            Set<String> unknown = keys(node);
            unknown.removeAll(allowed);
            if (!unknown.isEmpty()) {
                throw new AssertionError(where + ": unknown keys " + unknown + " (known: " + new TreeSet<>(allowed) + ")");
            }
        }
    }

    /**
     * Structural check of a Prometheus Operator PrometheusRule (no Java model of it here): the keys of the CRD's
     * RuleGroup and Rule only, a name per group, unique group names, each rule an alert or a recording rule with an
     * expression, Prometheus durations, and string labels and annotations. The expressions themselves are PromQL, which
     * promtool checks in the rules file they are generated from (local-run's AlertRulesTest).
     */
    static final class PrometheusRules {

        private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
        private static final Set<String> SPEC = Set.of("groups");
        private static final Set<String> GROUP = Set.of("name", "labels", "interval", "query_offset", "rules", "partial_response_strategy", "limit");
        private static final Set<String> ALERT = Set.of("alert", "expr", "for", "keep_firing_for", "labels", "annotations");
        private static final Set<String> RECORD = Set.of("record", "expr", "labels");
        /** Prometheus' duration: units from largest to smallest, each at most once (model.ParseDuration). */
        private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile(
                "0|(?:[0-9]+y)?(?:[0-9]+w)?(?:[0-9]+d)?(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?(?:[0-9]+ms)?");

        private PrometheusRules() {
        }

        static void check(JsonNode document, String where) {
            PodMonitors.unknown(document, TOP, where);
            read(document.path("metadata"), ObjectMeta.class, where + " metadata");
            JsonNode spec = document.path("spec");
            if (!spec.isObject()) {
                throw new AssertionError(where + ": spec is required");
            }
            PodMonitors.unknown(spec, SPEC, where + " spec");
            JsonNode groups = spec.path("groups");
            if (!groups.isArray() || groups.isEmpty()) {
                throw new AssertionError(where + ": spec.groups needs at least one group");
            }
            Set<String> names = new TreeSet<>();
            for (JsonNode group : groups) {
                String name = group.path("name").asText("");
                String at = where + " group '" + name + "'";
                PodMonitors.unknown(group, GROUP, at);
                if (name.isEmpty() || !names.add(name)) {
                    throw new AssertionError(at + ": every group needs a name of its own");
                }
                duration(group, "interval", at);
                duration(group, "query_offset", at);
                strings(group.path("labels"), at + " labels");
                JsonNode rules = group.path("rules");
                if (!rules.isArray() || rules.isEmpty()) {
                    throw new AssertionError(at + ": rules needs at least one rule");
                }
                for (JsonNode rule : rules) {
                    boolean alert = rule.has("alert");
                    if (alert == rule.has("record")) {
                        throw new AssertionError(at + ": a rule is either an alert or a record: " + rule);
                    }
                    String ruleAt = at + (alert ? " alert " + rule.path("alert").asText() : " record " + rule.path("record").asText());
                    PodMonitors.unknown(rule, alert ? ALERT : RECORD, ruleAt);
                    if (!(rule.path("expr").isTextual() || rule.path("expr").isNumber()) || rule.path("expr").asText().isBlank()) {
                        throw new AssertionError(ruleAt + ": expr is required (a PromQL expression)");
                    }
                    duration(rule, "for", ruleAt);
                    duration(rule, "keep_firing_for", ruleAt);
                    strings(rule.path("labels"), ruleAt + " labels");
                    strings(rule.path("annotations"), ruleAt + " annotations");
                }
            }
        }

        private static void duration(JsonNode node, String key, String where) {
            if (node.has(key) && !(node.path(key).isTextual() && DURATION.matcher(node.path(key).asText()).matches()
                    && !node.path(key).asText().isEmpty())) {
                throw new AssertionError(where + ": " + key + " must be a Prometheus duration (like 5m or 1h30m), found " + node.path(key));
            }
        }

        private static void strings(JsonNode map, String where) {
            if (map.isMissingNode()) {
                return;
            }
            if (!map.isObject()) {
                throw new AssertionError(where + ": must be a mapping of names to strings");
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = map.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getValue().isTextual()) {
                    throw new AssertionError(where + ": " + field.getKey() + " must be a string, found " + field.getValue());
                }
            }
        }
    }
}
