package io.eventfn.app.metrics;

import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * The lag KEDA's Kafka scaler computes ({@code getLagForPartition} in {@code pkg/scalers/kafka_scaler.go}), per
 * partition and summed: the latest offset (high watermark) minus the group's committed offset. A partition the group
 * has never committed counts as its whole log, the latest offset, when the consumer starts from the earliest record,
 * and as 1 when it starts from the latest (KEDA's {@code offsetResetPolicy}, with {@code scaleToZeroOnInvalidOffset}
 * false, its default). Not clamped: a committed offset past the end (a truncated or recreated topic) shows negative,
 * as KEDA sees it.
 *
 * @param partitions each partition's lag
 */
public record CommittedLag(Map<TopicPartition, Long> partitions) {

    /** What an OffsetFetch answers, as a number, for a partition the group never committed. */
    public static final long NO_COMMITTED_OFFSET = -1;

    public static final CommittedLag NO_PARTITIONS = new CommittedLag(Map.of());

    public CommittedLag {
        partitions = Map.copyOf(partitions);
    }

    /** The sum over the partitions. */
    public long records() {
        return partitions.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * One partition's lag as KEDA counts it.
     *
     * @param committedOffset  the group's committed offset, or {@link #NO_COMMITTED_OFFSET}
     * @param latestOffset     ListOffsets(latest) with read_uncommitted isolation: the high watermark
     * @param startsFromLatest the consumer's {@code auto.offset.reset} is {@code latest}
     */
    public static long partitionLag(long committedOffset, long latestOffset, boolean startsFromLatest) {
        if (committedOffset == NO_COMMITTED_OFFSET) {
            return startsFromLatest ? 1 : latestOffset;
        }
        return latestOffset - committedOffset;
    }
}
