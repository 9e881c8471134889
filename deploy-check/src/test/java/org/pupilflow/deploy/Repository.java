package org.pupilflow.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where things are: the repository root (the parent of this module), {@code deploy/}, the overlays, the services. */
final class Repository {

    /** The Spring Boot services the manifests deploy: module directory = workload name = Kafka principal. */
    static final List<String> SERVICES = List.of("census-ingest", "sharing-router", "recipient-adapters", "audit-service");

    private static final Path ROOT = locateRoot();

    private Repository() {
    }

    static Path root() {
        return ROOT;
    }

    static Path deploy() {
        return ROOT.resolve("deploy");
    }

    static Path overlay(String name) {
        return deploy().resolve("overlays").resolve(name);
    }

    /** Every overlay: a directory under deploy/overlays with a kustomization.yaml. */
    static List<String> overlays() {
        try (Stream<Path> dirs = Files.list(deploy().resolve("overlays"))) {
            return dirs.filter(dir -> Files.isRegularFile(dir.resolve("kustomization.yaml"))).map(dir -> dir.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path module(String name) {
        return ROOT.resolve(name);
    }

    /** The repository-relative form of a path, for messages. */
    static String relative(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(ROOT) ? ROOT.relativize(absolute).toString() : absolute.toString();
    }

    private static Path locateRoot() {
        // Surefire runs in the module directory; an IDE may run in the root.
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve("deploy")) && Files.isRegularFile(candidate.resolve("deploy-check/pom.xml"))) {
                return candidate.normalize();
            }
        }
        throw new IllegalStateException("No repository root (with deploy/ and deploy-check/) above " + dir);
    }
}
