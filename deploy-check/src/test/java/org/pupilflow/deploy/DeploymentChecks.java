package org.pupilflow.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.pupilflow.deploy.Manifests.Manifest;
import org.pupilflow.schemas.topics.BrokerIdentity;
import org.pupilflow.schemas.topics.Service;
import org.pupilflow.schemas.topics.TopicCatalog;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

/** The checks of a deployment, each returning the problems it finds (empty: fine), so a test can list all of them. */
final class DeploymentChecks {

    static final String LIVENESS = "/actuator/health/liveness";
    static final String READINESS = "/actuator/health/readiness";
    static final String METRICS = "/actuator/prometheus";

    private DeploymentChecks() {
    }

    // ---------------------------------------------------------------------------------------------- workloads

    static PodTemplateSpec template(Manifest workload) {
        if (workload.model() instanceof Deployment deployment) {
            return deployment.getSpec() == null ? null : deployment.getSpec().getTemplate();
        }
        if (workload.model() instanceof StatefulSet statefulSet) {
            return statefulSet.getSpec() == null ? null : statefulSet.getSpec().getTemplate();
        }
        throw new IllegalArgumentException(workload + " is not a workload");
    }

    static Integer replicas(Manifest workload) {
        return workload.model() instanceof Deployment deployment ? deployment.getSpec().getReplicas()
                : ((StatefulSet) workload.model()).getSpec().getReplicas();
    }

    static LabelSelector selector(Manifest workload) {
        return workload.model() instanceof Deployment deployment ? deployment.getSpec().getSelector()
                : ((StatefulSet) workload.model()).getSpec().getSelector();
    }

    static Map<String, String> podLabels(Manifest workload) {
        PodTemplateSpec template = template(workload);
        return template == null || template.getMetadata() == null || template.getMetadata().getLabels() == null ? Map.of()
                : template.getMetadata().getLabels();
    }

    static boolean isService(Manifest workload) {
        return workload.isWorkload() && Repository.SERVICES.contains(workload.name());
    }

    static List<Container> containers(PodSpec pod) {
        List<Container> all = new ArrayList<>();
        if (pod.getInitContainers() != null) {
            all.addAll(pod.getInitContainers());
        }
        if (pod.getContainers() != null) {
            all.addAll(pod.getContainers());
        }
        return all;
    }

