package io.eventfn.app.delivery;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.eventfn.app.health.DeliveryLiveness;
import io.eventfn.app.metrics.DeliveryMetrics;

/**
 * At least once, pipelined: the records written for a poll go to the idempotent producer ({@code acks=all}) and the
 * binding goes on with the next poll at once; the broker's acknowledgements arrive meanwhile and move each partition's
 * acknowledged prefix ({@link PartitionLedger}), which is committed asynchronously, one commit in flight at a time.
 * The work in flight is bounded ({@link InFlightLimit}).
 * <ol>
 * <li>{@link #deliver}: each run is appended to its partition's ledger and its records are handed to the producer.</li>
 * <li>{@link #settled}: the producer's callback. An acknowledgement may move the prefix: a commit is requested. A
 * record refused for its content is replaced by a dead letter (a smaller one when a dead letter is refused). Any other
 * failure blocks the partition until everything from the failure on is written again, in order
 * ({@link #resend}).</li>
 * <li>{@link OffsetCommits}: commits the acknowledged prefixes on the polling thread.</li>
 * <li>{@link #revoked}: before partitions move, waits for their writes (at most {@code DRAIN_TIMEOUT}) and commits
 * them synchronously; {@link #shutdown} does the same for all partitions.</li>
 * </ol>
 */
final class AtLeastOnceDelivery extends Delivery {

    private static final Logger LOG = Logger.getLogger(AtLeastOnceDelivery.class);
    /** Times a partition's failed writes are written again (each after the producer's own delivery timeout). */
    static final int RESEND_ATTEMPTS = 5;
    private static final Duration FIRST_RESEND_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_RESEND_BACKOFF = Duration.ofSeconds(30);

