package io.eventfn.scaling;

import java.time.Duration;

/**
 * The parts of a KEDA ScaledObject the simulator acts on. KEDA's defaults: pollingInterval 30 s, cooldownPeriod 300 s,
 * minReplicaCount 0, maxReplicaCount 100; KEDA creates the HPA with minReplicas max(1, minReplicaCount).
 *
 * @param hpaSyncPeriod how often the HPA controller recomputes (kube-controller-manager's
 *                      {@code --horizontal-pod-autoscaler-sync-period}, 15 s by default)
 */
public record ScaledObject(int minReplicaCount, int maxReplicaCount, Duration pollingInterval, Duration cooldownPeriod,
        Duration hpaSyncPeriod, KafkaTrigger trigger, HorizontalPodAutoscaler.Behavior behavior) {

    public ScaledObject {
        if (minReplicaCount < 0 || maxReplicaCount < Math.max(1, minReplicaCount)) {
            throw new IllegalArgumentException("need 0 <= minReplicaCount <= maxReplicaCount and maxReplicaCount >= 1, not "
                    + minReplicaCount + " and " + maxReplicaCount);
        }
    }

    /** The HPA's minReplicas as KEDA sets it: the HPA never goes below 1; 1 -> 0 is KEDA's job. */
    public int hpaMinReplicas() {
        return Math.max(1, minReplicaCount);
    }
}