    /** The service's own container in a workload (or a patch of one): named after the service. */
    static Optional<Container> serviceContainer(Manifest workload) {
        PodTemplateSpec template = template(workload);
        if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null) {
            return Optional.empty();
        }
        return template.getSpec().getContainers().stream().filter(c -> c.getName().equals(workload.name())).findFirst();
    }

    // ---------------------------------------------------------------------------------------------- environment

    /**
     * Every variable a service's container sets must set a configuration property of that service (or be a placeholder
     * of its application.yml, or the JVM's). Works on whole workloads and on patches of them.
     */
    static List<String> environment(Manifest workload, ServiceConfiguration configuration) {
        List<String> problems = new ArrayList<>();
        Optional<Container> container = serviceContainer(workload);
        if (container.isEmpty() || container.get().getEnv() == null) {
            return problems;
        }
        Set<String> seen = new TreeSet<>();
        for (EnvVar variable : container.get().getEnv()) {
            if (!seen.add(variable.getName())) {
                problems.add(workload + ": " + variable.getName() + " is set twice");
            }
            if (variable.getValue() != null && variable.getValueFrom() != null) {
                problems.add(workload + ": " + variable.getName() + " has both value and valueFrom");
            }
            if (configuration.propertyOf(variable.getName()).isEmpty()) {
                problems.add(workload + ": " + variable.getName() + " sets no configuration property of " + configuration.service()
                        + " (Spring Boot's relaxed binding maps it to none of the properties in its application.yml, its"
                        + " @ConfigurationProperties, or the Boot properties listed in ServiceConfiguration.BOOT)");
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------------------------------------- probes, security

    /** Probes, port, address, security context, resources and /tmp of a service workload (whole, not a patch). */
    static List<String> serviceWorkload(Manifest workload, ServiceConfiguration configuration) {
        List<String> problems = new ArrayList<>();
        Optional<Container> found = serviceContainer(workload);
        if (found.isEmpty()) {
            return List.of(workload + ": no container named " + workload.name());
        }
        Container container = found.get();
        PodSpec pod = template(workload).getSpec();
        JsonNode yml = configuration.applicationYml();
        int port = yml.path("server").path("port").asInt(-1);
        if (port < 0) {
            problems.add(configuration.service() + "/src/main/resources/application.yml: no server.port");
        }
        if (!yml.path("management").path("endpoint").path("health").path("probes").path("enabled").asBoolean(false)) {
            problems.add(configuration.service() + ": management.endpoint.health.probes.enabled is not true, so " + LIVENESS + " and "
                    + READINESS + " do not exist");
        }
        String exposed = yml.path("management").path("endpoints").path("web").path("exposure").path("include").asText("");
        for (String endpoint : List.of("health", "prometheus")) {
            if (!List.of(exposed.split("\\s*,\\s*")).contains(endpoint)) {
                problems.add(configuration.service() + ": management.endpoints.web.exposure.include lacks " + endpoint);
            }
        }
        if (yml.path("management").path("server").has("port")) {
            problems.add(configuration.service() + ": management.server.port is set; the probes here assume the actuator on server.port");
        }
        Integer http = container.getPorts() == null ? null : container.getPorts().stream().filter(p -> "http".equals(p.getName()))
                .map(p -> p.getContainerPort()).findFirst().orElse(null);
        if (!Objects.equals(http, port)) {
            problems.add(workload + ": container port 'http' is " + http + ", but " + configuration.service() + " listens on server.port " + port);
        }
        problems.addAll(probe(workload, "livenessProbe", container.getLivenessProbe(), LIVENESS, port));
        problems.addAll(probe(workload, "readinessProbe", container.getReadinessProbe(), READINESS, port));
        if (container.getStartupProbe() != null) {
            problems.addAll(probe(workload, "startupProbe", container.getStartupProbe(), LIVENESS, port));
        }
        EnvVar address = container.getEnv() == null ? null
                : container.getEnv().stream().filter(e -> e.getName().equals("SERVER_ADDRESS")).findFirst().orElse(null);
        if (address == null || !"0.0.0.0".equals(address.getValue())) {
            problems.add(workload + ": SERVER_ADDRESS must be 0.0.0.0 (application.yml binds to 127.0.0.1, which the kubelet's probes"
                    + " and the Service cannot reach)");
        }
        problems.addAll(security(workload, pod, container));
        if (container.getResources() == null || container.getResources().getRequests() == null || container.getResources().getLimits() == null
                || !container.getResources().getRequests().keySet().containsAll(Set.of("cpu", "memory"))
                || !container.getResources().getLimits().containsKey("memory")) {
            problems.add(workload + ": resources need cpu and memory requests and a memory limit");
        }
        return problems;
    }

    private static List<String> probe(Manifest workload, String which, Probe probe, String path, int port) {
        if (probe == null) {
            return List.of(workload + ": no " + which);
        }
        HTTPGetAction get = probe.getHttpGet();
        if (get == null) {
            return List.of(workload + ": " + which + " is not an HTTP GET");
        }
        List<String> problems = new ArrayList<>();
        if (!path.equals(get.getPath())) {
            problems.add(workload + ": " + which + " path is " + get.getPath() + ", expected " + path);
        }
        IntOrString probePort = get.getPort();
        boolean portOk = probePort != null && ("http".equals(probePort.getStrVal()) || Objects.equals(probePort.getIntVal(), port));
        if (!portOk) {
            problems.add(workload + ": " + which + " port is " + probePort + ", expected 'http' or " + port);
        }
        return problems;
    }

    private static List<String> security(Manifest workload, PodSpec pod, Container container) {
        List<String> problems = new ArrayList<>();
        PodSecurityContext podContext = pod.getSecurityContext();
        SecurityContext context = container.getSecurityContext();
        boolean nonRoot = Boolean.TRUE.equals(context == null ? null : context.getRunAsNonRoot())
                || Boolean.TRUE.equals(podContext == null ? null : podContext.getRunAsNonRoot());
        boolean seccomp = (context != null && context.getSeccompProfile() != null && "RuntimeDefault".equals(context.getSeccompProfile().getType()))
                || (podContext != null && podContext.getSeccompProfile() != null && "RuntimeDefault".equals(podContext.getSeccompProfile().getType()));
        if (!nonRoot) {
            problems.add(workload + ": runAsNonRoot is not set");
        }
        if (!seccomp) {
            problems.add(workload + ": seccompProfile RuntimeDefault is not set");
        }
        if (context == null || !Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
            problems.add(workload + ": allowPrivilegeEscalation must be false");
        }
        if (context == null || context.getCapabilities() == null || context.getCapabilities().getDrop() == null
                || !context.getCapabilities().getDrop().contains("ALL")) {
            problems.add(workload + ": capabilities must drop ALL");
        }
        if (context == null || !Boolean.TRUE.equals(context.getReadOnlyRootFilesystem())) {
            problems.add(workload + ": readOnlyRootFilesystem must be true");
        } else {
            VolumeMount tmp = container.getVolumeMounts() == null ? null
                    : container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElse(null);
            Volume volume = tmp == null || pod.getVolumes() == null ? null
                    : pod.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst().orElse(null);
            if (volume == null || volume.getEmptyDir() == null || Boolean.TRUE.equals(tmp.getReadOnly())) {
                problems.add(workload + ": with a read-only root file system /tmp needs a writable emptyDir (Tomcat, Kafka Streams, JVM)");
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------------------------------------- references

    /** What Strimzi creates: a Secret per KafkaUser (its SCRAM password and JAAS line) and the cluster CA certificate. */
    static Map<String, Set<String>> strimziSecrets(Build build) {
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        for (Manifest user : build.ofKind("KafkaUser")) {
            secrets.put(user.name(), Set.of("password", "sasl.jaas.config"));
        }
        for (Manifest kafka : build.ofKind("Kafka")) {
            secrets.put(kafka.name() + "-cluster-ca-cert", Set.of("ca.crt", "ca.p12", "ca.password"));
        }
        return secrets;
    }

    /**
     * Every Secret and ConfigMap a workload references — env valueFrom, envFrom, volumes with their items — is declared
     * by the overlay (a resource or a generator) or created by Strimzi, with the keys used; and every file path a
     * variable names under a mounted volume is a file that volume provides.
     */
    static List<String> references(Build build) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> secrets = new LinkedHashMap<>(build.secrets());
        strimziSecrets(build).forEach(secrets::putIfAbsent);
        Map<String, Set<String>> configMaps = build.configMaps();
        for (Manifest workload : build.workloads()) {
            PodSpec pod = template(workload).getSpec();
            for (Container container : containers(pod)) {
                for (EnvVar variable : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
                    if (variable.getValueFrom() == null) {
                        continue;
                    }
                    var secret = variable.getValueFrom().getSecretKeyRef();
                    if (secret != null) {
                        problems.addAll(reference(workload, variable.getName(), "Secret", secret.getName(), secret.getKey(), secrets));
                    }
                    var configMap = variable.getValueFrom().getConfigMapKeyRef();
                    if (configMap != null) {
                        problems.addAll(reference(workload, variable.getName(), "ConfigMap", configMap.getName(), configMap.getKey(), configMaps));
                    }
                }
                for (var from : Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
                    if (from.getSecretRef() != null) {
                        problems.addAll(reference(workload, "envFrom", "Secret", from.getSecretRef().getName(), null, secrets));
                    }
                    if (from.getConfigMapRef() != null) {
                        problems.addAll(reference(workload, "envFrom", "ConfigMap", from.getConfigMapRef().getName(), null, configMaps));
                    }
                }
                problems.addAll(mountedFiles(workload, pod, container, secrets, configMaps));
            }
            for (Volume volume : Optional.ofNullable(pod.getVolumes()).orElse(List.of())) {
                if (volume.getSecret() != null) {
                    problems.addAll(reference(workload, "volume " + volume.getName(), "Secret", volume.getSecret().getSecretName(), null, secrets));
                    for (var item : Optional.ofNullable(volume.getSecret().getItems()).orElse(List.of())) {
                        problems.addAll(reference(workload, "volume " + volume.getName(), "Secret", volume.getSecret().getSecretName(), item.getKey(), secrets));
                    }
                }
                if (volume.getConfigMap() != null) {
                    problems.addAll(reference(workload, "volume " + volume.getName(), "ConfigMap", volume.getConfigMap().getName(), null, configMaps));
                    for (var item : Optional.ofNullable(volume.getConfigMap().getItems()).orElse(List.of())) {
                        problems.addAll(reference(workload, "volume " + volume.getName(), "ConfigMap", volume.getConfigMap().getName(), item.getKey(), configMaps));
                    }
                }
                if (volume.getProjected() != null) {
                    problems.add(workload + ": projected volume " + volume.getName() + " is not checked; add it to DeploymentChecks.references");
                }
            }
        }
        return problems;
    }

    private static List<String> reference(Manifest workload, String user, String kind, String name, String key, Map<String, Set<String>> declared) {
        Set<String> keys = declared.get(name);
        if (keys == null) {
            return List.of(workload + ": " + user + " uses " + kind + " " + name + ", which the overlay does not declare and Strimzi does not create"
                    + " (declared: " + new TreeSet<>(declared.keySet()) + ")");
        }
        if (key != null && !keys.contains(key)) {
            return List.of(workload + ": " + user + " uses key " + key + " of " + kind + " " + name + ", which has " + new TreeSet<>(keys));
        }
        return List.of();
    }

    /** A variable naming a file (/etc/..., file:/..., optional:file:/...) must name one a mounted volume provides. */
    private static List<String> mountedFiles(Manifest workload, PodSpec pod, Container container, Map<String, Set<String>> secrets,
                                             Map<String, Set<String>> configMaps) {
        List<String> problems = new ArrayList<>();
        for (EnvVar variable : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            String value = variable.getValue();
            if (value == null) {
                continue;
            }
            String path = value.replaceFirst("^optional:", "").replaceFirst("^file:", "");
            if (!path.startsWith("/etc/") && !path.startsWith("/var/")) {
                continue;
            }
            VolumeMount mount = Optional.ofNullable(container.getVolumeMounts()).orElse(List.of()).stream()
                    .filter(m -> path.startsWith(m.getMountPath().endsWith("/") ? m.getMountPath() : m.getMountPath() + "/"))
                    .findFirst().orElse(null);
            if (mount == null) {
                problems.add(workload + ": " + variable.getName() + " names " + path + ", under no volume mount of the container");
                continue;
            }
            String file = path.substring(mount.getMountPath().length()).replaceFirst("^/", "");
            Volume volume = Optional.ofNullable(pod.getVolumes()).orElse(List.of()).stream().filter(v -> v.getName().equals(mount.getName()))
                    .findFirst().orElse(null);
            if (volume == null) {
                boolean claimed = workload.model() instanceof StatefulSet statefulSet && statefulSet.getSpec().getVolumeClaimTemplates() != null
                        && statefulSet.getSpec().getVolumeClaimTemplates().stream().anyMatch(c -> c.getMetadata().getName().equals(mount.getName()));
                if (!claimed) {
                    problems.add(workload + ": volume mount " + mount.getName() + " has no volume");
                }
                continue;
            }
            Set<String> files = null;
            if (volume.getSecret() != null) {
                files = volume.getSecret().getItems() != null && !volume.getSecret().getItems().isEmpty()
                        ? new TreeSet<>(volume.getSecret().getItems().stream().map(i -> i.getPath()).toList())
                        : secrets.getOrDefault(volume.getSecret().getSecretName(), Set.of());
            } else if (volume.getConfigMap() != null) {
                files = volume.getConfigMap().getItems() != null && !volume.getConfigMap().getItems().isEmpty()
                        ? new TreeSet<>(volume.getConfigMap().getItems().stream().map(i -> i.getPath()).toList())
                        : configMaps.getOrDefault(volume.getConfigMap().getName(), Set.of());
            }
            if (files != null && !files.contains(file)) {
                problems.add(workload + ": " + variable.getName() + " names " + path + ", but volume " + volume.getName() + " provides " + files);
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------------------------------------- Kafka

    /**
     * Each service logs in as its own principal (the KafkaUser named after it, BrokerIdentity), over the listener the
     * Kafka resource declares: SASL_SSL with SCRAM-SHA-512 at {@code <cluster>-kafka-bootstrap:<port>}, trusting the
     * cluster CA.
     */
    static List<String> kafkaLogins(Build build) {
        List<String> problems = new ArrayList<>();
        List<Manifest> clusters = build.ofKind("Kafka");
        if (clusters.size() != 1) {
            return List.of(build + ": expected one Kafka resource, found " + clusters.size());
        }
        Kafka kafka = (Kafka) clusters.get(0).model();
        String cluster = clusters.get(0).name();
        Set<String> users = new TreeSet<>(build.ofKind("KafkaUser").stream().map(Manifest::name).toList());
        for (Manifest workload : build.workloads().stream().filter(DeploymentChecks::isService).toList()) {
            Container container = serviceContainer(workload).orElseThrow();
            Map<String, EnvVar> env = new LinkedHashMap<>();
            Optional.ofNullable(container.getEnv()).orElse(List.of()).forEach(e -> env.put(e.getName(), e));
            Service service = java.util.Arrays.stream(Service.values()).filter(s -> s.id().equals(workload.name())).findFirst().orElseThrow();
            String user = BrokerIdentity.of(service).user();
            EnvVar jaas = env.get("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG");
            if (jaas == null || jaas.getValueFrom() == null || jaas.getValueFrom().getSecretKeyRef() == null
                    || !user.equals(jaas.getValueFrom().getSecretKeyRef().getName()) || !"sasl.jaas.config".equals(jaas.getValueFrom().getSecretKeyRef().getKey())) {
                problems.add(workload + ": SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG must come from key sasl.jaas.config of Secret " + user
                        + " (the KafkaUser of principal User:" + user + ")");
            }
            if (!users.contains(user)) {
                problems.add(workload + ": no KafkaUser " + user + " in the overlay (generated/kafka-users.yaml)");
            }
            String bootstrap = Optional.ofNullable(env.get("KAFKA_BOOTSTRAP_SERVERS")).map(EnvVar::getValue).orElse("");
            GenericKafkaListener listener = kafka.getSpec().getKafka().getListeners().stream()
                    .filter(l -> bootstrap.equals(cluster + "-kafka-bootstrap:" + l.getPort())).findFirst().orElse(null);
            if (listener == null) {
                problems.add(workload + ": KAFKA_BOOTSTRAP_SERVERS " + bootstrap + " is no listener of Kafka " + cluster);
                continue;
            }
            if (!listener.isTls() || !(listener.getAuth() instanceof KafkaListenerAuthenticationScramSha512)) {
                problems.add("Kafka " + cluster + ": listener " + listener.getName() + " must be TLS with scram-sha-512 authentication");
            }
            expect(problems, workload, env, "SPRING_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_SSL");
            expect(problems, workload, env, "SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512");
            expect(problems, workload, env, "SPRING_KAFKA_SSL_TRUST_STORE_TYPE", "PKCS12");
            EnvVar password = env.get("SPRING_KAFKA_SSL_TRUST_STORE_PASSWORD");
            if (password == null || password.getValueFrom() == null || password.getValueFrom().getSecretKeyRef() == null
                    || !(cluster + "-cluster-ca-cert").equals(password.getValueFrom().getSecretKeyRef().getName())
                    || !"ca.password".equals(password.getValueFrom().getSecretKeyRef().getKey())) {
                problems.add(workload + ": SPRING_KAFKA_SSL_TRUST_STORE_PASSWORD must come from key ca.password of Secret " + cluster + "-cluster-ca-cert");
            }
            if (!Optional.ofNullable(env.get("SPRING_KAFKA_SSL_TRUST_STORE_LOCATION")).map(EnvVar::getValue).orElse("").endsWith("/ca.p12")) {
                problems.add(workload + ": SPRING_KAFKA_SSL_TRUST_STORE_LOCATION must be the mounted ca.p12 of " + cluster + "-cluster-ca-cert");
            }
        }
        return problems;
    }

    private static void expect(List<String> problems, Manifest workload, Map<String, EnvVar> env, String name, String value) {
        if (!Optional.ofNullable(env.get(name)).map(EnvVar::getValue).orElse("").equals(value)) {
            problems.add(workload + ": " + name + " must be " + value);
        }
    }

    /**
     * Replication fits the cluster: every topic's replicas, and the broker's own defaults, at most the number of brokers;
     * min.insync.replicas below the replicas where there is more than one (else one broker down stops every write).
     */
    static List<String> kafkaSizing(Build build) {
        List<String> problems = new ArrayList<>();
        int brokers = 0;
        for (Manifest pool : build.ofKind("KafkaNodePool")) {
            KafkaNodePool model = (KafkaNodePool) pool.model();
            if (model.getSpec().getRoles().contains(ProcessRoles.BROKER)) {
                brokers += model.getSpec().getReplicas();
            }
        }
        if (brokers == 0) {
            return List.of(build + ": no KafkaNodePool with the broker role");
        }
        for (Manifest cluster : build.ofKind("Kafka")) {
            Map<String, Object> config = ((Kafka) cluster.model()).getSpec().getKafka().getConfig();
            int replication = intOf(config.get("default.replication.factor"), 1);
            int minIsr = intOf(config.get("min.insync.replicas"), 1);
            for (String key : List.of("default.replication.factor", "offsets.topic.replication.factor", "transaction.state.log.replication.factor")) {
                if (intOf(config.get(key), 1) > brokers) {
                    problems.add(cluster + ": " + key + " " + config.get(key) + " exceeds the " + brokers + " broker(s)");
                }
            }
            if (intOf(config.get("transaction.state.log.min.isr"), 1) > intOf(config.get("transaction.state.log.replication.factor"), 1)) {
                problems.add(cluster + ": transaction.state.log.min.isr exceeds transaction.state.log.replication.factor");
            }
            if (replication > 1 && minIsr >= replication) {
                problems.add(cluster + ": min.insync.replicas " + minIsr + " must be below default.replication.factor " + replication);
            }
        }
        for (Manifest topic : build.ofKind("KafkaTopic")) {
            KafkaTopic model = (KafkaTopic) topic.model();
            int replicas = model.getSpec().getReplicas();
            int minIsr = model.getSpec().getConfig() == null ? 1 : intOf(model.getSpec().getConfig().get("min.insync.replicas"), 1);
            if (replicas > brokers) {
                problems.add(topic + ": " + replicas + " replicas, but " + brokers + " broker(s)");
            }
            if (minIsr > replicas || (replicas > 1 && minIsr == replicas)) {
                problems.add(topic + ": min.insync.replicas " + minIsr + " with " + replicas + " replicas");
            }
        }
        return problems;
    }

    private static int intOf(Object value, int fallback) {
        return value == null ? fallback : Integer.parseInt(value.toString());
    }

    /**
     * The router's stream threads (one per replica) share the partitions of census.pupil-records: replicas beyond the
     * partition count would idle, so they are refused.
     */
    static List<String> routerReplicas(Build build) {
        Manifest router = build.find("Deployment", "sharing-router").orElse(null);
        Manifest topic = build.ofKind("KafkaTopic").stream()
                .filter(t -> TopicCatalog.CENSUS_RECORDS.name().equals(((KafkaTopic) t.model()).getSpec().getTopicName())).findFirst().orElse(null);
        if (router == null || topic == null) {
            return List.of(build + ": no sharing-router Deployment or no KafkaTopic " + TopicCatalog.CENSUS_RECORDS.name());
        }
        int partitions = ((KafkaTopic) topic.model()).getSpec().getPartitions();
        Integer replicas = replicas(router);
        int count = replicas == null ? 1 : replicas;
        return count <= partitions ? List.of()
                : List.of(router + ": " + count + " replicas, but " + TopicCatalog.CENSUS_RECORDS.name() + " has " + partitions
                        + " partitions: replicas beyond the partition count get no work");
    }

    // ---------------------------------------------------------------------------------------------- selectors

    /**
     * Services, PodDisruptionBudgets, NetworkPolicies, the PodMonitor and the Kafka listener's network peers all select
     * the service pods; each workload's selector matches its own pod labels.
     */
    static List<String> selectors(Build build) {
        List<String> problems = new ArrayList<>();
        List<Manifest> services = build.workloads().stream().filter(DeploymentChecks::isService).toList();
        if (services.size() != Repository.SERVICES.size()) {
            problems.add(build + ": expected the workloads " + Repository.SERVICES + ", found " + services.stream().map(Manifest::name).toList());
        }
        for (Manifest workload : build.workloads()) {
            if (!matches(selector(workload), podLabels(workload))) {
                problems.add(workload + ": its selector does not match its pod labels");
            }
        }
        for (Manifest workload : services) {
            Map<String, String> labels = podLabels(workload);
            int port = serviceContainer(workload).flatMap(c -> c.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst())
                    .map(p -> p.getContainerPort()).orElse(-1);
            Manifest service = build.find("Service", workload.name()).orElse(null);
            if (service == null) {
                problems.add(workload + ": no Service " + workload.name());
            } else {
                var spec = ((io.fabric8.kubernetes.api.model.Service) service.model()).getSpec();
                if (!labels.entrySet().containsAll(spec.getSelector().entrySet())) {
                    problems.add(service + ": selector " + spec.getSelector() + " does not select the pods of " + workload);
                }
                if (spec.getPorts().stream().noneMatch(p -> "http".equals(p.getTargetPort().getStrVal()) || Objects.equals(p.getTargetPort().getIntVal(), port))) {
                    problems.add(service + ": no port targets the container port http");
                }
            }
            Manifest budget = build.find("PodDisruptionBudget", workload.name()).orElse(null);
            if (budget == null || !matches(((PodDisruptionBudget) budget.model()).getSpec().getSelector(), labels)) {
                problems.add(workload + ": no PodDisruptionBudget selecting its pods");
            }
            List<NetworkPolicy> policies = build.ofKind("NetworkPolicy").stream().map(m -> (NetworkPolicy) m.model())
                    .filter(p -> matches(p.getSpec().getPodSelector(), labels)).toList();
            boolean ingress = policies.stream().flatMap(p -> Optional.ofNullable(p.getSpec().getIngress()).orElse(List.of()).stream())
                    .flatMap(rule -> Optional.ofNullable(rule.getPorts()).orElse(List.of()).stream()).map(NetworkPolicyPort::getPort)
                    .anyMatch(p -> p != null && (Objects.equals(p.getIntVal(), port) || "http".equals(p.getStrVal())));
            if (!ingress) {
                problems.add(workload + ": no NetworkPolicy lets anything reach port " + port + " (probes pass, but Prometheus and callers would not)");
            }
            boolean kafkaEgress = policies.stream().flatMap(p -> Optional.ofNullable(p.getSpec().getEgress()).orElse(List.of()).stream())
                    .flatMap(rule -> Optional.ofNullable(rule.getPorts()).orElse(List.of()).stream()).map(NetworkPolicyPort::getPort)
                    .anyMatch(p -> p != null && Objects.equals(p.getIntVal(), 9093));
            if (!kafkaEgress) {
                problems.add(workload + ": no NetworkPolicy lets it reach Kafka on 9093");
            }
            for (Manifest monitor : build.ofKind("PodMonitor")) {
                LabelSelector selector = Manifests.read(monitor.tree().path("spec").path("selector"), LabelSelector.class, monitor.toString());
                if (!matches(selector, labels)) {
                    problems.add(monitor + ": does not select the pods of " + workload);
                }
                for (JsonNode endpoint : monitor.tree().path("spec").path("podMetricsEndpoints")) {
                    if (!"http".equals(endpoint.path("port").asText()) || !METRICS.equals(endpoint.path("path").asText())) {
                        problems.add(monitor + ": endpoints must scrape port http, path " + METRICS);
                    }
                }
            }
            for (Manifest cluster : build.ofKind("Kafka")) {
                for (GenericKafkaListener listener : ((Kafka) cluster.model()).getSpec().getKafka().getListeners()) {
                    if (listener.getNetworkPolicyPeers() != null && !listener.getNetworkPolicyPeers().isEmpty()
                            && listener.getNetworkPolicyPeers().stream().noneMatch(peer -> peer.getPodSelector() != null
                                    && peer.getNamespaceSelector() == null && matches(peer.getPodSelector(), labels))) {
                        problems.add(cluster + ": listener " + listener.getName() + "'s networkPolicyPeers do not admit " + workload);
                    }
                }
            }
        }
        if (build.ofKind("PodMonitor").isEmpty()) {
            problems.add(build + ": no PodMonitor");
        }
        return problems;
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
            throw new AssertionError("matchExpressions are not evaluated by DeploymentChecks: " + selector);
        }
        Map<String, String> required = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        return labels.entrySet().containsAll(required.entrySet());
    }
}
