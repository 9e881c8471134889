package org.pupilflow.local.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pupilflow.local.monitoring.PromQl.Selector;

/** The metric and label names {@link PromQl} finds are exactly those a PromQL expression relies on, no more, no fewer. */
class PromQlTest {

    private static List<Selector> selectors(String expr) {
        return PromQl.selectors(expr);
    }

    private static Selector s(String metric, String... labels) {
        return Selector.of(metric, labels);
    }

    // ---------------------------------------------------------------------------------------------- selectors

    @Test
    void aBareMetricNameIsOneSelectorWithoutLabels() {
        assertThat(selectors("up_and_running")).containsExactly(s("up_and_running"));
    }

    @Test
    void matcherLabelsOfEveryKindAreCollected() {
        assertThat(selectors("pupilflow_router_decisions_total{application=\"sharing-router\", recipient=~\"dfe|nhs\", outcome!=\"WITHHELD\", x!~\"y\",}"))
                .containsExactly(s("pupilflow_router_decisions_total", "application", "recipient", "outcome", "x"));
    }

    @Test
    void metricNamesMayContainColonsAsRecordingRulesDo() {
        assertThat(selectors("pupilflow:router_decisions:rate5m > 0")).containsExactly(s("pupilflow:router_decisions:rate5m"));
    }

    @Test
    void anExactNameMatcherNamesTheMetric() {
        assertThat(selectors("{__name__=\"pupilflow_router_running\", application=\"sharing-router\"}"))
                .containsExactly(s("pupilflow_router_running", "application"));
    }

