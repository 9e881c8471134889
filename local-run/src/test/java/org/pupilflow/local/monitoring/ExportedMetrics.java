package org.pupilflow.local.monitoring;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What services export, read from their Prometheus text exposition: every series name with the label names it
 * carries, and the series themselves for value checks.
 */
public final class ExportedMetrics {

    /** Labels Prometheus itself attaches when it scrapes (target labels of Compose, the PodMonitor and the local config). */
    public static final Set<String> TARGET_LABELS = Set.of("job", "instance", "service", "namespace", "pod", "container", "endpoint");

    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Map<String, Set<String>> labels = new TreeMap<>();
    private final java.util.List<Sample> samples = new java.util.ArrayList<>();

    /** One sample line. */
    public record Sample(String metric, Map<String, String> labels, double value) {
    }

    /** Adds one scrape (the body of {@code /actuator/prometheus}). */
    public ExportedMetrics add(String exposition) {
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher series = SERIES.matcher(line);
            if (!series.find()) {
                throw new IllegalArgumentException("not a Prometheus sample line: " + line);
            }
            Set<String> names = labels.computeIfAbsent(series.group(1), name -> new TreeSet<>());
            Map<String, String> pairs = new TreeMap<>();
            if (series.group(3) != null) {
                Matcher label = LABEL.matcher(series.group(3));
                while (label.find()) {
                    names.add(label.group(1));
                    pairs.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(series.group(1), Map.copyOf(pairs), Double.parseDouble(series.group(4))));
        }
        return this;
    }

    public boolean has(String metric) {
        return labels.containsKey(metric);
    }

    /** The label names the metric's series carry (any of them), plus the target labels Prometheus adds. */
    public Set<String> labelsOf(String metric) {
        Set<String> all = new TreeSet<>(labels.getOrDefault(metric, Set.of()));
        all.addAll(TARGET_LABELS);
        return all;
    }

    /** Samples of {@code metric} whose labels include all of {@code match}. */
    public java.util.List<Sample> samples(String metric, Map<String, String> match) {
        return samples.stream().filter(sample -> sample.metric().equals(metric) && sample.labels().entrySet().containsAll(match.entrySet())).toList();
    }
}
