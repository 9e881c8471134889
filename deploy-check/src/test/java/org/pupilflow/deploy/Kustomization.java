package org.pupilflow.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A kustomization.yaml read as a plain map: what it includes and generates. Only the fields this deployment uses are
 * accepted (Kustomize itself refuses unknown fields), and every file it names must exist.
 *
 * @param dir        the directory of the kustomization
 * @param resources  files and directories (other kustomizations) it includes
 * @param patches    patch files
 * @param replicas   replica counts it sets, by workload name
 * @param generators the ConfigMaps and Secrets it generates
 */
record Kustomization(Path dir, List<Path> resources, List<Path> patches, Map<String, Integer> replicas, List<Generator> generators) {

    static final Set<String> FIELDS = Set.of("apiVersion", "kind", "metadata", "namespace", "resources", "patches", "replicas",
            "configMapGenerator", "secretGenerator", "generatorOptions", "images", "labels", "components");

    /**
     * A configMapGenerator or secretGenerator entry.
     *
     * @param secret  a Secret (else a ConfigMap)
     * @param name    the name before Kustomize appends the content hash
     * @param keys    the keys of the data it generates
     * @param sources the files it reads, each with whether it may be missing because it holds secret values that are never
     *                committed (then its {@code .example} template must exist, and gives the keys)
     */
    record Generator(boolean secret, String name, Set<String> keys, List<Path> sources) {
    }

    static Kustomization load(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        String where = Repository.relative(file);
        JsonNode root;
        try {
            List<JsonNode> documents = Manifests.documents(Files.readString(file), where);
            if (documents.size() != 1) {
                throw new AssertionError(where + ": expected one YAML document, found " + documents.size());
            }
            root = documents.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> unknown = Manifests.keys(root);
        unknown.removeAll(FIELDS);
        if (!unknown.isEmpty()) {
            throw new AssertionError(where + ": fields Kustomize would refuse or this check does not know: " + unknown);
        }
        if (!root.path("apiVersion").asText().equals("kustomize.config.k8s.io/v1beta1") || !root.path("kind").asText().equals("Kustomization")) {
            throw new AssertionError(where + ": apiVersion kustomize.config.k8s.io/v1beta1 and kind Kustomization expected");
        }
        List<Path> resources = new ArrayList<>();
        for (JsonNode entry : root.path("resources")) {
            Path resource = dir.resolve(entry.asText()).normalize();
            if (!(Files.isRegularFile(resource) || Files.isRegularFile(resource.resolve("kustomization.yaml")))) {
                throw new AssertionError(where + ": resource " + entry.asText() + " is neither a file nor a directory with a kustomization.yaml");
            }
            resources.add(resource);
        }
        List<Path> patches = new ArrayList<>();
        for (JsonNode entry : root.path("patches")) {
            if (!entry.hasNonNull("path")) {
                throw new AssertionError(where + ": only patches from files (path:) are used here: " + entry);
            }
            Path patch = dir.resolve(entry.path("path").asText()).normalize();
            if (!Files.isRegularFile(patch)) {
                throw new AssertionError(where + ": patch " + entry.path("path").asText() + " does not exist");
            }
            patches.add(patch);
        }
        Map<String, Integer> replicas = new LinkedHashMap<>();
        for (JsonNode entry : root.path("replicas")) {
            replicas.put(entry.path("name").asText(), entry.path("count").asInt(-1));
        }
        List<Generator> generators = new ArrayList<>();
        for (JsonNode entry : root.path("configMapGenerator")) {
            generators.add(generator(dir, entry, false, where));
        }
        for (JsonNode entry : root.path("secretGenerator")) {
            generators.add(generator(dir, entry, true, where));
        }
        return new Kustomization(dir, List.copyOf(resources), List.copyOf(patches), Map.copyOf(replicas), List.copyOf(generators));
    }

    /** This kustomization and every one it includes, depth first, the base first. */
    List<Kustomization> closure() {
        List<Kustomization> all = new ArrayList<>();
        for (Path resource : resources) {
            if (Files.isDirectory(resource)) {
                all.addAll(load(resource).closure());
            }
        }
        all.add(this);
        return all;
    }

    /** The manifest files this kustomization includes itself (not through another kustomization). */
    List<Path> resourceFiles() {
        return resources.stream().filter(Files::isRegularFile).toList();
    }

    /** The generator of the given name in this kustomization or one it includes. */
    Generator generator(String name) {
        return closure().stream().flatMap(k -> k.generators().stream()).filter(g -> g.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(Repository.relative(dir) + ": no generator named " + name));
    }

    private static Generator generator(Path dir, JsonNode entry, boolean secret, String where) {
        Set<String> known = Set.of("name", "files", "literals", "envs", "type", "behavior", "options");
        Set<String> unknown = Manifests.keys(entry);
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new AssertionError(where + ": unknown generator fields " + unknown);
        }
        String name = entry.path("name").asText();
        Set<String> keys = new LinkedHashSet<>();
        List<Path> sources = new ArrayList<>();
        for (JsonNode literal : entry.path("literals")) {
            keys.add(literal.asText().substring(0, literal.asText().indexOf('=')));
        }
        for (JsonNode fileEntry : entry.path("files")) {
            String text = fileEntry.asText();
            int eq = text.indexOf('=');
            Path source = dir.resolve(eq < 0 ? text : text.substring(eq + 1)).normalize();
            keys.add(eq < 0 ? source.getFileName().toString() : text.substring(0, eq));
            sources.add(existingOrExample(source, secret, where));
        }
        for (JsonNode env : entry.path("envs")) {
            Path source = existingOrExample(dir.resolve(env.asText()).normalize(), secret, where);
            sources.add(source);
            try {
                for (String line : Files.readAllLines(source)) {
                    String trimmed = line.strip();
                    if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                        keys.add(trimmed.substring(0, trimmed.contains("=") ? trimmed.indexOf('=') : trimmed.length()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Generator(secret, name, Set.copyOf(keys), List.copyOf(sources));
    }

    /**
     * A generator's source file; a Secret's may be absent from the repository (its values are never committed), and
     * then its {@code <file>.example} template must be there instead.
     */
    private static Path existingOrExample(Path source, boolean secret, String where) {
        if (Files.isRegularFile(source)) {
            return source;
        }
        Path example = source.resolveSibling(source.getFileName() + ".example");
        if (secret && Files.isRegularFile(example)) {
            return example;
        }
        throw new AssertionError(where + ": generator source " + Repository.relative(source) + " does not exist"
                + (secret ? " (nor its template " + example.getFileName() + ")" : ""));
    }
}
