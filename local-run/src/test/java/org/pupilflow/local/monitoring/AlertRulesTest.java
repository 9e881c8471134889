package org.pupilflow.local.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.pupilflow.local.monitoring.MonitoringFiles.Query;
import org.pupilflow.local.monitoring.PromQl.Selector;

/**
 * The alert rules (deploy/prometheus/rules/pupilflow.rules.yml) are usable at three in the morning: every alert says how
 * bad it is, what it means and what to do first, and links to its runbook in the README, at an anchor that exists;
 * every alert ops asked for is there; every expression names real-looking series of a PupilFlow service. Where promtool
 * is installed, Prometheus checks the file and runs its unit tests (pupilflow.rules.test.yml).
 */
class AlertRulesTest {

    private static final Path REPOSITORY = DashboardFilesTest.REPOSITORY;
    private static final Path RULES = REPOSITORY.resolve(MonitoringFiles.RULES).resolve("pupilflow.rules.yml");
    private static final Path RULE_TESTS = REPOSITORY.resolve(MonitoringFiles.RULES).resolve("pupilflow.rules.test.yml");
    private static final String RUNBOOKS = "https://github.com/pupilflow/pupilflow/blob/main/README.md#";

    /** The alerts of the issue, with the severities each must have (a name may have a warning and a critical rule). */
    private static final Map<String, Set<String>> REQUIRED = required();

    private static Map<String, Set<String>> required() {
        Map<String, Set<String>> required = new LinkedHashMap<>();
        required.put("PupilFlowAuditChainBroken", Set.of("critical"));
        required.put("PupilFlowAuditVerificationStale", Set.of("warning"));
        required.put("PupilFlowAuditLagHigh", Set.of("warning", "critical"));
        required.put("PupilFlowDeadLetters", Set.of("warning"));
        required.put("PupilFlowObjectionFreshnessTimeouts", Set.of("warning"));
        required.put("PupilFlowRouterThreadReplaced", Set.of("warning"));
        required.put("PupilFlowRouterNotRunning", Set.of("critical"));
        required.put("PupilFlowAuditDatabaseFailures", Set.of("critical"));
        required.put("PupilFlowRecipientNotCollecting", Set.of("warning"));
        required.put("PupilFlowRecipientLagCheckFailing", Set.of("warning"));
        required.put("PupilFlowNoCensusReturn", Set.of("info"));
        return required;
    }

