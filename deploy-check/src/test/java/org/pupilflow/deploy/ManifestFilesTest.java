package org.pupilflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.pupilflow.deploy.Manifests.Manifest;
import org.pupilflow.policy.load.PolicyLoader;

/**
 * Every YAML file under deploy/ is what it claims to be: each kustomization.yaml a Kustomization whose files exist; each
 * policy a sharing policy the loader accepts; every other document the typed model of its apiVersion and kind (Strimzi's,
 * fabric8's), strictly, so a misspelt key fails here rather than being ignored by the cluster.
 */
class ManifestFilesTest {

    @Test
    void everyYamlFileUnderDeployParsesIntoItsTypedModel() throws IOException {
        Set<Path> policies = policyFiles();
        List<String> problems = new ArrayList<>();
        int documents = 0;
        for (Path file : yamlFiles()) {
            try {
                if (file.getFileName().toString().equals("kustomization.yaml")) {
                    Kustomization.load(file.getParent());
                } else if (policies.contains(file)) {
                    new PolicyLoader().load(file);
                } else {
                    List<Manifest> manifests = Manifests.parseFile(file);
                    assertThat(manifests).as(Repository.relative(file) + " has no manifest").isNotEmpty();
                    documents += manifests.size();
                }
            } catch (AssertionError | RuntimeException e) {
                problems.add(e.getMessage());
            }
        }
        assertThat(problems).as("manifests that do not parse").isEmpty();
        assertThat(documents).isGreaterThan(40);
    }

    @Test
    void everyManifestFileIsPartOfAKustomization() throws IOException {
        Set<Path> used = new LinkedHashSet<>();
        for (Path kustomizationFile : yamlFiles().stream().filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList()) {
            Kustomization kustomization = Kustomization.load(kustomizationFile.getParent());
            used.add(kustomizationFile);
            used.addAll(kustomization.resourceFiles());
            used.addAll(kustomization.patches());
            kustomization.generators().forEach(g -> used.addAll(g.sources()));
        }
        List<String> orphans = yamlFiles().stream().filter(f -> !used.contains(f)).map(Repository::relative).toList();
        assertThat(orphans).as("YAML files under deploy/ that no kustomization uses").isEmpty();
    }

    @Test
    void everyOverlayBuildsFromItsFiles() {
        assertThat(Repository.overlays()).contains("production", "dev");
        for (String overlay : Repository.overlays()) {
            Build build = Build.ofOverlay(overlay);
            assertThat(build.ofKind("Kafka")).as(overlay).hasSize(1);
            assertThat(build.workloads()).as(overlay).isNotEmpty();
        }
    }

    /**
     * Kustomize reads no file outside an overlay, so each overlay carries a copy of its LA's policy: it must be the
     * policy of policies/ of the same name, unchanged (an LA whose policy is not in policies/ has no original to compare).
     */
    @Test
    void theOverlaysPolicyCopiesEqualTheirOriginals() throws IOException {
        for (String overlay : Repository.overlays()) {
            Path copy = policyOf(overlay);
            Path original = Repository.root().resolve("policies").resolve(copy.getFileName());
            if (Files.exists(original)) {
                assertThat(Files.readString(copy)).as(Repository.relative(copy) + " differs from " + Repository.relative(original)
                        + ": copy it again (cp " + Repository.relative(original) + " " + Repository.relative(copy) + ") and regenerate"
                        + " the overlay's generated/ files").isEqualTo(Files.readString(original));
            }
        }
    }

    @Test
    void noSecretValueOutsideTheDevelopmentOverlay() throws IOException {
        for (String overlay : Repository.overlays()) {
            Build build = Build.ofOverlay(overlay);
            boolean dev = overlay.equals("dev");
            for (Manifest secret : build.ofKind("Secret")) {
                assertThat(dev).as(secret + ": Secret values belong in files that are never committed (see the production overlay),"
                        + " except in the development overlay").isTrue();
                assertThat(Files.readString(Repository.root().resolve(secret.source().replaceFirst("#.*", "").replaceFirst(" \\+.*", ""))))
                        .as(secret + ": development secrets must be marked").contains("LOCAL DEVELOPMENT ONLY");
            }
        }
    }

    /** The policy file an overlay's ConfigMap pupilflow-policy is generated from. */
    static Path policyOf(String overlay) {
        Kustomization.Generator generator = Kustomization.load(Repository.overlay(overlay)).generator("pupilflow-policy");
        assertThat(generator.keys()).as(overlay + ": pupilflow-policy must have exactly the key policy.yaml").containsExactly("policy.yaml");
        assertThat(generator.sources()).hasSize(1);
        return generator.sources().get(0);
    }

    static Set<Path> policyFiles() {
        Set<Path> policies = new LinkedHashSet<>();
        for (String overlay : Repository.overlays()) {
            policies.add(policyOf(overlay));
        }
        return policies;
    }

    /**
     * Every YAML file of the Kustomize tree ({@code deploy/base} and {@code deploy/overlays}); {@code deploy/compose} and
     * {@code deploy/grafana} hold Docker Compose and Grafana files, which are not Kubernetes manifests.
     */
    static List<Path> yamlFiles() throws IOException {
        List<Path> yaml = new java.util.ArrayList<>();
        for (String tree : List.of("base", "overlays")) {
            try (Stream<Path> files = Files.walk(Repository.deploy().resolve(tree))) {
                files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                        .map(f -> f.toAbsolutePath().normalize()).forEach(yaml::add);
            }
        }
        return yaml.stream().sorted().toList();
    }
}
