package io.eventfn.scaling;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.eventfn.kafka.local.ConsumerGroupLag;

/**
 * KEDA's Kafka scaler, the part that turns offsets into a metric and an activity flag: {@code getLagForPartition},
 * {@code getTotalLag} and {@code GetMetricsAndActivity} of {@code pkg/scalers/kafka_scaler.go} (kedacore/keda main,
 * 2026), translated line by line. Not modelled: {@code ensureEvenDistributionOfPartitions}, {@code partitionLimitation},
 * partitions missing from the latest-offset answer (KEDA counts them 0; {@link ConsumerGroupLag} always has them). It reads
 * the kit's {@link ConsumerGroupLag.PartitionLag}: committed offset ({@link ConsumerGroupLag#NO_COMMITTED_OFFSET}, KEDA's
 * {@code invalidOffset}, when none) and latest offset of each partition, as KEDA's OffsetFetch and ListOffsets do.
 *
 * <p>One instance per ScaledObject: like KEDA's, it remembers each partition's previous committed offset for
 * {@code excludePersistentLag}.
 */
public final class KedaKafkaScaler {

    private final KafkaTrigger trigger;
    private final Map<String, Map<Integer, Long>> previousOffsets = new HashMap<>();

    /** {@code lag} feeds the metric; {@code lagWithPersistent} feeds activation (they differ only with excludePersistentLag). */
    public record PartitionLag(long lag, long lagWithPersistent) {
    }

    /**
     * {@code totalLag} is already capped at one replica per (lagging) partition, as KEDA reports it; {@code uncappedLag}
     * is the sum before the cap (not in KEDA's return value; kept for reports).
     */
    public record TotalLag(long totalLag, long totalLagWithPersistent, long uncappedLag) {
    }

    /**
     * @param metric    the external metric's value handed to the HPA (KEDA sends it in milli-units; same ratio)
     * @param active    whether KEDA's own loop counts the trigger active (scales 0 -> 1, resets the cooldown)
     * @param uncapped  the lag before the partition cap, for logs and reports
     */
    public record MetricsAndActivity(long metric, boolean active, long uncapped) {
    }

    public KedaKafkaScaler(KafkaTrigger trigger) {
        this.trigger = trigger;
    }

    public KafkaTrigger trigger() {
        return trigger;
    }

    /** {@code GetMetricsAndActivity}: the metric is the capped lag; active when the lag with persistent exceeds the activation threshold. */
    public MetricsAndActivity metricsAndActivity(List<ConsumerGroupLag.PartitionLag> partitions) {
        TotalLag total = totalLag(partitions);
        return new MetricsAndActivity(total.totalLag(),
                total.totalLagWithPersistent() > trigger.activationLagThreshold(), total.uncappedLag());
    }

    /** {@code getTotalLag}: sums the partitions, then caps the metric so the HPA never asks for idle consumers. */
    public TotalLag totalLag(List<ConsumerGroupLag.PartitionLag> partitions) {
        long totalLag = 0;
        long totalLagWithPersistent = 0;
        long totalTopicPartitions = partitions.size();
        long partitionsWithLag = 0;
        for (ConsumerGroupLag.PartitionLag partition : partitions) {
            PartitionLag lag = lagForPartition(partition);
            totalLag += lag.lag();
            totalLagWithPersistent += lag.lagWithPersistent();
            if (lag.lag() > 0) {
                partitionsWithLag++;
            }
        }
        long uncappedLag = totalLag;
        if (!trigger.allowIdleConsumers() || trigger.limitToPartitionsWithLag()) {
            long upperBound = trigger.limitToPartitionsWithLag() ? partitionsWithLag : totalTopicPartitions;
            // Integer division, as in Go: a lag just below (upperBound + 1) x threshold is not capped, so the HPA's
            // ceil() can still ask for upperBound + 1 replicas (maxReplicaCount is the real ceiling).
            if (totalLag / trigger.lagThreshold() > upperBound) {
                totalLag = upperBound * trigger.lagThreshold();
            }
        }
        return new TotalLag(totalLag, totalLagWithPersistent, uncappedLag);
    }

    /** {@code getLagForPartition}. */
    public PartitionLag lagForPartition(ConsumerGroupLag.PartitionLag partition) {
        long consumerOffset = partition.committedOffset();
        if (!partition.hasCommittedOffset()) {
            if (trigger.offsetResetPolicy() == KafkaTrigger.OffsetResetPolicy.LATEST) {
                // A new group under "latest" would skip everything already written: KEDA wakes it with lag 1
                // (per partition) so that it starts and commits, unless told to stay at zero.
                long lag = trigger.scaleToZeroOnInvalidOffset() ? 0 : 1;
                return new PartitionLag(lag, lag);
            }
            if (trigger.scaleToZeroOnInvalidOffset()) {
                return new PartitionLag(0, 0);
            }
            // earliest: the whole log counts (log-end offset, not log-end minus log-start).
            return new PartitionLag(partition.endOffset(), partition.endOffset());
        }
        long latestOffset = partition.endOffset();
        if (trigger.excludePersistentLag()) {
            Map<Integer, Long> previous = previousOffsets.computeIfAbsent(partition.partition().topic(), t -> new HashMap<>());
            Long previousOffset = previous.get(partition.partition().partition());
            if (previousOffset != null && previousOffset == consumerOffset) {
                // The consumer did not move since the last poll: maybe a record it cannot process. Not for scaling.
                return new PartitionLag(0, latestOffset - consumerOffset);
            }
            previous.put(partition.partition().partition(), consumerOffset);
        }
        return new PartitionLag(latestOffset - consumerOffset, latestOffset - consumerOffset);
    }
}
