package io.eventfn.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The HorizontalPodAutoscaler controller for one HPA with one External metric of type AverageValue, the HPA KEDA
 * creates for a kafka trigger: {@code GetExternalPerPodMetricReplicas} (replica_calculator.go),
 * {@code reconcileAutoscaler}, {@code stabilizeRecommendationWithBehaviors} and
 * {@code convertDesiredReplicasWithBehaviorRate} (horizontal.go) of kubernetes/pkg/controller/podautoscaler.
 * Not modelled: pod readiness (an AverageValue External metric does not look at pods), configurable tolerance.
 */
public final class HorizontalPodAutoscaler {

    /** kube-controller-manager's {@code --horizontal-pod-autoscaler-tolerance}. */
    public static final double DEFAULT_TOLERANCE = 0.1;

    public enum PolicyType {
        PODS, PERCENT
    }

    public enum SelectPolicy {
        MAX, MIN, DISABLED
    }

    public record ScalingPolicy(PolicyType type, int value, Duration period) {
    }

    public record ScalingRules(Duration stabilizationWindow, SelectPolicy selectPolicy, List<ScalingPolicy> policies) {
    }

    public record Behavior(ScalingRules scaleUp, ScalingRules scaleDown) {

        /** What the API server fills in when a HPA has no behavior: up at once (x2 or +4 per 15 s), down after 300 s. */
        public static Behavior kubernetesDefaults() {
            return withScaleDownWindow(Duration.ofSeconds(300));
        }

        /** The defaults but for the scale-down stabilization window (short in tests). */
        public static Behavior withScaleDownWindow(Duration window) {
            return new Behavior(
                    new ScalingRules(Duration.ZERO, SelectPolicy.MAX, List.of(
                            new ScalingPolicy(PolicyType.PERCENT, 100, Duration.ofSeconds(15)),
                            new ScalingPolicy(PolicyType.PODS, 4, Duration.ofSeconds(15)))),
                    new ScalingRules(window, SelectPolicy.MAX, List.of(
                            new ScalingPolicy(PolicyType.PERCENT, 100, Duration.ofSeconds(15)))));
        }
    }

    private record Recommendation(Instant timestamp, int replicas) {
    }

    private record ScaleEvent(Instant timestamp, int replicaChange) {
    }

    private final int minReplicas;
    private final int maxReplicas;
    private final long targetAverageValue;
    private final double tolerance;
    private final Behavior behavior;
    private final List<Recommendation> recommendations = new ArrayList<>();
    private final List<ScaleEvent> scaleUpEvents = new ArrayList<>();
    private final List<ScaleEvent> scaleDownEvents = new ArrayList<>();

    public HorizontalPodAutoscaler(int minReplicas, int maxReplicas, long targetAverageValue, double tolerance,
            Behavior behavior) {
        this.minReplicas = minReplicas;
        this.maxReplicas = maxReplicas;
        this.targetAverageValue = targetAverageValue;
        this.tolerance = tolerance;
        this.behavior = behavior;
    }

    /** The HPA KEDA creates for {@code scaledObject}: minReplicas max(1, min), AverageValue target lagThreshold. */
    public static HorizontalPodAutoscaler forScaledObject(ScaledObject scaledObject) {
        return new HorizontalPodAutoscaler(scaledObject.hpaMinReplicas(), scaledObject.maxReplicaCount(),
                scaledObject.trigger().lagThreshold(), DEFAULT_TOLERANCE, scaledObject.behavior());
    }

    /**
     * {@code GetExternalPerPodMetricReplicas}: ceil(metric / target) unless the usage ratio is within the tolerance,
     * where the ratio is metric / (target x currentReplicas).
     */
    public int replicasForMetric(int currentReplicas, long metric) {
        double usageRatio = (double) metric / ((double) targetAverageValue * currentReplicas);
        if (Math.abs(1.0 - usageRatio) > tolerance) {
            return (int) Math.ceil((double) metric / targetAverageValue);
        }
        return currentReplicas;
    }

    /**
     * One sync of the controller ({@code reconcileAutoscaler}).
     *
     * @return the replica count the HPA sets on the Deployment
     */
    public int reconcile(int currentReplicas, long metric, Instant now) {
        int desired;
        if (currentReplicas == 0 && minReplicas != 0) {
            return 0; // "ScalingDisabled": the HPA leaves a target at zero alone; KEDA wakes it.
        } else if (currentReplicas > maxReplicas) {
            desired = maxReplicas;
        } else if (currentReplicas < minReplicas) {
            desired = minReplicas;
        } else {
            int proposal = replicasForMetric(currentReplicas, metric);
            desired = normalizeDesiredReplicasWithBehaviors(currentReplicas, proposal, now);
        }
        if (desired != currentReplicas) {
            (desired > currentReplicas ? scaleUpEvents : scaleDownEvents)
                    .add(new ScaleEvent(now, Math.abs(desired - currentReplicas)));
        }
        return desired;
    }

