package org.pupilflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.kafka.Kafka;

/** The typed parse refuses what Kubernetes or Strimzi would not understand: the deploy/ checks rely on it. */
class StrictParseTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: sharing-router
            spec:
              %s: 2
              selector:
                matchLabels:
                  app.kubernetes.io/name: sharing-router
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: sharing-router
                spec:
                  containers:
                    - name: sharing-router
                      image: pupilflow/sharing-router:0.1.0
                      %s: IfNotPresent
            """;

    @Test
    void aWellFormedDeploymentParses() {
        var manifest = Manifests.parse(DEPLOYMENT.formatted("replicas", "imagePullPolicy"), "test").get(0);

        assertThat(manifest.model()).isInstanceOf(Deployment.class);
        assertThat(((Deployment) manifest.model()).getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void aMisspeltKeyIsRefused() {
        assertThatThrownBy(() -> Manifests.parse(DEPLOYMENT.formatted("replicass", "imagePullPolicy"), "test"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("replicass");
    }

    @Test
    void aMisspeltKeyDeepInsideIsRefused() {
        assertThatThrownBy(() -> Manifests.parse(DEPLOYMENT.formatted("replicas", "imagePullPolicyy"), "test"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("imagePullPolicyy");
    }

    @Test
    void aMisspeltKeyOfAStrimziResourceIsRefused() {
        String kafka = """
                apiVersion: kafka.strimzi.io/v1
                kind: Kafka
                metadata:
                  name: pupilflow
                spec:
                  kafka:
                    listeners:
                      - name: tls
                        port: 9093
                        type: internal
                        tls: true
                        authentication:
                          type: scram-sha-512
                    %s:
                      type: simple
                """;
        assertThat(Manifests.parse(kafka.formatted("authorization"), "test").get(0).model()).isInstanceOf(Kafka.class);
        assertThatThrownBy(() -> Manifests.parse(kafka.formatted("authorisation"), "test"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("authorisation");
    }

    @Test
    void aMisspeltKeyOfAKafkaTopicIsRefused() {
        String topic = """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata:
                  name: census.pupil-records
                spec:
                  topicName: census.pupil-records
                  partitons: 6
                  replicas: 3
                """;
        assertThatThrownBy(() -> Manifests.parse(topic, "test")).isInstanceOf(AssertionError.class).hasMessageContaining("partitons");
    }

    @Test
    void aPodMonitorWithAnUnknownKeyIsRefused() {
        String monitor = """
                apiVersion: monitoring.coreos.com/v1
                kind: PodMonitor
                metadata:
                  name: pupilflow
                spec:
                  selector:
                    matchLabels:
                      app.kubernetes.io/part-of: pupilflow
                  %s:
                    - port: http
                      path: /actuator/prometheus
                """;
        Manifests.parse(monitor.formatted("podMetricsEndpoints"), "test");
        assertThatThrownBy(() -> Manifests.parse(monitor.formatted("podMetricEndpoints"), "test"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("podMetricEndpoints");
    }

    @Test
    void aDuplicateKeyIsRefused() {
        String service = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: audit-service
                  name: audit
                """;
        assertThatThrownBy(() -> Manifests.parse(service, "test")).isInstanceOf(AssertionError.class).hasMessageContaining("name");
    }

    @Test
    void anUnknownKindOrAnOldApiVersionIsRefused() {
        assertThatThrownBy(() -> Manifests.parse("apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata: {name: pupilflow}\n", "test"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no typed model");
        assertThatThrownBy(() -> Manifests.parse("apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: x}\n", "test"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no typed model");
    }

    @Test
    void aValueOfTheWrongTypeIsRefused() {
        assertThatThrownBy(() -> Manifests.parse(DEPLOYMENT.formatted("replicas", "imagePullPolicy").replace("replicas: 2", "replicas: two"), "test"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("two");
    }
}
