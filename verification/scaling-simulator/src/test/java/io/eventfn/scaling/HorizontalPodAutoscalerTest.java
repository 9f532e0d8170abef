package io.eventfn.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventfn.kafka.local.ConsumerGroupLag;

import io.eventfn.scaling.HorizontalPodAutoscaler.Behavior;
import io.eventfn.scaling.HorizontalPodAutoscaler.PolicyType;
import io.eventfn.scaling.HorizontalPodAutoscaler.ScalingPolicy;
import io.eventfn.scaling.HorizontalPodAutoscaler.ScalingRules;
import io.eventfn.scaling.HorizontalPodAutoscaler.SelectPolicy;

class HorizontalPodAutoscalerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static HorizontalPodAutoscaler hpa(int max, long target, Behavior behavior) {
        return new HorizontalPodAutoscaler(1, max, target, HorizontalPodAutoscaler.DEFAULT_TOLERANCE, behavior);
    }

    /** No rate limits, only a scale-down stabilization window. */
    private static Behavior unlimited(Duration downWindow) {
        List<ScalingPolicy> any = List.of(new ScalingPolicy(PolicyType.PODS, 1000, Duration.ofSeconds(15)));
        return new Behavior(new ScalingRules(Duration.ZERO, SelectPolicy.MAX, any),
                new ScalingRules(downWindow, SelectPolicy.MAX, any));
    }

    @Test
    void desiredReplicasIsCeilOfMetricOverTarget() {
        var hpa = hpa(100, 10, unlimited(Duration.ZERO));
        assertThat(hpa.replicasForMetric(1, 31)).isEqualTo(4);
        assertThat(hpa.replicasForMetric(4, 5)).isEqualTo(1);
    }

    @Test
    void ignoresChangesWithinTenPercentTolerance() {
        var hpa = hpa(100, 10, unlimited(Duration.ZERO));
        assertThat(hpa.replicasForMetric(4, 43)).isEqualTo(4); // ratio 1.075: within 0.1
        // Ratio 1.1 exactly: |1 - 1.1| is 0.10000000000000009 in float64, so Kubernetes scales; so does the model.
        assertThat(hpa.replicasForMetric(4, 44)).isEqualTo(5);
        assertThat(hpa.replicasForMetric(4, 36)).isEqualTo(4);
        assertThat(hpa.replicasForMetric(4, 35)).isEqualTo(4); // ratio 0.875 -> ceil(3.5) = 4 anyway
        assertThat(hpa.replicasForMetric(4, 29)).isEqualTo(3);
    }

    @Test
    void reachesPartitionsPlusOneInTheBandKedasCapLetsThrough() {
        var scaler = new KedaKafkaScaler(KafkaTrigger.of(10, 0, KafkaTrigger.OffsetResetPolicy.EARLIEST));
        long metric = scaler.totalLag(ConsumerGroupLag.partitionsOf("t", 3).stream()
                .map(partition -> new ConsumerGroupLag.PartitionLag(partition, 0, 13)).toList()).totalLag();
        assertThat(hpa(100, 10, unlimited(Duration.ZERO)).reconcile(1, metric, T0)).isEqualTo(4);
        assertThat(hpa(3, 10, unlimited(Duration.ZERO)).reconcile(1, metric, T0)).isEqualTo(3); // maxReplicaCount
    }

    @Test
    void leavesATargetAtZeroAlone() {
        assertThat(hpa(6, 10, unlimited(Duration.ZERO)).reconcile(0, 1000, T0)).isZero();
    }

    @Test
    void scaleDownWaitsForTheHighestRecommendationInTheStabilizationWindow() {
        var hpa = hpa(6, 10, unlimited(Duration.ofSeconds(60)));
        assertThat(hpa.reconcile(1, 60, T0)).isEqualTo(6);
        assertThat(hpa.reconcile(6, 0, T0.plusSeconds(15))).isEqualTo(6);
        assertThat(hpa.reconcile(6, 0, T0.plusSeconds(45))).isEqualTo(6);
        assertThat(hpa.reconcile(6, 0, T0.plusSeconds(61))).isEqualTo(1); // the 6 fell out of the window
    }

    @Test
    void scaleUpIsLimitedByPoliciesPerPeriod() {
        // deploy/base: +100 % or +2 pods per 15 s, whichever is more; down 1 pod per 30 s.
        var behavior = new Behavior(
                new ScalingRules(Duration.ZERO, SelectPolicy.MAX, List.of(
                        new ScalingPolicy(PolicyType.PERCENT, 100, Duration.ofSeconds(15)),
                        new ScalingPolicy(PolicyType.PODS, 2, Duration.ofSeconds(15)))),
                new ScalingRules(Duration.ZERO, SelectPolicy.MIN, List.of(
                        new ScalingPolicy(PolicyType.PODS, 1, Duration.ofSeconds(30)))));
        var hpa = hpa(6, 1000, behavior);
        assertThat(hpa.reconcile(1, 6000, T0)).isEqualTo(3);
        assertThat(hpa.reconcile(3, 6000, T0.plusSeconds(5))).isEqualTo(3); // still within the 15 s period
        assertThat(hpa.reconcile(3, 6000, T0.plusSeconds(16))).isEqualTo(6);
        // Kubernetes counts the period's start from both directions' events: 30 s after the last scale-up, 1 pod.
        assertThat(hpa.reconcile(6, 0, T0.plusSeconds(50))).isEqualTo(5);
        assertThat(hpa.reconcile(5, 0, T0.plusSeconds(65))).isEqualTo(5);
        assertThat(hpa.reconcile(5, 0, T0.plusSeconds(81))).isEqualTo(4);
    }

    @Test
    void kubernetesDefaultsDoubleOrAddFourPerPeriod() {
        var hpa = hpa(100, 10, Behavior.kubernetesDefaults());
        assertThat(hpa.reconcile(1, 1000, T0)).isEqualTo(5);
        assertThat(hpa.reconcile(5, 1000, T0.plusSeconds(16))).isEqualTo(10);
    }
}
