package io.eventfn.scaling;

/**
 * The metadata of a KEDA {@code kafka} trigger that decides the lag it reports, with KEDA's defaults and checks
 * ({@code kafkaMetadata} and its {@code Validate} in {@code pkg/scalers/kafka_scaler.go}).
 *
 * @param lagThreshold               target lag per replica (the HPA's AverageValue target); KEDA's default 10
 * @param activationLagThreshold     the trigger is active when the total lag is strictly above this; default 0
 * @param offsetResetPolicy          how a partition without a committed offset counts; default latest
 * @param allowIdleConsumers         when false (default), the metric is capped at one replica per partition
 * @param excludePersistentLag       a partition whose committed offset did not move since the last poll counts 0
 * @param scaleToZeroOnInvalidOffset a partition without a committed offset counts 0 instead of 1 (latest) or its
 *                                   log-end offset (earliest)
 * @param limitToPartitionsWithLag   cap at one replica per partition that has lag instead of per partition
 */
public record KafkaTrigger(long lagThreshold, long activationLagThreshold, OffsetResetPolicy offsetResetPolicy,
        boolean allowIdleConsumers, boolean excludePersistentLag, boolean scaleToZeroOnInvalidOffset,
        boolean limitToPartitionsWithLag) {

    /** KEDA's {@code offsetResetPolicy}: what the consumer does, and so what KEDA assumes, without a committed offset. */
    public enum OffsetResetPolicy {
        LATEST, EARLIEST
    }

    public KafkaTrigger {
        if (lagThreshold <= 0) {
            throw new IllegalArgumentException("lagThreshold must be a positive number, not " + lagThreshold);
        }
        if (activationLagThreshold < 0) {
            throw new IllegalArgumentException(
                    "activationLagThreshold must be a non-negative number, not " + activationLagThreshold);
        }
        if (allowIdleConsumers && limitToPartitionsWithLag) {
            throw new IllegalArgumentException("allowIdleConsumers and limitToPartitionsWithLag cannot be set simultaneously");
        }
    }

    /** A trigger with KEDA's defaults but for the two thresholds and the reset policy. */
    public static KafkaTrigger of(long lagThreshold, long activationLagThreshold, OffsetResetPolicy offsetResetPolicy) {
        return new KafkaTrigger(lagThreshold, activationLagThreshold, offsetResetPolicy, false, false, false, false);
    }

    public KafkaTrigger withLimitToPartitionsWithLag(boolean limit) {
        return new KafkaTrigger(lagThreshold, activationLagThreshold, offsetResetPolicy, allowIdleConsumers,
                excludePersistentLag, scaleToZeroOnInvalidOffset, limit);
    }

    public KafkaTrigger withAllowIdleConsumers(boolean allow) {
        return new KafkaTrigger(lagThreshold, activationLagThreshold, offsetResetPolicy, allow, excludePersistentLag,
                scaleToZeroOnInvalidOffset, limitToPartitionsWithLag);
    }

    public KafkaTrigger withExcludePersistentLag(boolean exclude) {
        return new KafkaTrigger(lagThreshold, activationLagThreshold, offsetResetPolicy, allowIdleConsumers, exclude,
                scaleToZeroOnInvalidOffset, limitToPartitionsWithLag);
    }

    public KafkaTrigger withScaleToZeroOnInvalidOffset(boolean scaleToZero) {
        return new KafkaTrigger(lagThreshold, activationLagThreshold, offsetResetPolicy, allowIdleConsumers,
                excludePersistentLag, scaleToZero, limitToPartitionsWithLag);
    }
}
