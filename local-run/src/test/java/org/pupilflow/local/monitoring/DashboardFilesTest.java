package org.pupilflow.local.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.pupilflow.local.monitoring.MonitoringFiles.Query;
import org.pupilflow.local.monitoring.PromQl.Selector;

import tools.jackson.databind.JsonNode;

/**
 * The Grafana dashboards Docker Compose provisions (deploy/grafana/dashboards) are what Grafana and ops need: the five
 * of them, valid JSON, each panel with an id of its own, every query through the datasource variable (so a Grafana
 * whose Prometheus has another uid works unchanged), links between them, and every expression PromQL that names its
 * metrics and selects its service by the {@code application} label. Where promtool is installed, Prometheus' own
 * parser checks every expression as well.
 */
class DashboardFilesTest {

    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    /** File name (without .json) = uid. */
    static final List<String> DASHBOARDS = List.of("pupilflow-audit-delivery", "pupilflow-ingest", "pupilflow-overview",
            "pupilflow-recipients", "pupilflow-router");

    private static final String DATASOURCE_UID = "${datasource}";
    private static final Set<String> SERVICES = Set.of("census-ingest", "sharing-router", "recipient-adapters", "audit-service");
    private static final Pattern RANGE = Pattern.compile("\\[([^\\]]*)\\]");
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z0-9_]+)(?::[^}]*)?}|([A-Za-z0-9_]+))");

    private static Map<String, JsonNode> dashboards() {
        Map<String, JsonNode> dashboards = new LinkedHashMap<>();
        for (Path file : MonitoringFiles.dashboards(REPOSITORY)) {
            dashboards.put(file.getFileName().toString().replaceFirst("\\.json$", ""), MonitoringFiles.readDashboard(file));
        }
        return dashboards;
    }

    private static List<Query> dashboardQueries() {
        return MonitoringFiles.queries(REPOSITORY).stream().filter(q -> q.source().startsWith(MonitoringFiles.DASHBOARDS)).toList();
    }

    @Test
    void thereAreExactlyTheFiveDashboardsEachUnderItsOwnUid() {
        Map<String, JsonNode> dashboards = dashboards();
        assertThat(dashboards.keySet()).containsExactlyElementsOf(DASHBOARDS);
        Set<String> titles = new HashSet<>();
        dashboards.forEach((name, dashboard) -> {
            assertThat(dashboard.path("uid").asString("")).as(name + " uid: stable, so links and bookmarks survive").isEqualTo(name);
            assertThat(titles.add(dashboard.path("title").asString(""))).as(name + " title is unique").isTrue();
            assertThat(dashboard.path("title").asString("")).as(name).startsWith("PupilFlow / ");
            assertThat(dashboard.path("schemaVersion").asInt(0)).as(name + " schemaVersion (Grafana 12)").isGreaterThanOrEqualTo(39);
            assertThat(dashboard.path("tags").values()).extracting(JsonNode::asString).as(name + " tags").contains("pupilflow");
            assertThat(dashboard.path("id").isNull() || dashboard.path("id").isMissingNode())
                    .as(name + ": id is Grafana's database id, null in a provisioned file").isTrue();
            assertThat(dashboard.path("description").asString("")).as(name + " says what it is for").isNotBlank();
        });
    }

    @Test
    void panelIdsAreUniqueWithinEachDashboardIncludingPanelsInRows() {
        dashboards().forEach((name, dashboard) -> {
            List<Integer> ids = MonitoringFiles.panels(dashboard).stream().map(panel -> panel.path("id").asInt(-1)).toList();
            assertThat(ids).as(name + " panel ids").doesNotContain(-1).doesNotHaveDuplicates();
        });
    }

    @Test
    void panelsFitTheGridWithoutOverlapping() {
        dashboards().forEach((name, dashboard) -> {
            List<int[]> boxes = new ArrayList<>();
            for (JsonNode panel : MonitoringFiles.panels(dashboard)) {
                JsonNode grid = panel.path("gridPos");
                int x = grid.path("x").asInt(-1);
                int y = grid.path("y").asInt(-1);
                int w = grid.path("w").asInt(0);
                int h = grid.path("h").asInt(0);
                String what = name + " panel " + panel.path("id").asInt() + " \"" + panel.path("title").asString("") + "\"";
                assertThat(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 24).as(what + " gridPos " + grid).isTrue();
                for (int[] other : boxes) {
                    boolean overlap = x < other[0] + other[2] && other[0] < x + w && y < other[1] + other[3] && other[1] < y + h;
                    assertThat(overlap).as(what + " overlaps another panel").isFalse();
                }
                boxes.add(new int[] {x, y, w, h});
            }
        });
    }

    @Test
    void eachDashboardHasTheDatasourceVariable() {
        dashboards().forEach((name, dashboard) -> {
            List<JsonNode> datasources = dashboard.path("templating").path("list").values().stream()
                    .filter(v -> v.path("type").asString("").equals("datasource")).toList();
            assertThat(datasources).as(name + " datasource variables").hasSize(1);
            assertThat(datasources.get(0).path("name").asString("")).isEqualTo("datasource");
            assertThat(datasources.get(0).path("query").asString("")).isEqualTo("prometheus");
        });
    }

    /** A hard-coded uid works only in the Grafana the dashboard was exported from. */
    @Test
    void everyPanelTargetAndVariableQueriesThroughTheDatasourceVariable() {
        dashboards().forEach((name, dashboard) -> {
            for (JsonNode panel : MonitoringFiles.panels(dashboard)) {
                String what = name + " panel " + panel.path("id").asInt() + " \"" + panel.path("title").asString("") + "\"";
                if (panel.path("type").asString("").equals("row")) {
                    assertThat(panel.path("targets").isEmpty()).as(what + ": a row queries nothing").isTrue();
                    continue;
                }
                assertThat(panel.path("targets").isEmpty()).as(what + " has targets").isFalse();
                assertIsTheVariable(panel.path("datasource"), what);
                for (JsonNode target : panel.path("targets")) {
                    assertIsTheVariable(target.path("datasource"), what + " target " + target.path("refId").asString("?"));
                }
            }
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (variable.path("type").asString("").equals("query")) {
                    assertIsTheVariable(variable.path("datasource"), name + " variable " + variable.path("name").asString(""));
                }
            }
            // Anywhere else (annotations aside, which use Grafana's built-in source): no datasource uid but the variable.
            List<String> uids = new ArrayList<>();
            collectDatasourceUids(dashboard, uids);
            assertThat(uids).as(name + " datasource uids").allMatch(uid -> uid.equals(DATASOURCE_UID) || uid.equals("-- Grafana --"));
        });
    }

    private static void assertIsTheVariable(JsonNode datasource, String what) {
        assertThat(datasource.path("type").asString("")).as(what + " datasource type").isEqualTo("prometheus");
        assertThat(datasource.path("uid").asString("")).as(what + " datasource uid").isEqualTo(DATASOURCE_UID);
    }

    private static void collectDatasourceUids(JsonNode node, List<String> uids) {
        if (node.isObject()) {
            JsonNode datasource = node.path("datasource");
            if (datasource.isObject()) {
                uids.add(datasource.path("uid").asString(""));
            } else if (datasource.isString()) {
                uids.add(datasource.asString());
            }
            node.values().forEach(child -> collectDatasourceUids(child, uids));
        } else if (node.isArray()) {
            node.values().forEach(child -> collectDatasourceUids(child, uids));
        }
    }

    @Test
    void theRecipientVariableListsTheRoutersRecipientsAndAllowsAll() {
        dashboards().forEach((name, dashboard) -> {
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (variable.path("name").asString("").equals("recipient")) {
                    assertThat(variable.path("multi").asBoolean(false)).as(name + " recipient multi").isTrue();
                    assertThat(variable.path("includeAll").asBoolean(false)).as(name + " recipient includeAll").isTrue();
                    assertThat(variable.path("query").path("query").asString(""))
                            .isEqualTo("label_values(pupilflow_router_decisions_total{application=\"sharing-router\"}, recipient)");
                }
            }
        });
    }

    /** A $variable of a query that the dashboard does not define would be sent to Prometheus as it is. */
    @Test
    void everyVariableAQueryUsesIsDefinedOrAGrafanaMacro() {
        Map<String, JsonNode> dashboards = dashboards();
        for (Query query : dashboardQueries()) {
            JsonNode dashboard = dashboards.get(query.source().replaceFirst("^.*/([^/]+)\\.json .*$", "$1"));
            Set<String> defined = new TreeSet<>();
            dashboard.path("templating").path("list").forEach(v -> defined.add(v.path("name").asString("")));
            Matcher variable = VARIABLE.matcher(query.expression());
            while (variable.find()) {
                String name = variable.group(1) != null ? variable.group(1) : variable.group(2);
                assertThat(name.startsWith("__") || defined.contains(name)).as(query + ": $" + name + " is not a variable of the dashboard").isTrue();
            }
        }
    }

    @Test
    void everyExpressionParsesIntoSelectorsThatNameTheirService() {
        List<Query> queries = dashboardQueries();
        assertThat(queries).hasSizeGreaterThan(50);
        List<String> problems = new ArrayList<>();
        for (Query query : queries) {
            try {
                List<Selector> selectors = PromQl.selectors(query.expression());
                if (selectors.isEmpty()) {
                    problems.add(query + ": names no metric");
                }
                for (Selector selector : selectors) {
                    if (!selector.labels().contains("application")) {
                        problems.add(query + ": " + selector.metric() + " is not selected by its application label");
                    }
                }
                Matcher application = Pattern.compile("application\\s*=\\s*\"([^\"]*)\"").matcher(query.expression());
                while (application.find()) {
                    if (!SERVICES.contains(application.group(1))) {
                        problems.add(query + ": application \"" + application.group(1) + "\" is none of " + SERVICES);
                    }
                }
            } catch (IllegalArgumentException e) {
                problems.add(query.source() + ": " + e.getMessage());
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * Rates over $__rate_interval stay correct at every zoom (at least four scrape intervals); $__range is for totals
     * over the time picked.
     */
    @Test
    void everyRangeIsTheRateIntervalOrTheRange() {
        for (Query query : dashboardQueries()) {
            Matcher range = RANGE.matcher(query.expression().replaceAll("\"[^\"]*\"", "\"\""));
            while (range.find()) {
                assertThat(range.group(1)).as(query.toString()).isIn("$__rate_interval", "$__range");
            }
        }
    }

    @Test
    void eachDashboardLinksToTheOthers() {
        dashboards().forEach((name, dashboard) -> {
            List<JsonNode> links = dashboard.path("links").values().stream().toList();
            assertThat(links).as(name + ": a drop-down of every PupilFlow dashboard")
                    .anyMatch(link -> link.path("type").asString("").equals("dashboards")
                            && link.path("tags").values().stream().anyMatch(tag -> tag.asString("").equals("pupilflow")));
            for (String other : DASHBOARDS) {
                if (!other.equals(name)) {
                    assertThat(links).as(name + " links to " + other).anyMatch(link -> link.path("url").asString("").equals("/d/" + other));
                }
            }
        });
    }

    /** promtool parses the expressions as Prometheus will (Grafana's macros replaced by what Grafana sends). */
    @Test
    void prometheusParsesEveryExpression(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Promtool.available(), "promtool is not on the PATH");
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        int index = 0;
        Map<String, String> sources = new LinkedHashMap<>();
        for (Query query : dashboardQueries()) {
            String expr = query.expression().replace("$__rate_interval", "1m").replace("$__range", "6h")
                    .replaceAll("\\$\\{?recipient}?", "dfe");
            if (expr.startsWith("label_values(")) {
                continue;
            }
            String record = "dashboard:query" + index++;
            sources.put(record, query.source());
            rules.append("      - record: ").append(record).append("\n        expr: '").append(expr.replace("'", "''")).append("'\n");
        }
        Path file = dir.resolve("dashboards.rules.yml");
        Files.writeString(file, rules);
        Promtool.Result result = Promtool.run("check", "rules", file.toString());
        assertThat(result.exitCode()).as("promtool check rules on the dashboards' expressions (records: " + sources + "):\n" + result.output())
                .isZero();
    }
}
