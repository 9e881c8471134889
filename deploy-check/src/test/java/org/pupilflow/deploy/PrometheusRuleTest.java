package org.pupilflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pupilflow.deploy.Manifests.Manifest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The alert rules have one source, {@code deploy/prometheus/rules/pupilflow.rules.yml} (Docker Compose's Prometheus
 * loads it, promtool tests it); {@code deploy/base/prometheus-rule.yaml} is generated from it for the Prometheus
 * Operator and must hold exactly the same groups, else Kubernetes would alert on something else than what was tested.
 * The PrometheusRule itself is checked key by key, as the PodMonitor is.
 */
class PrometheusRuleTest {

    static final Path RULES = Repository.deploy().resolve("prometheus/rules/pupilflow.rules.yml");
    static final Path PROMETHEUS_RULE = Repository.deploy().resolve("base/prometheus-rule.yaml");

    /** How to regenerate, for the failure message (also in deploy/README.md, "Alerts"). */
    static final String REGENERATE = "R=deploy/prometheus/rules/pupilflow.rules.yml P=deploy/base/prometheus-rule.yaml\n"
            + "{ sed '/^spec:$/q' $P; grep -v '^#' $R | sed 's/^./  &/'; } > $P.new && mv $P.new $P";

    private static final String RULE = """
            apiVersion: monitoring.coreos.com/v1
            kind: PrometheusRule
            metadata:
              name: pupilflow
            spec:
              groups:
                - name: pupilflow-audit
                  %s: 5m
                  rules:
                    - alert: PupilFlowAuditChainBroken
                      expr: pupilflow_audit_chain_intact == 0
                      %s: 10m
                      labels:
                        severity: critical
                      annotations:
                        summary: The audit trail's hash chain is broken
            """;

