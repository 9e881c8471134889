package org.pupilflow.local.monitoring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.yaml.snakeyaml.Yaml;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every PromQL expression of the monitoring files, with where it is: each target of each dashboard panel (rows' nested
 * panels included), each query variable of each dashboard, and each alert and recording rule. What the dashboards and
 * alerts read is checked from this one list (syntax here, series against a running stack in the metric-contract test).
 */
public final class MonitoringFiles {

    /** Where the dashboards are, relative to the repository. */
    public static final String DASHBOARDS = "deploy/grafana/dashboards";

    /** Where the rules files are, relative to the repository. */
    public static final String RULES = "deploy/prometheus/rules";

    /**
     * One expression and where it is, for messages: {@code deploy/grafana/dashboards/pupilflow-router.json panel 7
     * "Commit latency" target A}, {@code ... variable recipient}, {@code deploy/prometheus/rules/pupilflow.rules.yml alert
     * PupilFlowAuditChainBroken} (a name given to more rules than one gets {@code #2}, {@code #3} after it).
     */
    public record Query(String source, String expression) {

        @Override
        public String toString() {
            return source + ": " + expression;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private MonitoringFiles() {
    }

    /** The expressions of every dashboard and every rules file, dashboards first, each in file order. */
    public static List<Query> queries(Path repository) {
        List<Query> queries = new ArrayList<>();
        for (Path dashboard : dashboards(repository)) {
            queries.addAll(dashboardQueries(repository, dashboard));
        }
        for (Path rules : rulesFiles(repository)) {
            queries.addAll(ruleQueries(repository, rules));
        }
        return queries;
    }

    /** The dashboard files ({@code *.json}), sorted by name. */
    public static List<Path> dashboards(Path repository) {
        return list(repository.resolve(DASHBOARDS), ".json");
    }

    /** The rules files ({@code *.yml}, {@code *.yaml}), sorted; promtool's unit-test files ({@code *.test.yml}) are not rules. */
    public static List<Path> rulesFiles(Path repository) {
        return list(repository.resolve(RULES), ".yml", ".yaml").stream()
                .filter(file -> !file.getFileName().toString().matches(".*\\.test\\.ya?ml")).toList();
    }

    /** A dashboard as a tree; duplicate keys are refused (Grafana would silently keep the last one). */
    public static JsonNode readDashboard(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A rules file as the maps and lists of its YAML. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readRules(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Object loaded = new Yaml().load(in);
            if (!(loaded instanceof Map)) {
                throw new IllegalArgumentException(file + ": a rules file is a mapping with groups");
            }
            return (Map<String, Object>) loaded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel of a dashboard, those nested in rows included, in file order. */
    public static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        collectPanels(dashboard.path("panels"), panels);
        return panels;
    }

    private static void collectPanels(JsonNode list, List<JsonNode> into) {
        for (JsonNode panel : list) {
            into.add(panel);
            collectPanels(panel.path("panels"), into);
        }
    }

    static List<Query> dashboardQueries(Path repository, Path file) {
        String name = relative(repository, file);
        JsonNode dashboard = readDashboard(file);
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asString("");
                if (!expr.isBlank()) {
                    queries.add(new Query(name + " panel " + panel.path("id").asString("?") + " \"" + panel.path("title").asString("")
                            + "\" target " + target.path("refId").asString("?"), expr));
                }
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asString("").equals("query")) {
                JsonNode query = variable.path("query");
                // Grafana 10+ writes the query as an object ({query, qryType, refId}); older dashboards as a string.
                String expr = query.isObject() ? query.path("query").asString("") : query.asString("");
                if (expr.isBlank()) {
                    expr = variable.path("definition").asString("");
                }
                queries.add(new Query(name + " variable " + variable.path("name").asString("?"), expr));
            }
        }
        return queries;
    }

    @SuppressWarnings("unchecked")
    static List<Query> ruleQueries(Path repository, Path file) {
        String name = relative(repository, file);
        List<Query> queries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        Object groups = readRules(file).get("groups");
        for (Object group : groups instanceof List<?> list ? list : List.of()) {
            Object rules = ((Map<String, Object>) group).get("rules");
            for (Object rule : rules instanceof List<?> list ? list : List.of()) {
                Map<String, Object> fields = (Map<String, Object>) rule;
                String kind = fields.containsKey("alert") ? "alert" : "record";
                String ruleName = String.valueOf(fields.get(kind));
                int occurrence = seen.merge(kind + " " + ruleName, 1, Integer::sum);
                queries.add(new Query(name + " " + kind + " " + ruleName + (occurrence > 1 ? " #" + occurrence : ""),
                        String.valueOf(fields.get("expr"))));
            }
        }
        return queries;
    }

    private static List<Path> list(Path dir, String... suffixes) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(file -> Stream.of(suffixes).anyMatch(file.getFileName().toString()::endsWith))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String relative(Path repository, Path file) {
        return repository.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }
}