    @Test
    void aSelectorWithoutAnExactNameIsRefusedBecauseItsSeriesCannotBeChecked() {
        assertThatThrownBy(() -> selectors("{application=\"sharing-router\"}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a metric name");
        assertThatThrownBy(() -> selectors("{__name__=~\"pupilflow_.*\"}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("__name__");
    }

    @Test
    void everyOccurrenceIsReportedInOrder() {
        assertThat(selectors("a{x=\"1\"} / b + a"))
                .containsExactly(s("a", "x"), s("b"), s("a"));
    }

    // ---------------------------------------------------------------------------------------------- what is skipped

    @Test
    void stringLiteralsAreNotNames() {
        assertThat(selectors("label_replace(foo{a=\"b\"}, \"dst\", \"$1\", \"src\", \"(.*)\")")).containsExactly(s("foo", "a"));
        assertThat(selectors("count_values(\"version\", build_info)")).containsExactly(s("build_info"));
        assertThat(selectors("foo{path='/a\\'b', q=`raw \\ string`}")).containsExactly(s("foo", "path", "q"));
    }

    @Test
    void aStringMayHoldAnythingThatLooksLikePromQl() {
        assertThat(selectors("foo{uri=\"sum(rate(bar[5m])) by (baz) {x=\\\"y\\\"}\"}")).containsExactly(s("foo", "uri"));
    }

    @Test
    void functionNamesAreNotMetrics() {
        assertThat(selectors("histogram_quantile(0.95, rate(x_bucket[5m]))")).containsExactly(s("x_bucket"));
        assertThat(selectors("absent(pupilflow_router_running{application=\"sharing-router\"})"))
                .containsExactly(s("pupilflow_router_running", "application"));
        assertThat(selectors("time() - pupilflow_audit_last_verified_seconds")).containsExactly(s("pupilflow_audit_last_verified_seconds"));
        assertThat(selectors("vector(1)")).isEmpty();
    }

    @Test
    void numbersOfEveryFormAreSkipped() {
        assertThat(selectors("foo > 1e3 and foo < 0x1F or foo != .5 or foo == Inf or foo != NaN or foo > -1.5E-3")).hasSize(6)
                .allSatisfy(selector -> assertThat(selector).isEqualTo(s("foo")));
        assertThat(selectors("2 * 86400")).isEmpty();
    }

    @Test
    void durationsInRangesSubqueriesAndOffsetsAreSkipped() {
        assertThat(selectors("rate(foo[5m]) + rate(bar[1h30m] offset 1d) - max_over_time(baz[10m:30s]) + min_over_time(rate(qux[5m])[1h:])"))
                .containsExactly(s("foo"), s("bar"), s("baz"), s("qux"));
        assertThat(selectors("foo offset -5m unless foo offset 15m")).containsExactly(s("foo"), s("foo"));
        assertThat(selectors("foo @ 1700000000 + foo @ start() - foo @ end()")).containsExactly(s("foo"), s("foo"), s("foo"));
    }

    @Test
    void commentsAreSkipped() {
        assertThat(selectors("""
                # the router's decisions
                sum(rate(decisions[5m])) # per second
                """)).containsExactly(s("decisions"));
    }

    @Test
    void keywordsAndOperatorsAreNotMetrics() {
        assertThat(selectors("a and b or c unless d")).containsExactly(s("a"), s("b"), s("c"), s("d"));
        assertThat(selectors("a > bool 1")).containsExactly(s("a"));
        assertThat(selectors("a atan2 b")).containsExactly(s("a"), s("b"));
        assertThat(selectors("a ^ 2 % 3")).containsExactly(s("a"));
        assertThat(selectors("AND_count + x OR y")).as("keywords are read case-insensitively, a name merely starting with one is a name")
                .containsExactly(s("AND_count"), s("x"), s("y"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sum", "by", "without", "on", "ignoring", "group_left", "bool", "offset", "or", "topk"})
    void aKeywordWhereAMetricShouldBeIsRefused(String keyword) {
        assertThatThrownBy(() -> selectors("rate(" + keyword + "[5m])")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------------------------------------- aggregations

    @Test
    void byLabelsBelongToTheMetricsOfTheAggregation() {
        assertThat(selectors("sum by (recipient, outcome) (rate(pupilflow_router_decisions_total{application=\"sharing-router\"}[5m]))"))
                .containsExactly(s("pupilflow_router_decisions_total", "application", "recipient", "outcome"));
    }

    @Test
    void theGroupingClauseMayFollowTheArguments() {
        assertThat(selectors("sum(rate(foo[5m])) by (topic)")).containsExactly(s("foo", "topic"));
        assertThat(selectors("max without (instance, pod) (foo)")).containsExactly(s("foo", "instance", "pod"));
    }

    @Test
    void aGroupingClauseDoesNotReachMetricsOutsideItsAggregation() {
        assertThat(selectors("sum by (ledger) (rate(a[5m])) / on () group_left sum(rate(b[5m]))"))
                .containsExactly(s("a", "ledger"), s("b"));
    }

    @Test
    void nestedAggregationsGiveEachMetricTheLabelsOfEveryEnclosingClause() {
        assertThat(selectors("max by (recipient) (min by (recipient, group) (age{topic=\"t\"}) + on (recipient) other)"))
                .containsExactly(s("age", "recipient", "group", "topic"), s("other", "recipient"));
    }

    @Test
    void aggregationParametersAreSkippedOrParsed() {
        assertThat(selectors("topk(5, sum by (rule) (rate(issues[5m])))")).containsExactly(s("issues", "rule"));
        assertThat(selectors("quantile(0.9, foo)")).containsExactly(s("foo"));
        assertThat(selectors("topk by (a) (scalar(limit), foo)")).as("ambiguous: the by labels go to every metric inside")
                .containsExactly(s("limit", "a"), s("foo", "a"));
    }

    @Test
    void theLeLabelOfAHistogramQuantileIsARealLabelOfTheBucketSeries() {
        assertThat(selectors("histogram_quantile(0.95, sum by (le) (rate(pupilflow_router_record_age_seconds_bucket{application=\"sharing-router\"}[5m])))"))
                .containsExactly(s("pupilflow_router_record_age_seconds_bucket", "application", "le"));
    }

    // ---------------------------------------------------------------------------------------------- vector matching

    @Test
    void onAndIgnoringLabelsBelongToBothSides() {
        assertThat(selectors("a / on (recipient, topic) b")).containsExactly(s("a", "recipient", "topic"), s("b", "recipient", "topic"));
        assertThat(selectors("a - ignoring (ledger) b")).containsExactly(s("a", "ledger"), s("b", "ledger"));
    }

    @Test
    void groupLeftLabelsComeFromTheRightHandSide() {
        assertThat(selectors("a * on (pod) group_left (node) info"))
                .containsExactly(s("a", "pod"), s("info", "pod", "node"));
        assertThat(selectors("a * on (pod) group_left info")).containsExactly(s("a", "pod"), s("info", "pod"));
    }

    @Test
    void groupRightLabelsComeFromTheLeftHandSide() {
        assertThat(selectors("info * on (pod) group_right (node) a"))
                .containsExactly(s("info", "pod", "node"), s("a", "pod"));
    }

    @Test
    void matchingAppliesToTheWholeOperandsAsPrecedenceGroupsThem() {
        // * binds tighter than +: on(x) applies to a and to (b * c), and reaches b and c.
        assertThat(selectors("a + on (x) b * c")).containsExactly(s("a", "x"), s("b", "x"), s("c", "x"));
        // + binds tighter than and: on(x) of "and" reaches everything on both sides.
        assertThat(selectors("a + b and on (x) c")).containsExactly(s("a", "x"), s("b", "x"), s("c", "x"));
        // on(y) of * does not reach d across the looser "+".
        assertThat(selectors("a * on (y) b + d")).containsExactly(s("a", "y"), s("b", "y"), s("d"));
        assertThat(selectors("(a + d) * on (y) b")).containsExactly(s("a", "y"), s("d", "y"), s("b", "y"));
    }

    @Test
    void unaryOperatorsAreSkipped() {
        assertThat(selectors("-foo + +bar - -1")).containsExactly(s("foo"), s("bar"));
    }

    // ---------------------------------------------------------------------------------------------- Grafana

    @Test
    void grafanaIntervalMacrosAreDurations() {
        assertThat(selectors("rate(a[$__rate_interval]) + increase(b[$__range]) + rate(c[${__interval}]) + d offset $__interval"))
                .containsExactly(s("a"), s("b"), s("c"), s("d"));
        assertThat(selectors("foo / $__range_s")).containsExactly(s("foo"));
    }

    @Test
    void grafanaVariablesInsideQuotedLabelValuesAreValues() {
        assertThat(selectors("sum by (recipient) (rate(decisions{recipient=~\"$recipient\", topic=~\"recipient[.]${recipient:regex}\"}[$__rate_interval]))"))
                .containsExactly(s("decisions", "recipient", "topic"));
    }

    @Test
    void aGrafanaVariableOutsideAQuotedValueIsRefused() {
        assertThatThrownBy(() -> selectors("sum by ($label) (foo)")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$label").hasMessageContaining("outside a quoted label value");
        assertThatThrownBy(() -> selectors("$metric")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> selectors("foo > ${threshold}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void labelValuesNamesTheMetricAndTheLabel() {
        assertThat(selectors("label_values(pupilflow_router_decisions_total, recipient)"))
                .containsExactly(s("pupilflow_router_decisions_total", "recipient"));
        assertThat(selectors("label_values(pupilflow_recipient_lag_records{application=\"audit-service\", recipient=~\"$recipient\"}, group)"))
                .containsExactly(s("pupilflow_recipient_lag_records", "application", "recipient", "group"));
    }

    @Test
    void labelValuesOfALabelAloneNamesNoMetric() {
        assertThat(selectors("label_values(recipient)")).isEmpty();
        assertThat(selectors("label_names()")).isEmpty();
    }

    @Test
    void queryResultIsAnExpression() {
        assertThat(selectors("query_result(topk(3, sum by (recipient) (foo)))")).containsExactly(s("foo", "recipient"));
    }

    // ---------------------------------------------------------------------------------------------- errors

    @ParameterizedTest
    @ValueSource(strings = {"", "sum(", "rate(foo[5m]", "foo{a=\"b\"", "foo{a=b}", "foo{a}", "foo[5]", "foo offset", "foo +",
            "foo bar", "(foo))", "foo{a=\"b}", "sum by (a b) (foo)", "foo @ bar", "5x", "foo # nothing\n+", "a{b=\"c\"}{d=\"e\"}"})
    void malformedExpressionsAreRefusedWithThePosition(String expr) {
        assertThatThrownBy(() -> selectors(expr)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("position");
    }

    // ---------------------------------------------------------------------------------------------- real expressions

    @Test
    void theRouterNotRunningAlert() {
        assertThat(selectors("""
                pupilflow_router_running{application="sharing-router"} == 0
                  or absent(pupilflow_router_running{application="sharing-router"})
                """)).containsExactly(s("pupilflow_router_running", "application"), s("pupilflow_router_running", "application"));
    }

    @Test
    void theDeadLettersAlert() {
        assertThat(selectors("""
                sum by (application, reason) (
                    (pupilflow_router_dead_letters_total{application="sharing-router"}
                       unless pupilflow_router_dead_letters_total{application="sharing-router"} offset 15m)
                  or increase(pupilflow_router_dead_letters_total{application="sharing-router"}[15m])
                ) > 0
                or sum by (application, ledger, reason) (increase(pupilflow_audit_dead_letters_total{application="audit-service"}[15m])) > 0
                """)).containsExactly(
                s("pupilflow_router_dead_letters_total", "application", "reason"),
                s("pupilflow_router_dead_letters_total", "application", "reason"),
                s("pupilflow_router_dead_letters_total", "application", "reason"),
                s("pupilflow_audit_dead_letters_total", "application", "ledger", "reason"));
    }

    @Test
    void theVerificationStaleAlert() {
        assertThat(selectors("""
                (time() - pupilflow_audit_last_verified_seconds{application="audit-service"} > 3 * 3600
                   and pupilflow_audit_last_verified_seconds{application="audit-service"} > 0)
                or increase(pupilflow_audit_verify_failures_total{application="audit-service"}[1h]) > 0
                """)).containsExactly(s("pupilflow_audit_last_verified_seconds", "application"),
                s("pupilflow_audit_last_verified_seconds", "application"), s("pupilflow_audit_verify_failures_total", "application"));
    }

    @Test
    void theRecipientNotCollectingAlert() {
        assertThat(selectors("min by (recipient) (pupilflow_recipient_oldest_uncollected_age_seconds{application=\"audit-service\"}) > 2 * 86400"))
                .containsExactly(s("pupilflow_recipient_oldest_uncollected_age_seconds", "application", "recipient"));
    }

    @Test
    void aDashboardQueryWithARecipientVariableAndATopicRegex() {
        assertThat(selectors("sum by (topic) (rate(kafka_stream_topic_records_produced_total{application=\"sharing-router\", topic=~\"recipient[.]($recipient)\"}[$__rate_interval]))"))
                .containsExactly(s("kafka_stream_topic_records_produced_total", "application", "topic"));
    }

    @Test
    void aDashboardHeatmapAndARatio() {
        assertThat(selectors("sum by (le) (increase(pupilflow_router_processing_seconds_bucket{application=\"sharing-router\"}[$__rate_interval]))"))
                .containsExactly(s("pupilflow_router_processing_seconds_bucket", "application", "le"));
        assertThat(selectors("""
                sum by (ledger) (rate(pupilflow_audit_batch_seconds_sum{application="audit-service"}[$__rate_interval]))
                  / sum by (ledger) (rate(pupilflow_audit_batch_seconds_count{application="audit-service"}[$__rate_interval]))
                """)).containsExactly(s("pupilflow_audit_batch_seconds_sum", "application", "ledger"),
                s("pupilflow_audit_batch_seconds_count", "application", "ledger"));
    }

    @org.junit.jupiter.api.Test
    void exactMatchersNameTheSeriesAPanelNeedsButNotItsVariables() {
        assertThat(PromQl.exactMatchers("sum by (recipient) (rate(pupilflow_router_decisions_total{application=\"sharing-router\", outcome=~\"D.*\", recipient=\"$recipient\"}[5m]))"
                + " / on() group_left max(pupilflow_audit_chain_intact{application=\"audit-service\"})"))
                .containsExactly(java.util.Map.entry("pupilflow_router_decisions_total", java.util.Map.of("application", "sharing-router")),
                        java.util.Map.entry("pupilflow_audit_chain_intact", java.util.Map.of("application", "audit-service")));
        assertThat(PromQl.exactMatchers("label_values(pupilflow_router_decisions_total, recipient)")).isEmpty();
    }
}
