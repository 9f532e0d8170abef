package io.eventfn.scaling;

/**
 * What KEDA reads for one input partition: the group's committed offset ({@value #NO_COMMITTED_OFFSET} when the group
 * has none, as Kafka's OffsetFetch answers) and the partition's latest (log-end) offset.
 */
public record PartitionOffsets(String topic, int partition, long committedOffset, long latestOffset) {

    /** KEDA's {@code invalidOffset}: what OffsetFetch returns for a partition the group never committed. */
    public static final long NO_COMMITTED_OFFSET = -1;

    public boolean hasCommittedOffset() {
        return committedOffset != NO_COMMITTED_OFFSET;
    }
}
