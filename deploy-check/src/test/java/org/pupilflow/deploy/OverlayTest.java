package org.pupilflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pupilflow.deploy.Manifests.Manifest;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;

import io.fabric8.kubernetes.api.model.Secret;

/**
 * Each overlay, assembled from its files (no kubectl needed), wires the services as they expect: probes and ports as in
 * their application.yml, every variable a real property, every Secret and ConfigMap declared or made by Strimzi, each
 * service its own Kafka principal over the TLS listener, replication that fits the brokers, the router within its
 * partitions, and selectors that select.
 */
class OverlayTest {

    private static final Map<String, ServiceConfiguration> CONFIGURATIONS = new TreeMap<>();

    static synchronized ServiceConfiguration configuration(String service) {
        return CONFIGURATIONS.computeIfAbsent(service, ServiceConfiguration::of);
    }

    static List<String> overlays() {
        return Repository.overlays();
    }

    /** Every service workload under deploy/ — whole, or a patch of one — sets only variables its service reads. */
    @Test
    void everyVariableInEveryManifestSetsAPropertyOfItsService() throws IOException {
        List<String> problems = new ArrayList<>();
        int variables = 0;
        for (Path file : ManifestFilesTest.yamlFiles()) {
            if (file.getFileName().toString().equals("kustomization.yaml") || ManifestFilesTest.policyFiles().contains(file)) {
                continue;
            }
            for (Manifest manifest : Manifests.parseFile(file)) {
                if (DeploymentChecks.isService(manifest)) {
                    problems.addAll(DeploymentChecks.environment(manifest, configuration(manifest.name())));
                    variables += DeploymentChecks.serviceContainer(manifest).map(c -> c.getEnv() == null ? 0 : c.getEnv().size()).orElse(0);
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(variables).isGreaterThan(40);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theServicesAreWiredAsTheirConfigurationExpects(String overlay) {
        assertThat(wiring(Build.ofOverlay(overlay))).isEmpty();
    }

    /**
     * recipient-adapters refuses to start unless every webhook and file-drop recipient of the policy has its target, and
     * no other recipient has one: the deliveries.properties of each overlay (the dev Secret, production's template) must
     * configure exactly those recipients, with keys AdaptersProperties has.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void theDeliveriesConfigureExactlyThePolicysDeliveredRecipients(String overlay) throws IOException {
        SharingPolicy policy = new PolicyLoader().load(ManifestFilesTest.policyOf(overlay));
        Properties deliveries = deliveries(overlay);
        ServiceConfiguration adapters = configuration("recipient-adapters");
        String prefix = "pupilflow.adapters.recipients.";

        Set<String> configured = new TreeSet<>();
        for (String key : deliveries.stringPropertyNames()) {
            assertThat(key).as(overlay + " deliveries.properties").startsWith(prefix);
            String id = key.substring(prefix.length(), key.indexOf('.', prefix.length()));
            configured.add(id);
            assertThat(adapters.properties()).as(overlay + " deliveries.properties: " + key + " is no property of recipient-adapters")
                    .contains(prefix + "*" + key.substring(prefix.length() + id.length()));
        }
        Map<String, String> delivered = new TreeMap<>();
        policy.recipients().stream().filter(rule -> !rule.readFromKafka()).forEach(rule -> delivered.put(rule.id(), rule.channel()));
        assertThat(configured).as(overlay + ": recipients in deliveries.properties; the policy delivers " + delivered).isEqualTo(delivered.keySet());
        delivered.forEach((id, channel) -> {
            if (channel.equals("webhook")) {
                assertThat(deliveries.stringPropertyNames()).as(overlay + ": webhook recipient " + id)
                        .contains(prefix + id + ".webhook.url", prefix + id + ".webhook.secret");
            } else {
                assertThat(deliveries.stringPropertyNames().stream().anyMatch(k -> k.startsWith(prefix + id + ".file-drop.directory")
                        || k.startsWith(prefix + id + ".file-drop.sftp.host"))).as(overlay + ": file-drop recipient " + id + " needs a directory or an SFTP host").isTrue();
            }
        });
    }

    /** The deliveries.properties of an overlay: its Secret's value, or the file (or template) its generator reads. */
    static Properties deliveries(String overlay) throws IOException {
        Properties properties = new Properties();
        Build build = Build.ofOverlay(overlay);
        Optional<Manifest> secret = build.find("Secret", "recipient-adapters-deliveries");
        if (secret.isPresent()) {
            properties.load(new StringReader(((Secret) secret.get().model()).getStringData().get("deliveries.properties")));
            return properties;
        }
        Kustomization.Generator generator = Kustomization.load(Repository.overlay(overlay)).generator("recipient-adapters-deliveries");
        Path file = generator.sources().stream().filter(f -> f.getFileName().toString().startsWith("deliveries.properties")).findFirst().orElseThrow();
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }

    /** The problems of a whole build, from the files or from kubectl kustomize. */
    static List<String> wiring(Build build) {
        List<String> problems = new ArrayList<>();
        for (Manifest workload : build.workloads()) {
            if (DeploymentChecks.isService(workload)) {
                problems.addAll(DeploymentChecks.environment(workload, configuration(workload.name())));
                problems.addAll(DeploymentChecks.serviceWorkload(workload, configuration(workload.name())));
            }
        }
        problems.addAll(DeploymentChecks.references(build));
        problems.addAll(DeploymentChecks.kafkaLogins(build));
        problems.addAll(DeploymentChecks.kafkaSizing(build));
        problems.addAll(DeploymentChecks.routerReplicas(build));
        problems.addAll(DeploymentChecks.selectors(build));
        return problems;
    }
}
