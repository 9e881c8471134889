package org.pupilflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pupilflow.deploy.Manifests.Manifest;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;

/**
 * Where kubectl is installed (it is not needed anywhere else: every other test reads the files), each overlay is built
 * with {@code kubectl kustomize} — offline, no cluster — and its output must pass the same typed parse and the same
 * checks, and agree with the build assembled from the files. The production overlay's secret files are never in the
 * repository, so it is built from a copy of deploy/ with the {@code .example} templates in their place.
 */
class KustomizeBuildTest {

    @TempDir
    static Path copy;

    @BeforeAll
    static void copyDeployWithSecretTemplates() throws IOException {
        Path source = Repository.deploy();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve("deploy").resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                    String name = file.getFileName().toString();
                    Path filled = target.resolveSibling(name.replaceFirst("\\.example$", ""));
                    // A template stands in for its secret file, unless that file exists (then it is copied itself).
                    if (name.endsWith(".example") && !Files.exists(file.resolveSibling(filled.getFileName()))) {
                        Files.copy(file, filled);
                    }
                }
            }
        }
    }

    static List<String> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void kubectlKustomizeBuildsTheOverlayAndItPassesTheSameChecks(String overlay) {
        assumeTrue(kubectlAvailable(), "kubectl is not on the PATH: the model-based checks (OverlayTest, GeneratedResourcesTest) still run");

        String output = kustomize(copy.resolve("deploy/overlays").resolve(overlay));
        Build built = Build.ofKustomizeOutput("kubectl kustomize deploy/overlays/" + overlay, output);

        List<String> problems = new ArrayList<>(OverlayTest.wiring(built));
        problems.addAll(GeneratedResourcesTest.topicProblems(built, overlay));
        problems.addAll(GeneratedResourcesTest.userProblems(built, overlay));
        assertThat(problems).isEmpty();
        assertThat(built.resources()).allSatisfy(resource -> assertThat(resource.tree().path("metadata").path("namespace").asText("pupilflow"))
                .as(resource + " namespace").isEqualTo("pupilflow"));
    }

    /** The build assembled from the files (which the other tests check) is what Kustomize builds. */
    @ParameterizedTest
    @MethodSource("overlays")
    void theBuildFromTheFilesAgreesWithKustomize(String overlay) {
        assumeTrue(kubectlAvailable(), "kubectl is not on the PATH");

        Build built = Build.ofKustomizeOutput("kubectl kustomize deploy/overlays/" + overlay, kustomize(copy.resolve("deploy/overlays").resolve(overlay)));
        Build assembled = Build.ofOverlay(overlay);
        Set<String> generated = new TreeSet<>();
        Kustomization.load(Repository.overlay(overlay)).closure().forEach(k -> k.generators().forEach(g -> generated.add(g.name())));

        Map<String, String> fromFiles = summary(assembled, Set.of());
        Map<String, String> fromKustomize = summary(built, generated);
        List<String> differences = new ArrayList<>();
        for (String key : new TreeSet<>(union(fromFiles.keySet(), fromKustomize.keySet()))) {
            if (!Objects.equals(fromFiles.get(key), fromKustomize.get(key))) {
                differences.add(key + "\n    from the files: " + fromFiles.get(key) + "\n    kustomize:      " + fromKustomize.get(key));
            }
        }
        assertThat(differences).as("the build assembled by Build.ofOverlay differs from kubectl kustomize (fix Build)").isEmpty();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** What the checks depend on, with Kustomize's name hashes removed. */
    private static Map<String, String> summary(Build build, Set<String> generated) {
        Map<String, String> summary = new TreeMap<>();
        for (Manifest resource : build.resources()) {
            String key = resource.kind() + "/" + unhashed(resource.name(), generated);
            if (resource.isWorkload()) {
                var pod = DeploymentChecks.template(resource).getSpec();
                List<String> containers = new ArrayList<>();
                for (Container container : DeploymentChecks.containers(pod)) {
                    containers.add(container.getName() + " env=" + (container.getEnv() == null ? List.of()
                            : container.getEnv().stream().map(EnvVar::getName).sorted().toList())
                            + " mounts=" + (container.getVolumeMounts() == null ? List.of()
                            : container.getVolumeMounts().stream().map(m -> m.getName() + ":" + m.getMountPath()).sorted().toList())
                            + " requests=" + new TreeMap<>(container.getResources().getRequests()) + " limits="
                            + new TreeMap<>(container.getResources().getLimits()));
                }
                summary.put(key, "replicas=" + DeploymentChecks.replicas(resource) + " " + containers + " volumes="
                        + (pod.getVolumes() == null ? List.of() : pod.getVolumes().stream().map(Volume::getName).sorted().toList()));
            } else if (resource.model() instanceof Kafka kafka) {
                summary.put(key, "config=" + new TreeMap<>(kafka.getSpec().getKafka().getConfig()));
            } else if (resource.model() instanceof KafkaNodePool pool) {
                summary.put(key, "replicas=" + pool.getSpec().getReplicas() + " roles=" + pool.getSpec().getRoles() + " storage=" + pool.getSpec().getStorage());
            } else {
                summary.put(key, "");
            }
        }
        build.secrets().forEach((name, keys) -> summary.put("Secret/" + unhashed(name, generated), "keys=" + new TreeSet<>(keys)));
        build.configMaps().forEach((name, keys) -> summary.put("ConfigMap/" + unhashed(name, generated), "keys=" + new TreeSet<>(keys)));
        return summary;
    }

    /** A generated name without Kustomize's "-<10 characters>" content hash. */
    private static String unhashed(String name, Set<String> generated) {
        for (String base : generated) {
            if (name.length() == base.length() + 11 && name.startsWith(base + "-")) {
                return base;
            }
        }
        return name;
    }

    static boolean kubectlAvailable() {
        try {
            Process process = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String kustomize(Path overlay) {
        try {
            Path errors = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder("kubectl", "kustomize", overlay.toString()).redirectError(errors.toFile()).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + overlay + " did not finish in 60 s");
            }
            String stderr = Files.readString(errors);
            Files.delete(errors);
            assertThat(process.exitValue()).as("kubectl kustomize " + overlay + ":\n" + stderr).isZero();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