    private final Supplier<Producer<byte[], byte[]>> producer;
    private final String outputTopic;
    private final DeadLetters deadLetters;
    private final InFlightLimit inFlight;
    private final DeliveryLiveness liveness;
    private final DeliveryMetrics metrics;
    private final Map<TopicPartition, PartitionLedger> ledgers = new ConcurrentHashMap<>();
    /** Replacements and resends: never on the producer's I/O thread, which must not block. */
    private final ExecutorService resendLane = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "delivery-resend");
        thread.setDaemon(true);
        return thread;
    });
    /** How often partitions nothing was polled from are looked at, to commit their position once. */
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);
    private final java.util.concurrent.ScheduledExecutorService idleCheck = Executors
            .newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "delivery-idle-check");
                thread.setDaemon(true);
                return thread;
            });
    private OffsetCommits commits;

    AtLeastOnceDelivery(Supplier<Producer<byte[], byte[]>> producer, String outputTopic, DeadLetters deadLetters,
            InFlightLimit inFlight, RecordLimits limits, Duration drainTimeout, DeliveryLiveness liveness,
            DeliveryMetrics metrics) {
        super(drainTimeout, limits);
        this.producer = producer;
        this.outputTopic = outputTopic;
        this.deadLetters = deadLetters;
        this.inFlight = inFlight;
        this.liveness = liveness;
        this.metrics = metrics;
    }

    @Override
    void start(io.smallrye.reactive.messaging.kafka.KafkaConsumer<?, ?> consumer) {
        super.start(consumer);
        commits = new OffsetCommits(consumer, ledgers, positions, this::learnIdlePositions);
        positions.onSkippedOnly(commits::request);
        idleCheck.scheduleWithFixedDelay(() -> {
            if (hasPartitionsWithoutPosition()) {
                commits.request();
            }
        }, IDLE_CHECK.toMillis(), IDLE_CHECK.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    boolean awaitRoom() {
        return inFlight.awaitRoom(drain::isDraining, RECHECK);
    }

    @Override
    void deliver(List<RoutedRun> runs) {
        for (RoutedRun run : runs) {
            PartitionLedger ledger = ledgers.get(run.partition());
            PartitionLedger.Segment segment = ledger == null ? null
                    : ledger.append(run.firstOffset(), run.next(), run.sends(), run.inputRecords());
            if (segment == null) {
                continue; // revoked meanwhile: the next owner processes these records again
            }
            inFlight.add(segment.inputRecords, segment.bytes);
            if (ledger.sendNow(segment)) {
                for (int i = 0; i < segment.sends.length; i++) {
                    write(ledger, segment, i, segment.sends[i]);
                }
                after(ledger, ledger.handedOver());
            }
        }
    }

    private void write(PartitionLedger ledger, PartitionLedger.Segment segment, int index, Send send) {
        try {
            producer.get().send(send.record(), (metadata, failure) -> settled(ledger, segment, index, failure));
        } catch (RuntimeException failure) {
            settled(ledger, segment, index, failure);
        }
    }

    /** The producer's callback, on its I/O thread: bookkeeping only, anything slow goes to the resend lane. */
    private void settled(PartitionLedger ledger, PartitionLedger.Segment segment, int index, Throwable failure) {
        PartitionLedger.Next next = ledger.settled(segment, index, failure);
        if (next == PartitionLedger.Next.REPLACE) {
            resendLane.execute(() -> replace(ledger, segment, index, failure));
        }
        after(ledger, next);
    }

    private void after(PartitionLedger ledger, PartitionLedger.Next next) {
        for (PartitionLedger.Segment released : ledger.takeReleased()) {
            inFlight.release(released.inputRecords, released.bytes);
        }
        switch (next) {
            case COMMIT -> commits.request();
            case RESEND -> resendLane.execute(() -> resend(ledger));
            case REPLACE, NOTHING -> {
            }
        }
    }

    /** A record was refused for its content: write the dead letter that replaces it, or a smaller one. */
    private void replace(PartitionLedger ledger, PartitionLedger.Segment segment, int index, Throwable refusal) {
        Send refused = segment.sends[index];
        Send replacement = deadLetters.replacing(refused, outputTopic, refusal);
        if (replacement == null) {
            liveness.gaveUp("the dead-letter topic " + deadLetters.topic() + " refused even a dead letter without"
                    + " key, value and source headers for " + coordinates(refused) + ": " + refusal
                    + ". Check the topic's configuration (max.message.bytes, cleanup.policy) and DLQ_TOPIC;"
                    + " nothing of " + ledger.partition() + " past this record is committed.");
            return;
        }
        LOG.warnf("%s refused the %s of %s (%s); writing %s dead letter to %s instead", refused.record().topic(),
                refused.isDeadLetter() ? "dead letter" : "output", coordinates(refused), refusal,
                replacement.completeness() == DeadLetters.Completeness.WHOLE ? "a" : "a smaller", deadLetters.topic());
        if (!refused.isDeadLetter()) {
            metrics.deadLettered(DeadLetters.OUTPUT_REJECTED);
        }
        if (ledger.replace(segment, index, replacement)) {
            write(ledger, segment, index, replacement);
        }
    }

    /**
     * A write of the partition failed and nothing of it is in flight any more: after a backoff, write everything from
     * the failure on again, in order, then the runs queued meanwhile; the partition is unblocked when they are all
     * handed over. Gives up (not live: Kubernetes restarts the instance, which resumes from the last commit) after
     * {@value #RESEND_ATTEMPTS} attempts.
     */
    private void resend(PartitionLedger ledger) {
        int attempt = ledger.failedAttempts() + 1;
        if (attempt > RESEND_ATTEMPTS) {
            liveness.gaveUp("records of " + ledger.partition() + " could not be written after " + RESEND_ATTEMPTS
                    + " attempts, the last failing with " + ledger.lastFailure()
                    + "; nothing past them is committed and they are consumed again after the restart");
            return;
        }
        Duration backoff = FIRST_RESEND_BACKOFF.multipliedBy(1L << Math.min(attempt - 1, 5));
        backoff = backoff.compareTo(MAX_RESEND_BACKOFF) > 0 ? MAX_RESEND_BACKOFF : backoff;
        LOG.warnf("Writes for %s failed (%s); writing them again in %d s (attempt %d of %d); nothing past them is"
                + " committed meanwhile", ledger.partition(), ledger.lastFailure(), backoff.toSeconds(), attempt,
                RESEND_ATTEMPTS);
        if (!drain.sleep(backoff, () -> !ledger.isClosed())) {
            return;
        }
        List<PartitionLedger.Write> writes = ledger.takeResend();
        while (!writes.isEmpty()) {
            for (PartitionLedger.Write write : writes) {
                write(ledger, write.segment(), write.index(), write.send());
            }
            after(ledger, ledger.handedOver());
            writes = ledger.takeQueued();
        }
    }

    @Override
    void assigned(Collection<TopicPartition> partitions, int generation) {
        for (TopicPartition partition : partitions) {
            PartitionLedger previous = ledgers.put(partition, new PartitionLedger(partition));
            if (previous != null) {
                drop(previous);
            }
        }
        super.assigned(partitions, generation);
    }

    @Override
    void alreadyCommitted(TopicPartition partition, OffsetAndMetadata offset) {
        PartitionLedger ledger = ledgers.get(partition);
        if (ledger != null) {
            ledger.committed(offset);
        }
    }

    @Override
    Revocation revoked(Collection<TopicPartition> partitions) {
        ownership.revoked(partitions);
        drain.wakeSleepers();
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        Map<TopicPartition, PartitionLedger> leaving = new HashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionLedger ledger = ledgers.get(partition);
            if (ledger != null) {
                ledger.close();
                leaving.put(partition, ledger);
            }
        }
        boolean finished = true;
        for (PartitionLedger ledger : leaving.values()) {
            if (!ledger.awaitAcknowledged(left(deadline))) {
                finished = false;
                LOG.warnf("Revoking %s: writes still unacknowledged after DRAIN_TIMEOUT=%s; committing what was"
                        + " acknowledged, the rest is processed again by the next owner", ledger.partition(),
                        drainTimeout);
            }
        }
        Revocation outcome = commitSync(consumer.unwrap(), leaving, "revoked partitions " + partitions);
        leaving.values().forEach(this::drop);
        partitions.forEach(ledgers::remove);
        positions.forget(partitions);
        return outcome == Revocation.COMMITTED && !finished ? Revocation.PARTLY_COMMITTED : outcome;
    }

    @Override
    void lost(Collection<TopicPartition> partitions) {
        ownership.revoked(partitions);
        drain.wakeSleepers();
        for (TopicPartition partition : partitions) {
            PartitionLedger ledger = ledgers.remove(partition);
            if (ledger != null) {
                drop(ledger);
            }
        }
        positions.forget(partitions);
    }

    @Override
    void shutdown() {
        startDraining();
        inFlight.wake();
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        boolean finished = awaitNoBatchInProgress(deadline);
        Map<TopicPartition, PartitionLedger> all = new HashMap<>(ledgers);
        for (PartitionLedger ledger : all.values()) {
            finished &= ledger.awaitAcknowledged(left(deadline));
        }
        if (!finished) {
            LOG.warnf("Work still in flight after DRAIN_TIMEOUT=%s; committing what was acknowledged, the rest is"
                    + " processed again after the restart", drainTimeout);
        }
        stop();
        all.values().forEach(PartitionLedger::close);
        Map<TopicPartition, OffsetAndMetadata> offsets = OffsetCommits.committable(all, positions);
        if (!offsets.isEmpty()) {
            try {
                consumer.commit(offsets).await().atMost(drainTimeout.plusSeconds(5));
                markCommitted(all, offsets);
                LOG.infof("Committed %s on shutdown", OffsetCommits.describe(offsets));
            } catch (RuntimeException e) {
                LOG.errorf("Final commit of %s failed: %s", OffsetCommits.describe(offsets), e);
            }
        }
        all.values().forEach(this::drop);
        ledgers.clear();
        resendLane.shutdownNow();
        idleCheck.shutdownNow();
    }

    private Revocation commitSync(Consumer<?, ?> kafka, Map<TopicPartition, PartitionLedger> leaving, String why) {
        Map<TopicPartition, OffsetAndMetadata> offsets = OffsetCommits.committable(leaving, positions);
        if (offsets.isEmpty()) {
            return Revocation.COMMITTED;
        }
        try {
            kafka.commitSync(offsets);
            markCommitted(leaving, offsets);
            LOG.infof("Committed %s for %s", OffsetCommits.describe(offsets), why);
            return Revocation.COMMITTED;
        } catch (RuntimeException e) {
            if (fenced(e)) {
                return Revocation.FENCED;
            }
            LOG.warnf("Commit of %s for %s failed: %s", OffsetCommits.describe(offsets), why, e);
            return Revocation.PARTLY_COMMITTED;
        }
    }

    private static void markCommitted(Map<TopicPartition, PartitionLedger> ledgers,
            Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> ledgers.get(partition).committed(offset));
    }

    private void drop(PartitionLedger ledger) {
        ledger.dropUnacknowledged();
        for (PartitionLedger.Segment released : ledger.takeReleased()) {
            inFlight.release(released.inputRecords, released.bytes);
        }
    }

    private static String coordinates(Send send) {
        return send.source().topic() + "-" + send.source().partition() + "@" + send.source().offset();
    }
}