    private int normalizeDesiredReplicasWithBehaviors(int currentReplicas, int proposal, Instant now) {
        if (recommendations.isEmpty()) {
            // maybeInitScaleDownStabilizationWindow: a new HPA treats the current count as a recent recommendation.
            recommendations.add(new Recommendation(now, currentReplicas));
        }
        int stabilized = stabilizeRecommendation(currentReplicas, proposal, now);
        return convertDesiredReplicasWithBehaviorRate(currentReplicas, stabilized, now);
    }

    /** Up: the lowest recommendation within the up window; down: the highest within the down window. */
    private int stabilizeRecommendation(int currentReplicas, int proposal, Instant now) {
        Instant upCutoff = now.minus(behavior.scaleUp().stabilizationWindow());
        Instant downCutoff = now.minus(behavior.scaleDown().stabilizationWindow());
        int upRecommendation = proposal;
        int downRecommendation = proposal;
        for (Recommendation recommendation : recommendations) {
            if (recommendation.timestamp().isAfter(upCutoff)) {
                upRecommendation = Math.min(recommendation.replicas(), upRecommendation);
            }
            if (recommendation.timestamp().isAfter(downCutoff)) {
                downRecommendation = Math.max(recommendation.replicas(), downRecommendation);
            }
        }
        int recommendation = Math.max(currentReplicas, upRecommendation);
        recommendation = Math.min(recommendation, downRecommendation);
        Instant oldestKept = upCutoff.isBefore(downCutoff) ? upCutoff : downCutoff;
        recommendations.removeIf(r -> !r.timestamp().isAfter(oldestKept));
        recommendations.add(new Recommendation(now, proposal)); // the unstabilized one, as Kubernetes stores it
        return recommendation;
    }

    private int convertDesiredReplicasWithBehaviorRate(int currentReplicas, int desired, Instant now) {
        if (desired > currentReplicas) {
            int scaleUpLimit = Math.max(currentReplicas, scaleUpLimit(currentReplicas, now));
            return Math.min(desired, Math.min(maxReplicas, scaleUpLimit));
        }
        if (desired < currentReplicas) {
            int scaleDownLimit = Math.min(currentReplicas, scaleDownLimit(currentReplicas, now));
            return Math.max(desired, Math.max(minReplicas, scaleDownLimit));
        }
        return desired;
    }

    private int scaleUpLimit(int currentReplicas, Instant now) {
        ScalingRules rules = behavior.scaleUp();
        if (rules.selectPolicy() == SelectPolicy.DISABLED) {
            return currentReplicas;
        }
        boolean max = rules.selectPolicy() == SelectPolicy.MAX;
        int result = max ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        for (ScalingPolicy policy : rules.policies()) {
            int periodStart = currentReplicas - changeWithin(scaleUpEvents, policy.period(), now)
                    + changeWithin(scaleDownEvents, policy.period(), now);
            int proposed = policy.type() == PolicyType.PODS ? periodStart + policy.value()
                    : (int) Math.ceil(periodStart * (1 + policy.value() / 100.0));
            result = max ? Math.max(result, proposed) : Math.min(result, proposed);
        }
        return result;
    }

    private int scaleDownLimit(int currentReplicas, Instant now) {
        ScalingRules rules = behavior.scaleDown();
        if (rules.selectPolicy() == SelectPolicy.DISABLED) {
            return currentReplicas;
        }
        boolean max = rules.selectPolicy() == SelectPolicy.MAX; // the biggest change: the lowest count
        int result = max ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        for (ScalingPolicy policy : rules.policies()) {
            int periodStart = currentReplicas - changeWithin(scaleUpEvents, policy.period(), now)
                    + changeWithin(scaleDownEvents, policy.period(), now);
            int proposed = policy.type() == PolicyType.PODS ? periodStart - policy.value()
                    : (int) (periodStart * (1 - policy.value() / 100.0));
            result = max ? Math.min(result, proposed) : Math.max(result, proposed);
        }
        return result;
    }

    private static int changeWithin(List<ScaleEvent> events, Duration period, Instant now) {
        Instant cutoff = now.minus(period);
        return events.stream().filter(e -> e.timestamp().isAfter(cutoff)).mapToInt(ScaleEvent::replicaChange).sum();
    }
}
