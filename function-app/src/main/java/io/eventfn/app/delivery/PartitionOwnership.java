package io.eventfn.app.delivery;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions this instance owns, and since which group generation (the member epoch with the consumer group
 * protocol). A record may be processed and committed here only if its partition is owned and the record was polled
 * after the partition was last assigned here: a record polled before the partition went away and came back belongs to
 * the owner that had it in between, who has already processed it.
 */
final class PartitionOwnership {

    /** Generation the record's batch was polled in, when the consumer could not tell. */
    static final int UNKNOWN_GENERATION = -1;

    private final Map<TopicPartition, Integer> assignedInGeneration = new ConcurrentHashMap<>();

    void assigned(Collection<TopicPartition> partitions, int generation) {
        partitions.forEach(partition -> assignedInGeneration.put(partition, generation));
    }

    void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(assignedInGeneration::remove);
    }

    void clear() {
        assignedInGeneration.clear();
    }

    boolean owns(TopicPartition partition) {
        return assignedInGeneration.containsKey(partition);
    }

    /**
     * @param polledInGeneration the generation the record was polled in, or {@link #UNKNOWN_GENERATION}
     */
    boolean owns(TopicPartition partition, int polledInGeneration) {
        Integer assigned = assignedInGeneration.get(partition);
        return assigned != null && (polledInGeneration == UNKNOWN_GENERATION || polledInGeneration >= assigned);
    }

    Set<TopicPartition> owned() {
        return Set.copyOf(assignedInGeneration.keySet());
    }
}
