package io.eventfn.scaling;

import java.time.Instant;

/**
 * KEDA's own scaling loop for a ScaledObject ({@code RequestScale}, {@code scaleFromZeroOrIdle} and
 * {@code scaleToZeroOrIdle} in {@code pkg/scaling/executor/scale_scaledobjects.go}): it only moves between 0 and
 * {@code max(1, minReplicaCount)}; everything between 1 and N is the HPA's. Not modelled: idleReplicaCount, fallback,
 * paused and forced-activation annotations, initialCooldownPeriod (0: a never-active object scales to zero at once).
 */
public final class KedaScaleExecutor {

    private final ScaledObject scaledObject;
    private Instant lastActiveTime;

    public KedaScaleExecutor(ScaledObject scaledObject) {
        this.scaledObject = scaledObject;
    }

    /**
     * One polling interval's decision.
     *
     * @return the replica count to set, or {@code currentReplicas} when KEDA leaves the target alone
     */
    public int requestScale(int currentReplicas, boolean isActive, Instant now) {
        if (isActive) {
            if (currentReplicas == 0) {
                lastActiveTime = now;
                return Math.max(1, scaledObject.minReplicaCount());
            }
            lastActiveTime = now;
            return currentReplicas;
        }
        if (currentReplicas > 0 && scaledObject.minReplicaCount() == 0) {
            // Scale to zero only once no poll was active for a whole cooldownPeriod (strictly after, like Before()).
            if (lastActiveTime == null || lastActiveTime.plus(scaledObject.cooldownPeriod()).isBefore(now)) {
                return 0;
            }
            return currentReplicas;
        }
        if (currentReplicas < scaledObject.minReplicaCount()) {
            return scaledObject.minReplicaCount();
        }
        return currentReplicas;
    }

    /** The last poll that found the trigger active (KEDA's status.lastActiveTime), or null. */
    public Instant lastActiveTime() {
        return lastActiveTime;
    }
}
