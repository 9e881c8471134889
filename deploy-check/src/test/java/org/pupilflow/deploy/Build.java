package org.pupilflow.deploy;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.pupilflow.deploy.Manifests.Manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * The resources an overlay deploys, with the ConfigMaps and Secrets it declares: either what {@code kubectl kustomize}
 * printed, or — always available — assembled from the files by the rules Kustomize applies here: the resources of the
 * overlay and its base, the patches merged in (by name for containers, env, volumes and mounts; lists of custom
 * resources replaced), the replica counts, and the generators' ConfigMaps and Secrets by name and keys.
 */
final class Build {

    /** Strategic-merge keys of the list fields the patches here touch (built-in kinds only). */
    private static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name", "env", "name",
            "volumes", "name", "volumeMounts", "mountPath", "ports", "containerPort");

    private final String label;
    private final List<Manifest> resources;
    private final Map<String, Set<String>> secrets;
    private final Map<String, Set<String>> configMaps;

    private Build(String label, List<Manifest> resources, Map<String, Set<String>> generatedSecrets, Map<String, Set<String>> generatedConfigMaps) {
        this.label = label;
        this.resources = List.copyOf(resources);
        this.secrets = new LinkedHashMap<>(generatedSecrets);
        this.configMaps = new LinkedHashMap<>(generatedConfigMaps);
        for (Manifest manifest : resources) {
            if (manifest.model() instanceof Secret secret) {
                Set<String> keys = new LinkedHashSet<>();
                if (secret.getData() != null) {
                    keys.addAll(secret.getData().keySet());
                }
                if (secret.getStringData() != null) {
                    keys.addAll(secret.getStringData().keySet());
                }
                secrets.put(manifest.name(), keys);
            } else if (manifest.model() instanceof ConfigMap configMap) {
                Set<String> keys = new LinkedHashSet<>();
                if (configMap.getData() != null) {
                    keys.addAll(configMap.getData().keySet());
                }
                if (configMap.getBinaryData() != null) {
                    keys.addAll(configMap.getBinaryData().keySet());
                }
                configMaps.put(manifest.name(), keys);
            }
        }
    }

    /** What {@code kubectl kustomize} printed for an overlay. */
    static Build ofKustomizeOutput(String label, String yaml) {
        return new Build(label, Manifests.parse(yaml, label), Map.of(), Map.of());
    }

    /** The overlay assembled from its files (no kubectl needed). */
    static Build ofOverlay(String overlay) {
        Kustomization root = Kustomization.load(Repository.overlay(overlay));
        Map<String, Manifest> byKey = new LinkedHashMap<>();
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        Map<String, Set<String>> configMaps = new LinkedHashMap<>();
        for (Kustomization kustomization : root.closure()) {
            for (Path file : kustomization.resourceFiles()) {
                for (Manifest manifest : Manifests.parseFile(file)) {
                    if (byKey.putIfAbsent(manifest.key(), manifest) != null) {
                        throw new AssertionError("overlay " + overlay + ": " + manifest.key() + " twice (" + byKey.get(manifest.key()).source()
                                + ", " + manifest.source() + ")");
                    }
                }
            }
            for (Path file : kustomization.patches()) {
                for (Manifest patch : Manifests.parseFile(file)) {
                    Manifest target = byKey.get(patch.key());
                    if (target == null) {
                        throw new AssertionError(patch.source() + ": patches " + patch.key() + ", which overlay " + overlay + " does not have");
                    }
                    JsonNode merged = merge(target.tree().deepCopy(), patch.tree(), isBuiltIn(target.apiVersion()));
                    byKey.put(patch.key(), Manifests.parseDocument(merged, target.source() + " + " + patch.source()));
                }
            }
            kustomization.replicas().forEach((name, count) -> {
                List<String> keys = byKey.keySet().stream().filter(k -> k.equals("Deployment/" + name) || k.equals("StatefulSet/" + name)).toList();
                if (keys.isEmpty()) {
                    throw new AssertionError(Repository.relative(kustomization.dir()) + ": replicas for " + name + ", which is no workload of the overlay");
                }
                for (String key : keys) {
                    Manifest workload = byKey.get(key);
                    ObjectNode tree = workload.tree().deepCopy();
                    ((ObjectNode) tree.path("spec")).put("replicas", count);
                    byKey.put(key, Manifests.parseDocument(tree, workload.source() + " + replicas"));
                }
            });
            for (Kustomization.Generator generator : kustomization.generators()) {
                (generator.secret() ? secrets : configMaps).put(generator.name(), generator.keys());
            }
        }
        return new Build("overlay " + overlay + " (from its files)", List.copyOf(byKey.values()), secrets, configMaps);
    }

    String label() {
        return label;
    }

    List<Manifest> resources() {
        return resources;
    }

    List<Manifest> ofKind(String kind) {
        return resources.stream().filter(m -> m.kind().equals(kind)).toList();
    }

    List<Manifest> workloads() {
        return resources.stream().filter(Manifest::isWorkload).toList();
    }

    Optional<Manifest> find(String kind, String name) {
        return resources.stream().filter(m -> m.kind().equals(kind) && m.name().equals(name)).findFirst();
    }

    /** Declared Secrets (resources and generators) by name, with their keys. */
    Map<String, Set<String>> secrets() {
        return secrets;
    }

    /** Declared ConfigMaps (resources and generators) by name, with their keys. */
    Map<String, Set<String>> configMaps() {
        return configMaps;
    }

    /**
     * A patch merged into a resource: maps merge; for built-in kinds, lists with a merge key merge by it (as Kustomize's
     * strategic merge does), other lists — and every list of a custom resource — are replaced; null deletes.
     */
    static JsonNode merge(JsonNode target, JsonNode patch, boolean builtIn) {
        if (!(target instanceof ObjectNode object) || !patch.isObject()) {
            return patch.deepCopy();
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode current = object.get(field.getKey());
            JsonNode value = field.getValue();
            if (value.isNull()) {
                object.remove(field.getKey());
            } else if (current != null && current.isObject() && value.isObject()) {
                object.set(field.getKey(), merge(current, value, builtIn));
            } else if (builtIn && current != null && current.isArray() && value.isArray() && MERGE_KEYS.containsKey(field.getKey())) {
                object.set(field.getKey(), mergeList((ArrayNode) current, (ArrayNode) value, MERGE_KEYS.get(field.getKey())));
            } else {
                object.set(field.getKey(), value.deepCopy());
            }
        }
        return object;
    }

    private static ArrayNode mergeList(ArrayNode current, ArrayNode patch, String key) {
        ArrayNode merged = current.deepCopy();
        for (JsonNode item : patch) {
            JsonNode match = null;
            for (JsonNode existing : merged) {
                if (existing.path(key).equals(item.path(key))) {
                    match = existing;
                }
            }
            if (match == null) {
                merged.add(item.deepCopy());
            } else {
                merge(match, item, true);
            }
        }
        return merged;
    }

    /** A Kubernetes kind (strategic merge) rather than a custom resource (merge patch: lists replaced). */
    static boolean isBuiltIn(String apiVersion) {
        return !apiVersion.contains(".") || apiVersion.contains(".k8s.io/");
    }

    @Override
    public String toString() {
        return label;
    }
}
