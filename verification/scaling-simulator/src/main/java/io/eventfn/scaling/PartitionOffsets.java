package io.eventfn.scaling;

import java.util.List;

import io.eventfn.kafka.local.ConsumerGroupLag;

/**
 * What KEDA reads for one input partition: the group's committed offset ({@value #NO_COMMITTED_OFFSET} when the group
 * has none, as Kafka's OffsetFetch answers) and the partition's latest (log-end) offset.
 */
public record PartitionOffsets(String topic, int partition, long committedOffset, long latestOffset) {

    /** KEDA's {@code invalidOffset}: what OffsetFetch returns for a partition the group never committed. */
    public static final long NO_COMMITTED_OFFSET = ConsumerGroupLag.NO_COMMITTED_OFFSET;

    /** What KEDA's scaler reads each polling interval: every partition of the topic, from the broker. */
    public static List<PartitionOffsets> of(ConsumerGroupLag.Snapshot snapshot) {
        return snapshot.partitions().stream().map(p -> new PartitionOffsets(p.partition().topic(),
                p.partition().partition(), p.committedOffset(), p.endOffset())).toList();
    }

    public boolean hasCommittedOffset() {
        return committedOffset != NO_COMMITTED_OFFSET;
    }
}
