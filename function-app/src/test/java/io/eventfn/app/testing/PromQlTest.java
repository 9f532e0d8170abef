package io.eventfn.app.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Metric names are told apart from the rest of an expression. */
class PromQlTest {

    @Test
    void findsMetricsButNotFunctionsAggregationsLabelsOrRanges() {
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (le) (rate(eventfn_processing_seconds_bucket"
                + "{namespace=\"$namespace\", le!=\"+Inf\"}[$__rate_interval])))"))
                .containsExactly("eventfn_processing_seconds_bucket");
    }

    @Test
    void findsBothSidesOfBinaryOperatorsAndSkipsMatchingClauses() {
        assertThat(PromQl.metricNames("(eventfn_last_commit_age_seconds > 300 or eventfn_last_commit_age_seconds !="
                + " eventfn_last_commit_age_seconds)\nand on (namespace, pod)\neventfn_lag_committed_records > 0"))
                .containsExactly("eventfn_last_commit_age_seconds", "eventfn_lag_committed_records");
        assertThat(PromQl.metricNames("sum by (namespace) (rate(a_total[10m])) / ignoring (reason_class)"
                + " group_left (pod) sum without (instance) (rate(b_total[10m] offset 5m)) > bool 1e3"))
                .containsExactly("a_total", "b_total");
    }

    @Test
    void readsTheSelectorOfGrafanasLabelValuesNotItsLabel() {
        assertThat(PromQl.metricNames("label_values(eventfn_records_received_total, namespace)"))
                .containsExactly("eventfn_records_received_total");
    }

    @Test
    void ignoresStringsThatLookLikeNames() {
        assertThat(PromQl.metricNames("up{job=~\"order_enricher.*\"} == 0 and kube_pod_status_ready{condition=\"true\"}"))
                .containsExactly("up", "kube_pod_status_ready");
    }
}
