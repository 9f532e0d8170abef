package io.eventfn.app.binding;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What this instance owns and what it is working on: the partitions assigned to it, the partitions of batches being
 * processed right now, and whether it is draining for shutdown. Rebalances and shutdown wait on it so that work
 * already started is finished and committed before a partition changes hands.
 */
@ApplicationScoped
public class InFlightBatches {

    private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, Integer> assignedAt = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Integer> inFlight = new HashMap<>();
    /** Per partition: the last offset of the latest batch, and the offset the consumer moved on to after it. */
    private final Map<TopicPartition, long[]> nextAfterLast = new ConcurrentHashMap<>();
    private volatile boolean draining;
    /** The group as the consumer saw it when it last entered a rebalance callback (generation, member id). */
    private volatile ConsumerGroupMetadata groupMetadata;
    private long started;
    private long lastActivity = System.nanoTime();

    void assigned(Collection<TopicPartition> partitions, int generation) {
        partitions.forEach(partition -> assignedAt.put(partition, generation));
        owned.addAll(partitions);
    }

    void revoked(Collection<TopicPartition> partitions) {
        owned.removeAll(partitions);
        partitions.forEach(assignedAt::remove);
    }

    /** A record of a partition this instance no longer owns belongs to its new owner: don't process it here. */
    boolean owns(TopicPartition partition) {
        return owned.contains(partition);
    }

    /**
     * Owned, and polled since it was (last) assigned here: a record polled before the partition went away and came
     * back was handed over to another owner in between, who has processed it already.
     *
     * @param polledInGeneration the group generation the record was polled in; -1 when unknown
     */
    boolean owns(TopicPartition partition, int polledInGeneration) {
        return owned.contains(partition)
                && (polledInGeneration < 0 || polledInGeneration >= assignedAt.getOrDefault(partition, -1));
    }

    /** Called on the polling thread at every assignment and before a revocation waits for batches in flight. */
    void groupMetadata(ConsumerGroupMetadata metadata) {
        groupMetadata = metadata;
    }

    /** @return the group metadata seen at the latest rebalance callback; null before the first assignment */
    ConsumerGroupMetadata groupMetadata() {
        return groupMetadata;
    }

    /** From now on no new batch starts; batches already started run to the end. */
    void startDraining() {
        draining = true;
    }

    boolean isDraining() {
        return draining;
    }

    /** @return false when draining: the batch must not be processed (it stays uncommitted for the next owner) */
    synchronized boolean begin(Collection<TopicPartition> partitions) {
        if (draining) {
            return false;
        }
        partitions.forEach(partition -> inFlight.merge(partition, 1, Integer::sum));
        started++;
        lastActivity = System.nanoTime();
        return true;
    }

    /**
     * Remembers where the consumer continues after a batch. Past a transaction's records it continues after the
     * commit marker too, and committing that offset (not last record + 1) is what brings the lag to exactly 0.
     */
    void positionsAfter(Map<TopicPartition, long[]> lastAndNext) {
        nextAfterLast.putAll(lastAndNext);
    }

    /** @return the offset to commit once the record at {@code offset}, the last of its batch, is done */
    long nextOffsetAfter(TopicPartition partition, long offset) {
        long[] lastAndNext = nextAfterLast.get(partition);
        return lastAndNext != null && lastAndNext[0] == offset ? Math.max(lastAndNext[1], offset + 1) : offset + 1;
    }

    synchronized void end(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> inFlight.computeIfPresent(partition, (p, n) -> n == 1 ? null : n - 1));
        lastActivity = System.nanoTime();
        notifyAll();
    }

    /**
     * Waits until no batch touching {@code partitions} (all partitions when null) is being processed.
     *
     * @return true when idle, false when {@code timeout} ran out first
     */
    synchronized boolean awaitIdle(Collection<TopicPartition> partitions, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (busy(partitions)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * @return the number of batches started so far when nothing is in flight and nothing has started or ended for
     *         {@code quiet}; -1 otherwise
     */
    synchronized long quietFor(Duration quiet) {
        boolean quietEnough = inFlight.isEmpty() && !draining && System.nanoTime() - lastActivity >= quiet.toNanos();
        return quietEnough ? started : -1;
    }

    private boolean busy(Collection<TopicPartition> partitions) {
        if (partitions == null) {
            return !inFlight.isEmpty();
        }
        return partitions.stream().anyMatch(inFlight::containsKey);
    }
}