    private static final Set<String> GROUP_KEYS = Set.of("name", "interval", "limit", "query_offset", "labels", "rules");
    private static final Set<String> ALERT_KEYS = Set.of("alert", "expr", "for", "keep_firing_for", "labels", "annotations");
    private static final Set<String> RECORD_KEYS = Set.of("record", "expr", "labels");

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object group : (List<Object>) MonitoringFiles.readRules(RULES).get("groups")) {
            rules.addAll((List<Map<String, Object>>) ((Map<String, Object>) group).get("rules"));
        }
        return rules;
    }

    private static List<Map<String, Object>> alerts() {
        return rules().stream().filter(rule -> rule.containsKey("alert")).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> map(Object value) {
        return value == null ? Map.of() : (Map<String, String>) value;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRulesFileHasOnlyKeysPrometheusKnows() {
        List<Object> groups = (List<Object>) MonitoringFiles.readRules(RULES).get("groups");
        assertThat(MonitoringFiles.readRules(RULES).keySet()).containsExactly("groups");
        Set<String> names = new TreeSet<>();
        for (Object group : groups) {
            Map<String, Object> fields = (Map<String, Object>) group;
            assertThat(GROUP_KEYS).as("keys of group " + fields.get("name")).containsAll(fields.keySet());
            assertThat(names.add(String.valueOf(fields.get("name")))).as("group names are unique: " + fields.get("name")).isTrue();
        }
        for (Map<String, Object> rule : rules()) {
            assertThat(rule.containsKey("alert") ^ rule.containsKey("record")).as("alert or record: " + rule).isTrue();
            assertThat(rule.containsKey("alert") ? ALERT_KEYS : RECORD_KEYS).as("keys of " + rule.get("alert")).containsAll(rule.keySet());
            assertThat(rule.get("expr")).as("expr of " + rule.get("alert")).isInstanceOf(String.class);
        }
    }

    @Test
    void everyAlertHasASeveritySummaryDescriptionAndRunbook() {
        assertThat(alerts()).isNotEmpty();
        for (Map<String, Object> alert : alerts()) {
            String name = String.valueOf(alert.get("alert"));
            assertThat(name).matches("PupilFlow[A-Z][A-Za-z]+");
            assertThat(map(alert.get("labels")).get("severity")).as(name + " severity").isIn("critical", "warning", "info");
            Map<String, String> annotations = map(alert.get("annotations"));
            assertThat(annotations.keySet()).as(name + " annotations").containsExactlyInAnyOrder("summary", "description", "runbook_url");
            assertThat(annotations.get("summary")).as(name + " summary").isNotBlank().hasSizeLessThan(120);
            assertThat(annotations.get("description")).as(name + ": what it means and what to do first").hasSizeGreaterThan(120);
        }
    }

    @Test
    void everyRunbookUrlIsTheReadmeAnchorOfTheAlertsRunbookHeading() throws IOException {
        Set<String> anchors = GitHubAnchors.of(Files.readString(REPOSITORY.resolve("README.md")));
        for (Map<String, Object> alert : alerts()) {
            String name = String.valueOf(alert.get("alert"));
            String url = map(alert.get("annotations")).get("runbook_url");
            assertThat(url).as(name + " runbook_url").isEqualTo(RUNBOOKS + GitHubAnchors.slug("Runbook: " + name));
            assertThat(anchors).as(name + ": README.md needs the heading \"#### Runbook: " + name + "\"")
                    .contains(url.substring(url.indexOf('#') + 1));
        }
    }

    @Test
    void everyRunbookInTheReadmeIsForAnAlertThatExists() throws IOException {
        Set<String> alerts = new TreeSet<>();
        alerts().forEach(alert -> alerts.add(String.valueOf(alert.get("alert"))));
        Matcher runbook = Pattern.compile("(?m)^#{2,6} Runbook: (\\S+)\\s*$").matcher(Files.readString(REPOSITORY.resolve("README.md")));
        Set<String> runbooks = new TreeSet<>();
        while (runbook.find()) {
            runbooks.add(runbook.group(1));
        }
        assertThat(runbooks).isEqualTo(alerts);
    }

    @Test
    void everyAlertTheIssueAskedForExistsWithItsSeverities() {
        Map<String, Set<String>> severities = new TreeMap<>();
        for (Map<String, Object> alert : alerts()) {
            severities.computeIfAbsent(String.valueOf(alert.get("alert")), k -> new TreeSet<>()).add(map(alert.get("labels")).get("severity"));
        }
        REQUIRED.forEach((name, required) -> assertThat(severities.get(name)).as(name).isNotNull().isEqualTo(new TreeSet<>(required)));
    }

    @Test
    void everyExpressionParsesIntoSelectorsThatNameTheirService() {
        List<Query> queries = MonitoringFiles.queries(REPOSITORY).stream().filter(q -> q.source().startsWith(MonitoringFiles.RULES)).toList();
        assertThat(queries).hasSize(rules().size());
        assertThat(queries).extracting(Query::source).doesNotHaveDuplicates()
                .contains(MonitoringFiles.RULES + "/pupilflow.rules.yml alert PupilFlowAuditChainBroken",
                        MonitoringFiles.RULES + "/pupilflow.rules.yml alert PupilFlowAuditLagHigh #2");
        for (Query query : queries) {
            List<Selector> selectors = PromQl.selectors(query.expression());
            assertThat(selectors).as(query.toString()).isNotEmpty()
                    .allSatisfy(selector -> assertThat(selector.labels()).as(query + ": " + selector).contains("application"));
        }
    }

    /** The rules' unit tests show each critical alert firing when it should and not before, and the recipients' alert. */
    @Test
    void theUnitTestsCoverTheCriticalAlertsAndTheRecipientsAlert() throws IOException {
        String tests = Files.readString(RULE_TESTS);
        Set<String> tested = new LinkedHashSet<>();
        Matcher alertname = Pattern.compile("alertname: (\\S+)\\s+exp_alerts:\\s+- exp_labels").matcher(tests);
        while (alertname.find()) {
            tested.add(alertname.group(1));
        }
        Set<String> quiet = new LinkedHashSet<>();
        Matcher empty = Pattern.compile("alertname: (\\S+)\\s+exp_alerts: \\[]").matcher(tests);
        while (empty.find()) {
            quiet.add(empty.group(1));
        }
        List<String> mustBeTested = new ArrayList<>();
        REQUIRED.forEach((name, severities) -> {
            if (severities.contains("critical")) {
                mustBeTested.add(name);
            }
        });
        mustBeTested.add("PupilFlowRecipientNotCollecting");
        assertThat(tested).as("alerts shown firing").containsAll(mustBeTested);
        assertThat(quiet).as("alerts shown not firing (yet)").containsAll(mustBeTested);
    }

    @Test
    void promtoolAcceptsTheRules() {
        Assumptions.assumeTrue(Promtool.available(), "promtool is not on the PATH");
        Promtool.Result result = Promtool.run("check", "rules", RULES.toString());
        System.out.println(result.output());
        assertThat(result.exitCode()).as("promtool check rules " + RULES + ":\n" + result.output()).isZero();
    }

    @Test
    void promtoolUnitTestsOfTheRulesPass() {
        Assumptions.assumeTrue(Promtool.available(), "promtool is not on the PATH");
        Promtool.Result result = Promtool.run("test", "rules", RULE_TESTS.toString());
        System.out.println(result.output());
        assertThat(result.exitCode()).as("promtool test rules " + RULE_TESTS + ":\n" + result.output()).isZero();
    }

    @Test
    void anchorsAreComputedAsGitHubDoes() {
        assertThat(GitHubAnchors.slug("Runbook: PupilFlowAuditChainBroken")).isEqualTo("runbook-pupilflowauditchainbroken");
        assertThat(GitHubAnchors.slug("Docker Compose (one VM)")).isEqualTo("docker-compose-one-vm");
        assertThat(GitHubAnchors.slug("Scale-out (on paper, from the benchmark)")).isEqualTo("scale-out-on-paper-from-the-benchmark");
        assertThat(GitHubAnchors.slug("Uploading census returns and objections (census-ingest)"))
                .isEqualTo("uploading-census-returns-and-objections-census-ingest");
        assertThat(GitHubAnchors.slug("The `PodMonitor` and *rules*")).isEqualTo("the-podmonitor-and-rules");
        assertThat(GitHubAnchors.slug("Before the first `kubectl apply`")).isEqualTo("before-the-first-kubectl-apply");
        assertThat(GitHubAnchors.slug("Audit — lag & [links](http://x)")).isEqualTo("audit--lag--links");
        assertThat(GitHubAnchors.slug("configuration_pupilflow.adapters")).isEqualTo("configuration_pupilflowadapters");
    }

    @Test
    void repeatedHeadingsGetNumberedAnchorsAndCodeBlocksHaveNoHeadings() {
        String markdown = """
                # Title
                ## Setup
                ```bash
                # not a heading
                ```
                ## Setup
                ~~~
                ## also not
                ~~~
                ### Setup ###
                """;
        assertThat(GitHubAnchors.of(markdown)).containsExactly("title", "setup", "setup-1", "setup-2");
    }

    /** GitHub's heading anchors: lower case, punctuation other than - and _ removed, spaces to -, repeats numbered. */
    static final class GitHubAnchors {

        private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)(?:\\s+#+)?\\s*$");
        private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");

        private GitHubAnchors() {
        }

        static String slug(String heading) {
            String text = heading.strip()
                    .replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1")   // a link or image: its text
                    .replaceAll("<[^>]+>", "");                       // inline HTML
            return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
        }

        static Set<String> of(String markdown) {
            Set<String> anchors = new LinkedHashSet<>();
            Map<String, Integer> seen = new TreeMap<>();
            String fence = null;
            for (String line : markdown.split("\n", -1)) {
                Matcher fenceLine = FENCE.matcher(line);
                if (fenceLine.find()) {
                    if (fence == null) {
                        fence = fenceLine.group(1);
                    } else if (fence.equals(fenceLine.group(1))) {
                        fence = null;
                    }
                    continue;
                }
                Matcher heading = HEADING.matcher(line);
                if (fence == null && heading.matches()) {
                    String slug = slug(heading.group(2));
                    int count = seen.merge(slug, 1, Integer::sum);
                    anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
                }
            }
            return anchors;
        }
    }
}
