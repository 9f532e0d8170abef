package io.eventfn.app.delivery;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.smallrye.reactive.messaging.kafka.KafkaConsumer;

/**
 * Writes what the processor made of each poll and commits the input offsets behind it, under one guarantee:
 * {@link AtLeastOnceDelivery} or {@link ExactlyOnceDelivery}. The binding hands it one poll at a time, from one
 * worker thread; the group membership hooks tell it about assignments, revocations, lost partitions and shutdown, on
 * the consumer's polling thread (shutdown on the thread that stops the app).
 * <p>
 * What both guarantees share lives here: which partitions are owned, where polls left the consumer, the signal to
 * drain, and the batch in progress, which a shutdown waits for.
 */
public abstract class Delivery {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Delivery.class);

    /** The longest the polling thread waits for the group's committed offset of an idle partition. */
    private static final Duration IDLE_LOOKUP = Duration.ofSeconds(1);
    /** How often a wait for room or for the group re-checks whether the app is stopping. */
    static final Duration RECHECK = Duration.ofMillis(200);

    final PartitionOwnership ownership = new PartitionOwnership();
    final PolledPositions positions = new PolledPositions();
    final DrainSignal drain = new DrainSignal();
    final Duration drainTimeout;
    final RecordLimits limits;
    PollingThread pollingThread;
    KafkaConsumer<?, ?> consumer;
    private int batchesInProgress;
    private boolean stopped;
    private volatile boolean topicLimitsRequested;

    Delivery(Duration drainTimeout, RecordLimits limits) {
        this.drainTimeout = drainTimeout;
        this.limits = limits;
    }

    /** The input channel's consumer exists: bind to it. Called once, when the channel starts. */
    void start(KafkaConsumer<?, ?> consumer) {
        this.consumer = consumer;
        this.pollingThread = new PollingThread(consumer);
    }

    /** The output channels exist (called once, right after the messaging start-up). */
    void outputsReady() {
    }

    /**
     * The binding is about to process a poll. Waits while the work in flight is at its bound.
     *
     * @return false when the app is stopping: the poll must be left unprocessed and uncommitted
     */
    final boolean beginBatch() {
        readTopicLimitsOnce();
        if (!awaitRoom()) {
            return false;
        }
        synchronized (this) {
            if (stopped || drain.isDraining()) {
                return false;
            }
            batchesInProgress++;
            return true;
        }
    }

    /**
     * With the first poll, the output topics' record limits are read in the background, so that a record over one is
     * replaced before it is sent. Not earlier: a client that cannot connect would only repeat the consumer's error.
     */
    private void readTopicLimitsOnce() {
        if (!topicLimitsRequested) {
            topicLimitsRequested = true;
            Thread lookup = new Thread(limits::readTopicLimits, "record-limits");
            lookup.setDaemon(true);
            lookup.start();
        }
    }

    /** The binding finished with a poll it began (whether or not it wrote anything). */
    final synchronized void endBatch() {
        batchesInProgress--;
        notifyAll();
    }

    /** Writes the runs of one poll; offsets are committed once they are written (or with their transaction). */
    abstract void deliver(List<RoutedRun> runs);

    /** Waits while the work in flight is at its bound; false when the app started to stop meanwhile. */
    abstract boolean awaitRoom();

    /** Called on the polling thread when partitions are assigned to this instance. */
    void assigned(Collection<TopicPartition> partitions, int generation) {
        positions.forget(partitions);
        ownership.assigned(partitions, generation);
    }

    /** How a revocation ended. */
    enum Revocation {
        /** What was in flight for the partitions was finished and committed (or there was nothing to commit). */
        COMMITTED,
        /** Not everything could be finished or committed in time; the next owner processes the rest again. */
        PARTLY_COMMITTED,
        /** The group no longer knew this member (it was fenced): the partitions were in fact lost. */
        FENCED
    }

    /**
     * Called on the polling thread before partitions move to another instance: finish what is in flight for them
     * (at most {@code DRAIN_TIMEOUT}) and commit it, so that the next owner starts exactly where this one stopped.
     */
    abstract Revocation revoked(Collection<TopicPartition> partitions);

    /** A commit refused because the group moved on without this member: its partitions are lost. */
    static boolean fenced(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof org.apache.kafka.clients.consumer.CommitFailedException
                    || cause instanceof org.apache.kafka.common.errors.UnknownMemberIdException
                    || cause instanceof org.apache.kafka.common.errors.StaleMemberEpochException
                    || cause instanceof org.apache.kafka.common.errors.IllegalGenerationException
                    || cause instanceof org.apache.kafka.common.errors.FencedInstanceIdException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Called on the polling thread when partitions were taken away without a chance to commit (this member was
     * fenced, e.g. after missing its session timeout): drop the work in flight for them.
     */
    abstract void lost(Collection<TopicPartition> partitions);

    /**
     * Called once when the app stops, before the consumer leaves the group: no new batch starts, the ones in flight
     * finish (at most {@code DRAIN_TIMEOUT} in all) and are committed. Revocations after this find nothing to do.
     */
    abstract void shutdown();

    /**
     * On the polling thread: the positions of owned partitions that no poll returned anything of since they were
     * assigned. Only what polls returned moves a position, and none did for these, so everything before it is done.
     * Where the group's committed offset already is that position, it is taken as it is (with the leader epoch its
     * committer gave it) and nothing is committed again.
     */
    final void learnIdlePositions(Consumer<?, ?> kafka) {
        for (TopicPartition partition : ownership.owned()) {
            if (positions.knows(partition)) {
                continue;
            }
            try {
                long position = kafka.position(partition, Duration.ZERO);
                OffsetAndMetadata committed = kafka.committed(Set.of(partition), IDLE_LOOKUP).get(partition);
                if (committed != null && committed.offset() == position) {
                    alreadyCommitted(partition, committed);
                    positions.idleAt(partition, committed);
                } else {
                    positions.idleAt(partition, new OffsetAndMetadata(position));
                }
                LOG.debugf("Idle %s: position %d, committed %s", partition, position, committed);
            } catch (RuntimeException notKnownYet) {
                // The consumer has not looked its position up yet, or the broker did not answer: next time.
            }
        }
    }

    /** The group's committed offset of an owned partition, found where its consumer stands. */
    abstract void alreadyCommitted(TopicPartition partition, OffsetAndMetadata offset);

    /** True while an owned partition has no position known yet (see {@link #learnIdlePositions}). */
    final boolean hasPartitionsWithoutPosition() {
        return ownership.owned().stream().anyMatch(partition -> !positions.knows(partition));
    }

    /** Stop starting batches as soon as the app begins to stop (SIGTERM), before the connector is told. */
    void startDraining() {
        drain.begin();
    }

    /**
     * Waits until no batch is in progress in the binding.
     *
     * @return true when none is, false when {@code deadline} (System.nanoTime) passed first
     */
    final synchronized boolean awaitNoBatchInProgress(long deadline) {
        return DeadlineWait.until(this, () -> batchesInProgress == 0, deadline);
    }

    /** From now on nothing more is written or committed: a batch still being processed is dropped. */
    final synchronized void stop() {
        stopped = true;
        ownership.clear();
    }

    /** True after {@link #shutdown()} (or {@link #stop()}): revocations while the consumer closes find nothing to do. */
    final synchronized boolean isStopped() {
        return stopped;
    }

    static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
