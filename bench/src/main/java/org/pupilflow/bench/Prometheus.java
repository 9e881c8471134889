package org.pupilflow.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a value from a service's /actuator/prometheus page: the sum of every series of a metric whose line matches. */
final class Prometheus {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Prometheus() {
    }

    static double sum(String baseUrl, String metric, String mustContain) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.lines()
                    .filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
                    .filter(line -> mustContain == null || line.contains(mustContain))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** A histogram's cumulative bucket counts now: upper bound (le) to count, summed over its series. */
    static java.util.TreeMap<Double, Double> buckets(String baseUrl, String metric) {
        java.util.TreeMap<Double, Double> buckets = new java.util.TreeMap<>();
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            body.lines().filter(line -> line.startsWith(metric + "_bucket{")).forEach(line -> {
                int le = line.indexOf("le=\"");
                String bound = line.substring(le + 4, line.indexOf('"', le + 4));
                double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                buckets.merge(upper, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            });
        } catch (IOException e) {
            return buckets;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return buckets;
    }

    /** The upper bound of the bucket holding the {@code p} quantile of what was recorded between two bucket snapshots. */
    static double quantile(java.util.TreeMap<Double, Double> before, java.util.TreeMap<Double, Double> after, double p) {
        double total = after.lastEntry() == null ? 0 : after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
        for (var bucket : after.entrySet()) {
            if (bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0) >= p * total) {
                return bucket.getKey();
            }
        }
        return Double.NaN;
    }

    /** Heap in use now (all heap pools). */
    static double heapUsed(String baseUrl) {
        return sum(baseUrl, "jvm_memory_used_bytes", "area=\"heap\"");
    }
}
