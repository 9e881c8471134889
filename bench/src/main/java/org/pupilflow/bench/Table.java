package org.pupilflow.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The result table. A target row is a ratio of two figures measured in the same run (interleaved A B A B A B
 * where the pair can be repeated): its median, its spread (lowest to highest) and how many values it has, the
 * target and whether the median meets it. The absolute figures beside it are information only: on a shared
 * 2-core machine they move 1.5-2.5x between runs, the ratios much less.
 */
final class Table {

    /** A ratio compared with a bound: {@code >= bound} or {@code <= bound}. */
    record Target(String text, double bound, boolean atLeast) {
        static Target atLeast(double bound) {
            return new Target(String.format(Locale.UK, ">= %.2f", bound), bound, true);
        }

        static Target atMost(double bound) {
            return new Target(String.format(Locale.UK, "<= %.2f", bound), bound, false);
        }

        static Target atMostMs(double bound) {
            return new Target(String.format(Locale.UK, "<= %.0f ms", bound), bound, false);
        }

        boolean met(double value) {
            return atLeast ? value >= bound : value <= bound;
        }
    }

    record Row(String what, String median, String spread, String target, String verdict, String figures) {
    }

    private final List<Row> rows = new ArrayList<>();

    /** A target row from its values (one per interleaved pair). */
    void ratio(String what, double[] values, Target target, String figures) {
        add(what, values, target, figures, "%.2f");
    }

    /** A target row in milliseconds. */
    void millis(String what, double[] values, Target target, String figures) {
        add(what, values, target, figures, "%.0f ms");
    }

    /**
     * A target row in milliseconds whose value is one figure of the whole measurement (a p99 over all records), its
     * spread that of the same figure over parts of it ({@code parts}, e.g. each third of the measured period).
     */
    void millis(String what, double value, double[] parts, Target target, String figures) {
        String spread = String.format(Locale.UK, "%.0f ms - %.0f ms (%d parts)", min(parts), max(parts), parts.length);
        rows.add(new Row(what, String.format(Locale.UK, "%.0f ms", value), spread, target.text(), target.met(value) ? "met" : "MISSED", figures));
        print(rows.get(rows.size() - 1));
    }

    private void add(String what, double[] values, Target target, String figures, String format) {
        if (values.length == 0) {
            rows.add(new Row(what, "not measured", "", target.text(), "", figures));
            print(rows.get(rows.size() - 1));
            return;
        }
        double median = median(values);
        String spread = values.length == 1 ? "1 run"
                : String.format(Locale.UK, format + " - " + format + " (%d)", min(values), max(values), values.length);
        rows.add(new Row(what, String.format(Locale.UK, format, median), spread, target.text(), target.met(median) ? "met" : "MISSED", figures));
        print(rows.get(rows.size() - 1));
    }

    /** An information row: absolute figures, no target. */
    void info(String what, String figures) {
        rows.add(new Row(what, "", "", "", "", figures));
        print(rows.get(rows.size() - 1));
    }

    List<Row> rows() {
        return rows;
    }

    String markdown() {
        StringBuilder md = new StringBuilder("| What | Ratio (median) | Spread: min - max (runs) | Target | | Figures (information) |\n|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            md.append("| ").append(String.join(" | ", row.what(), row.median(), row.spread(), row.target(), row.verdict(), row.figures())).append(" |\n");
        }
        return md.toString();
    }

    private static void print(Row row) {
        System.out.printf("    %-58s %-10s %-26s %-10s %-7s %s%n", row.what(), row.median(), row.spread(), row.target(), row.verdict(), row.figures());
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    static String fmt(double value) {
        return String.format(Locale.UK, "%,.0f", value);
    }

    /** "median (min - max)" of microseconds, two decimals. */
    static String micros(double[] values) {
        if (values.length == 1) {
            return String.format(Locale.UK, "%.2f us", values[0]);
        }
        return String.format(Locale.UK, "%.2f us (%.2f - %.2f)", median(values), min(values), max(values));
    }

    /** "median (min - max)" of absolute figures. */
    static String figures(double[] values, String unit) {
        if (values.length == 1) {
            return fmt(values[0]) + " " + unit;
        }
        return fmt(median(values)) + " " + unit + " (" + fmt(min(values)) + " - " + fmt(max(values)) + ")";
    }
}