    @Test
    void thePrometheusRuleHoldsExactlyTheGroupsOfTheRulesFile() throws IOException {
        List<JsonNode> rules = Manifests.documents(Files.readString(RULES), Repository.relative(RULES));
        assertThat(rules).as(Repository.relative(RULES) + " is one YAML document").hasSize(1);
        assertThat(Manifests.keys(rules.get(0))).as(Repository.relative(RULES) + " top-level keys").containsExactly("groups");
        Manifest prometheusRule = Manifests.parseFile(PROMETHEUS_RULE).get(0);

        JsonNode expected = rules.get(0).path("groups");
        JsonNode actual = prometheusRule.tree().path("spec").path("groups");
        assertThat(differences(expected, actual))
                .as(Repository.relative(PROMETHEUS_RULE) + " differs from " + Repository.relative(RULES)
                        + ", its source. Change the rules file only, and regenerate from the repository root:\n" + REGENERATE + "\n")
                .isEmpty();
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void thePrometheusRuleIsPartOfTheBaseAndLabelledAsPupilFlows() {
        assertThat(Kustomization.load(Repository.deploy().resolve("base")).resourceFiles()).contains(PROMETHEUS_RULE.toAbsolutePath().normalize());
        Manifest prometheusRule = Manifests.parseFile(PROMETHEUS_RULE).get(0);
        assertThat(prometheusRule.key()).isEqualTo("PrometheusRule/pupilflow");
        assertThat(prometheusRule.tree().path("metadata").path("labels").path("app.kubernetes.io/part-of").asText()).isEqualTo("pupilflow");
        for (String overlay : Repository.overlays()) {
            assertThat(Build.ofOverlay(overlay).ofKind("PrometheusRule")).as(overlay).hasSize(1);
        }
    }

    @Test
    void aWellFormedPrometheusRuleParses() {
        Manifest manifest = Manifests.parse(RULE.formatted("interval", "for"), "test").get(0);

        assertThat(manifest.kind()).isEqualTo("PrometheusRule");
        assertThat(manifest.tree().path("spec").path("groups").get(0).path("rules")).hasSize(1);
    }

    @Test
    void aMisspeltKeyOfAGroupOrARuleIsRefused() {
        assertThatThrownBy(() -> Manifests.parse(RULE.formatted("intervall", "for"), "test"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("intervall");
        assertThatThrownBy(() -> Manifests.parse(RULE.formatted("interval", "fore"), "test"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("fore");
        assertThatThrownBy(() -> Manifests.parse(RULE.formatted("interval", "for").replace("annotations:", "anotations:"), "test"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("anotations");
        assertThatThrownBy(() -> Manifests.parse(RULE.formatted("interval", "for").replace("groups:", "group:"), "test"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("group");
    }

    @Test
    void aRuleMustBeAnAlertOrARecordWithAnExpressionAndRealDurations() {
        String rule = RULE.formatted("interval", "for");
        assertThatThrownBy(() -> Manifests.parse(rule.replace("- alert:", "- record: pupilflow:x\n          alert:"), "test"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("either an alert or a record");
        assertThatThrownBy(() -> Manifests.parse(rule.replace("expr: pupilflow_audit_chain_intact == 0", "expression: x"), "test"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("expression");
        assertThatThrownBy(() -> Manifests.parse(rule.replace("for: 10m", "for: 10 minutes"), "test"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("duration");
        assertThatThrownBy(() -> Manifests.parse(rule.replace("severity: critical", "severity: [critical]"), "test"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("severity must be a string");
        assertThatThrownBy(() -> Manifests.parse(rule.replace("- alert:", "- record:").replace("annotations:", "labels2:"), "test"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("labels2");
    }

    @Test
    void groupNamesAreUnique() {
        String twice = RULE.formatted("interval", "for") + """
                    - name: pupilflow-audit
                      rules:
                        - record: pupilflow:x
                          expr: vector(1)
                """;
        assertThatThrownBy(() -> Manifests.parse(twice, "test")).isInstanceOf(AssertionError.class).hasMessageContaining("name of its own");
    }

    /** Where two rule trees differ, by group and rule, so the message says what changed rather than dumping both. */
    static List<String> differences(JsonNode expected, JsonNode actual) {
        List<String> differences = new ArrayList<>();
        if (!expected.isArray() || !actual.isArray()) {
            differences.add("groups: expected a list in both, found " + expected.getNodeType() + " and " + actual.getNodeType());
            return differences;
        }
        if (expected.size() != actual.size()) {
            differences.add("groups: " + expected.size() + " in the rules file, " + actual.size() + " in the PrometheusRule");
        }
        for (int g = 0; g < Math.min(expected.size(), actual.size()); g++) {
            JsonNode want = expected.get(g);
            JsonNode have = actual.get(g);
            String group = "group " + want.path("name").asText("#" + g);
            if (!want.path("name").equals(have.path("name"))) {
                differences.add(group + ": named " + have.path("name") + " in the PrometheusRule");
                continue;
            }
            JsonNode wantRules = want.path("rules");
            JsonNode haveRules = have.path("rules");
            if (wantRules.size() != haveRules.size()) {
                differences.add(group + ": " + wantRules.size() + " rules in the rules file, " + haveRules.size() + " in the PrometheusRule");
            }
            for (int r = 0; r < Math.min(wantRules.size(), haveRules.size()); r++) {
                if (!wantRules.get(r).equals(haveRules.get(r))) {
                    JsonNode rule = wantRules.get(r);
                    differences.add(group + " rule " + (r + 1) + " (" + rule.path("alert").asText(rule.path("record").asText()) + ") differs");
                }
            }
            JsonNode wantOther = want.deepCopy();
            JsonNode haveOther = have.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) wantOther).remove("rules");
            ((com.fasterxml.jackson.databind.node.ObjectNode) haveOther).remove("rules");
            if (!wantOther.equals(haveOther)) {
                differences.add(group + ": its settings differ (" + wantOther + " vs " + haveOther + ")");
            }
        }
        return differences;
    }
}
