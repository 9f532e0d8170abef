package io.eventfn.app.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.eventfn.app.health.DeliveryLiveness;
import io.eventfn.app.metrics.CommitMetrics;
import io.eventfn.app.metrics.DeliveryMetrics;
import io.quarkus.runtime.Quarkus;

/**
 * Exactly once: the records written for the input, and the input offsets behind them, go into one Kafka transaction
 * that commits both or neither. A transaction spans polls: it is committed every {@code TRANSACTION_INTERVAL}, or
 * after {@code TRANSACTION_MAX_RECORDS} input records, or when half of the in-flight bound is used, whichever comes
 * first, on this delivery's own transaction thread, while the binding goes on processing the next poll.
 * <ol>
 * <li>{@link #deliver}: the runs are queued for the transaction thread (bounded: the binding waits when full).</li>
 * <li>{@link #write}: on the transaction thread, each run still owned is written into the open transaction, whose
 * offsets move to the run's next offset. The runs are kept until the transaction commits.</li>
 * <li>{@link #commit}: the input offsets are added with the group's current metadata (asked on the consumer's polling
 * thread at that moment: with the consumer group protocol the member epoch moves without any rebalance callback),
 * then the transaction commits.</li>
 * <li>{@link #recover}: if anything failed, the transaction is aborted and its runs still owned are written again in a
 * new one, a record refused for its content replaced by its dead letter: nothing is consumed twice, nothing skipped.
 * A producer that cannot go on is replaced (its successor completes or aborts what it left, and runs already
 * committed are not written again); one fenced by another live instance with the same {@code INSTANCE_ID} makes the
 * app exit 1.</li>
 * <li>{@link #revoked}: before partitions move, the open transaction is committed at once, within
 * {@code DRAIN_TIMEOUT}; {@link #shutdown} does the same for everything.</li>
 * </ol>
 */
final class ExactlyOnceDelivery extends Delivery {

    private static final Logger LOG = Logger.getLogger(ExactlyOnceDelivery.class);
    /** Transactions in a row that may fail before the instance is reported not live. */
    static final int FAILED_TRANSACTIONS_BEFORE_GIVING_UP = 10;
    private static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(30);
    /** The polling thread answers between two polls, or from inside a rebalance callback. */
    private static final Duration POLLING_THREAD_WAIT = Duration.ofSeconds(30);
    /** How often partitions nothing was polled from are looked at, to commit their position once. */
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);

    private final TransactionalProducer producer;
    private final String outputTopic;
    private final DeadLetters deadLetters;
    private final InFlightLimit inFlight;
    private final Duration interval;
    private final int maxRecords;
    private final DeliveryLiveness liveness;
    private final DeliveryMetrics metrics;
    private final CommitMetrics commitMetrics;
    private final ScheduledExecutorService transactionThread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "delivery-transactions");
        thread.setDaemon(true);
        return thread;
    });
    /** Per partition, the offset the last committed transaction of this assignment carried. */
    private final Map<TopicPartition, OffsetAndMetadata> committedThrough = new ConcurrentHashMap<>();
    // Touched on the transaction thread only.
    private OpenTransaction open;
    private int failedInARow;
    /** The group refused a commit as from a fenced member since the last assignment: the next revocation is a loss. */
    private volatile boolean fencedSinceAssignment;
    private long idlePositionsAskedAt = System.nanoTime();

    /** The transaction being written: its runs (kept to write them again if it fails) and the offsets they carry. */
    private static final class OpenTransaction {
        final long startedNanos = System.nanoTime();
        final List<RoutedRun> runs = new ArrayList<>();
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        /** Writes the producer refused for their content, and why: they are replaced when written again. */
        final Map<Send, Throwable> refused = new ConcurrentHashMap<>();
        volatile Throwable failure;
        int inputRecords;
        long bytes;
        boolean begun;

        void add(RoutedRun run) {
            runs.add(run);
            offsets.merge(run.partition(), run.next(), (a, b) -> a.offset() >= b.offset() ? a : b);
            inputRecords += run.inputRecords();
            bytes += run.bytes();
        }

        /**
         * A write of this transaction failed. Once one has, the producer fails every write of the transaction not yet
         * sent with the very exception that failed it: only a write failing with another one was refused for its own
         * content.
         */
        void failed(Send send, Throwable why) {
            Throwable first = failure;
            if (first == null) {
                failure = why;
            }
            if ((first == null || why != first) && SendFailure.of(why) == SendFailure.RECORD_REJECTED) {
                refused.put(send, why);
            }
        }

        Duration age() {
            return Duration.ofNanos(System.nanoTime() - startedNanos);
        }
    }

    ExactlyOnceDelivery(TransactionalProducer producer, String outputTopic, DeadLetters deadLetters,
            InFlightLimit inFlight, RecordLimits limits, Duration interval, int maxRecords, Duration drainTimeout,
            DeliveryLiveness liveness, DeliveryMetrics metrics, CommitMetrics commitMetrics) {
        super(drainTimeout, limits);
        this.producer = producer;
        this.outputTopic = outputTopic;
        this.deadLetters = deadLetters;
        this.inFlight = inFlight;
        this.interval = interval;
        this.maxRecords = maxRecords;
        this.liveness = liveness;
        this.metrics = metrics;
        this.commitMetrics = commitMetrics;
    }

    @Override
    void start(io.smallrye.reactive.messaging.kafka.KafkaConsumer<?, ?> consumer) {
        super.start(consumer);
        long tick = Math.max(1, interval.toMillis() / 2);
        transactionThread.scheduleWithFixedDelay(this::commitIfDue, tick, tick, TimeUnit.MILLISECONDS);
        positions.onSkippedOnly(() -> transactionThread.execute(this::commitIfDue));
    }

    /**
     * Called once the output channels exist (right after the messaging start-up): initialising the transactions now
     * fences a previous incarnation (same INSTANCE_ID) and aborts its open transaction at once, instead of this
     * instance's consumer waiting for that transaction to time out before its committed offsets are stable.
     */
    @Override
    void outputsReady() {
        super.outputsReady();
        transactionThread.execute(() -> {
            try {
                startProducer();
            } catch (RuntimeException e) {
                LOG.warnf("The transactional producer could not start yet (retried with the first write): %s", e);
            }
        });
    }

    @Override
    boolean awaitRoom() {
        return inFlight.awaitRoom(drain::isDraining, RECHECK);
    }

    @Override
    void deliver(List<RoutedRun> runs) {
        long records = 0;
        long bytes = 0;
        for (RoutedRun run : runs) {
            records += run.inputRecords();
            bytes += run.bytes();
        }
        inFlight.add(records, bytes);
        try {
            transactionThread.execute(() -> write(runs));
        } catch (RejectedExecutionException stopped) {
            inFlight.release(records, bytes); // stopped: left uncommitted for the next owner
        }
    }

    // ---- on the transaction thread, in the order things happen ----

    private void write(List<RoutedRun> runs) {
        for (RoutedRun run : runs) {
            if (!ownership.owns(run.partition(), run.polledInGeneration())) {
                release(run); // revoked since it was polled: the next owner processes it
                continue;
            }
            try {
                writeIntoOpenTransaction(run);
            } catch (RuntimeException failure) {
                recover(failure);
            }
        }
        if (open != null && (open.inputRecords >= maxRecords || inFlight.isHalf(open.inputRecords, open.bytes))) {
            // At half the in-flight bound, commit: the next transaction fills while this one commits, and the binding
            // never waits for a commit only the interval would start.
            commit();
        }
    }

    /**
     * Adds the run to the open transaction (beginning one if needed) before any producer call, so that whatever
     * fails from here on, the run is written again by {@link #recover}.
     */
    private void writeIntoOpenTransaction(RoutedRun run) {
        if (open == null) {
            open = new OpenTransaction();
        }
        open.add(run);
        beginIfNeeded();
        send(open, run);
    }

    private void beginIfNeeded() {
        if (!open.begun) {
            if (!producer.isStarted()) {
                startProducer();
            }
            producer.begin();
            open.begun = true;
        }
    }

    private void send(OpenTransaction transaction, RoutedRun run) {
        for (Send send : run.sends()) {
            producer.send(send.record(), (metadata, failure) -> {
                if (failure != null) {
                    transaction.failed(send, failure);
                }
            });
        }
    }

    private void commitIfDue() {
        try {
            if (open == null) {
                commitSkippedPositions();
            } else if (open.age().compareTo(interval) >= 0 || open.failure != null) {
                commit();
            }
        } catch (RuntimeException e) {
            LOG.warnf("Scheduled commit failed: %s", e);
        }
    }

    /** Commits the open transaction now, or the positions past transaction markers when none is open. */
    private void commitNow() {
        if (open == null) {
            commitSkippedPositions();
        } else {
            commit();
        }
    }

    private void commit() {
        commitOpenTransaction();
    }

    /** @return null when the open transaction committed, else what failed (it was then recovered from) */
    private Throwable commitOpenTransaction() {
        OpenTransaction transaction = open;
        try {
            if (transaction.failure != null) {
                throw new KafkaException("a write of the transaction failed", transaction.failure);
            }
            long started = System.nanoTime();
            Group group = group();
            if (!group.assignment().containsAll(transaction.offsets.keySet())) {
                // Outputs without their offsets would be written twice: abort instead.
                throw new KafkaException("partitions of the transaction are no longer assigned to this member");
            }
            long asked = System.nanoTime();
            producer.commit(transaction.offsets, group.metadata());
            LOG.debugf("Committed a transaction of %d input records, open %d ms; group metadata %d ms, commit %d ms",
                    transaction.inputRecords, transaction.age().toMillis(), (asked - started) / 1_000_000,
                    (System.nanoTime() - asked) / 1_000_000);
            open = null;
            committed(transaction.offsets);
            transaction.runs.forEach(this::release);
            return null;
        } catch (RuntimeException failure) {
            recover(failure);
            return failure;
        }
    }

    /**
     * No transaction is open and a poll moved a partition past records it never handed over (a commit marker, an
     * aborted transaction) after everything before was committed: commit that position in a transaction of its own,
     * so that the lag reaches exactly 0.
     */
    private void commitSkippedPositions() {
        if (System.nanoTime() - idlePositionsAskedAt > IDLE_CHECK.toNanos() && hasPartitionsWithoutPosition()) {
            idlePositionsAskedAt = System.nanoTime();
            pollingThread.call(kafka -> {
                learnIdlePositions(kafka);
                return null;
            }, POLLING_THREAD_WAIT);
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : ownership.owned()) {
            OffsetAndMetadata through = committedThrough.get(partition);
            OffsetAndMetadata position = positions.committable(partition, through);
            if (position != null && (through == null || position.offset() > through.offset())) {
                offsets.put(partition, position);
            }
        }
        if (offsets.isEmpty() || !producer.isStarted()) {
            return;
        }
        try {
            Group group = group();
            Map<TopicPartition, OffsetAndMetadata> owned = ownedOffsets(offsets, group);
            if (owned.isEmpty()) {
                return;
            }
            open = new OpenTransaction();
            open.offsets.putAll(owned);
            producer.begin();
            open.begun = true;
            producer.commit(owned, group.metadata());
            open = null;
            committed(owned);
        } catch (RuntimeException failure) {
            recover(failure);
        }
    }

    private void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> committedThrough.merge(partition, offset,
                (a, b) -> a.offset() >= b.offset() ? a : b));
        commitMetrics.transactionCommitted();
        failedInARow = 0;
    }

    /**
     * The open transaction failed: abort it and write its runs again in a new one (replacing the producer when it
     * cannot go on), until that succeeds, the app stops, or another instance took over this transactional id.
     */
    private void recover(Throwable firstFailure) {
        Throwable failure = firstFailure;
        while (true) {
            OpenTransaction failed = open;
            open = null;
            if (failed == null || failed.refused.isEmpty()) {
                failedInARow++; // a transaction lost to refused records is not a failure in a row: they are replaced
            }
            List<RoutedRun> runs = failed == null ? List.of() : failed.runs;
            SendFailure kind = SendFailure.of(failure);
            if (fenced(failure)) {
                fencedSinceAssignment = true;
            }
            if (kind == SendFailure.FENCED
                    && (failed == null || failed.age().compareTo(producer.transactionTimeout()) < 0)) {
                exit("The transactional producer (transactional.id " + producer.transactionalId() + ") was fenced: "
                        + failure + ". Another instance runs with the same INSTANCE_ID (each instance needs its own,"
                        + " e.g. the pod name). Exiting; the batch stays uncommitted.");
                return;
            }
            if (kind == SendFailure.NOT_PERMITTED) {
                exit("The transactional producer (transactional.id " + producer.transactionalId() + ") cannot go on: "
                        + failure + ". The credentials may not write transactions (TransactionalId, Write and Group"
                        + " ACLs) or the brokers do not support them. Exiting; the batch stays uncommitted.");
                return;
            }
            if (failed != null && failed.begun) {
                metrics.transactionAborted();
            }
            boolean replaceProducer = kind == SendFailure.PRODUCER_BROKEN || kind == SendFailure.TIMED_OUT
                    || kind == SendFailure.FENCED || (failed != null && failed.begun && !abort());
            LOG.warnf("Transaction of %d input records aborted (%s); %s", inputRecords(runs), failure,
                    replaceProducer ? "replacing the transactional producer, then writing them again"
                            : "writing them again");
            if (failedInARow >= FAILED_TRANSACTIONS_BEFORE_GIVING_UP) {
                liveness.gaveUp(failedInARow + " transactions in a row failed, the last with " + failure
                        + "; nothing past them is committed");
            }
            if (failedInARow > 1 && !backOff()) {
                runs.forEach(this::release);
                return; // stopping: the records stay uncommitted for the next owner
            }
            try {
                if (replaceProducer) {
                    producer.replace();
                    runs = notYetCommitted(runs);
                }
                rewrite(runs, failed == null ? Map.of() : failed.refused);
                return;
            } catch (RuntimeException again) {
                if (open == null && failed != null) {
                    // Failed before the runs reached a new transaction: keep them for the next round.
                    open = new OpenTransaction();
                    runs.forEach(open::add);
                    open.refused.putAll(failed.refused);
                }
                failure = again;
            }
        }
    }

    private static int inputRecords(List<RoutedRun> runs) {
        return runs.stream().mapToInt(RoutedRun::inputRecords).sum();
    }

    private boolean abort() {
        try {
            producer.abort();
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("Could not abort the transaction: %s", e);
            return false;
        }
    }

    /**
     * Writes the runs of an aborted transaction again into a new one, each record the producer refused for its
     * content replaced by its dead letter; runs of partitions revoked meanwhile are left to their new owner. Every run
     * is in the new transaction before the first producer call, so a failure here loses none of them.
     */
    private void rewrite(List<RoutedRun> runs, Map<Send, Throwable> refused) {
        List<RoutedRun> again = new ArrayList<>(runs.size());
        for (RoutedRun run : runs) {
            if (!ownership.owns(run.partition(), run.polledInGeneration())) {
                release(run);
                continue;
            }
            List<Send> sends = new ArrayList<>(run.sends().size());
            for (Send send : run.sends()) {
                Throwable refusal = refused.get(send);
                if (refusal == null) {
                    sends.add(send);
                    continue;
                }
                Send replacement = deadLetters.fitting(deadLetters.replacing(send, outputTopic, refusal),
                        limits, outputTopic);
                if (replacement == null) {
                    liveness.gaveUp("the dead-letter topic " + deadLetters.topic() + " refused even a dead letter"
                            + " without key, value and source headers for " + send.source().topic() + "-"
                            + send.source().partition() + "@" + send.source().offset() + ": " + refusal
                            + ". Check the topic's configuration (max.message.bytes, cleanup.policy) and DLQ_TOPIC;"
                            + " nothing of " + run.partition() + " past this record is committed.");
                    replacement = send; // written again as it was: the partition stays where it is
                } else {
                    LOG.warnf("%s refused the %s of %s-%d@%d (%s); writing a dead letter to %s instead",
                            send.record().topic(), send.isDeadLetter() ? "dead letter" : "output",
                            send.source().topic(), send.source().partition(), send.source().offset(), refusal,
                            deadLetters.topic());
                    if (!send.isDeadLetter()) {
                        metrics.deadLettered(DeadLetters.OUTPUT_REJECTED);
                    }
                }
                sends.add(replacement);
            }
            again.add(new RoutedRun(run.partition(), run.firstOffset(), run.next(), sends, run.inputRecords(),
                    run.polledInGeneration()));
        }
        if (again.isEmpty()) {
            return;
        }
        open = new OpenTransaction();
        again.forEach(open::add);
        beginIfNeeded();
        for (RoutedRun run : again) {
            send(open, run);
        }
    }

    /** After the producer was replaced: the runs whose offsets did not reach the group (their transaction aborted). */
    private List<RoutedRun> notYetCommitted(List<RoutedRun> runs) {
        if (runs.isEmpty()) {
            return runs;
        }
        Set<TopicPartition> partitions = new HashSet<>();
        runs.forEach(run -> partitions.add(run.partition()));
        Map<TopicPartition, OffsetAndMetadata> committed = pollingThread.call(kafka -> kafka.committed(partitions),
                POLLING_THREAD_WAIT);
        List<RoutedRun> left = new ArrayList<>();
        for (RoutedRun run : runs) {
            OffsetAndMetadata offset = committed.get(run.partition());
            if (offset == null || offset.offset() < run.next().offset()) {
                left.add(run);
            } else {
                release(run);
            }
        }
        return left;
    }

    private void startProducer() {
        try {
            producer.start();
        } catch (RuntimeException failure) {
            if (SendFailure.of(failure) == SendFailure.NOT_PERMITTED) {
                exit("The transactional producer (transactional.id " + producer.transactionalId() + ") cannot start: "
                        + failure + ". The credentials may not write transactions (TransactionalId ACL) or the brokers"
                        + " do not support them. Exiting.");
                return;
            }
            throw failure;
        }
    }

    /** @return false when the app started to stop meanwhile */
    private boolean backOff() {
        Duration backoff = Duration.ofMillis(100L << Math.min(failedInARow, 9));
        return drain.sleep(backoff.compareTo(MAX_RETRY_BACKOFF) > 0 ? MAX_RETRY_BACKOFF : backoff, () -> true);
    }

    /** The group's metadata and this member's partitions, read together on the polling thread. */
    private record Group(ConsumerGroupMetadata metadata, Set<TopicPartition> assignment) {
    }

    private Group group() {
        return pollingThread.call(kafka -> new Group(kafka.groupMetadata(), kafka.assignment()), POLLING_THREAD_WAIT);
    }

    /**
     * Only partitions this member holds at the epoch the commit carries: a partition already handed over would
     * otherwise get an offset from here after its new owner's (inside a revocation callback the revoked partitions
     * are still held and are committed).
     */
    private static Map<TopicPartition, OffsetAndMetadata> ownedOffsets(Map<TopicPartition, OffsetAndMetadata> offsets,
            Group group) {
        Map<TopicPartition, OffsetAndMetadata> owned = new HashMap<>(offsets);
        owned.keySet().retainAll(group.assignment());
        return owned;
    }

    private void release(RoutedRun run) {
        inFlight.release(run.inputRecords(), run.bytes());
    }

    private void exit(String why) {
        LOG.error(why);
        stop();
        Quarkus.asyncExit(1);
    }

    // ---- group membership, on the polling thread ----

    @Override
    void assigned(Collection<TopicPartition> partitions, int generation) {
        fencedSinceAssignment = false;
        partitions.forEach(committedThrough::remove);
        super.assigned(partitions, generation);
    }

    @Override
    void alreadyCommitted(TopicPartition partition, OffsetAndMetadata offset) {
        committedThrough.merge(partition, offset, (a, b) -> a.offset() >= b.offset() ? a : b);
    }

    @Override
    Revocation revoked(Collection<TopicPartition> partitions) {
        ownership.revoked(partitions);
        drain.wakeSleepers();
        pollingThread.enteredOnPollingThread();
        CompletableFuture<Revocation> committed = CompletableFuture.supplyAsync(this::commitBeforeRevocation,
                transactionThread);
        Revocation outcome = Revocation.PARTLY_COMMITTED;
        if (pollingThread.runQueuedWhile(committed, drainTimeout)) {
            outcome = committed.join();
        } else {
            LOG.warnf("Revoking %s: the open transaction did not commit within DRAIN_TIMEOUT=%s; if it aborts, the"
                    + " next owner processes its records again", partitions, drainTimeout);
        }
        partitions.forEach(committedThrough::remove);
        positions.forget(partitions);
        // A commit refused for fencing before this revocation (by the periodic commit, say) means these partitions
        // were lost, not handed over.
        return fencedSinceAssignment ? Revocation.FENCED : outcome;
    }

    /** On the transaction thread: commits what is open; tells whether the group refused it as from a fenced member. */
    private Revocation commitBeforeRevocation() {
        if (open == null) {
            commitSkippedPositions();
            return Revocation.COMMITTED;
        }
        Throwable failure = commitOpenTransaction();
        return failure == null ? Revocation.COMMITTED
                : fenced(failure) ? Revocation.FENCED : Revocation.PARTLY_COMMITTED;
    }

    @Override
    void lost(Collection<TopicPartition> partitions) {
        ownership.revoked(partitions);
        drain.wakeSleepers();
        pollingThread.enteredOnPollingThread();
        // The member was fenced: the open transaction cannot commit offsets any more. Abort it; its runs of
        // partitions still held (none, usually) are written again.
        CompletableFuture<Void> aborted = CompletableFuture.runAsync(() -> {
            if (open != null) {
                recover(new KafkaException("partitions " + partitions + " were lost"));
            }
        }, transactionThread);
        pollingThread.runQueuedWhile(aborted, drainTimeout);
        partitions.forEach(committedThrough::remove);
        positions.forget(partitions);
    }

    @Override
    void shutdown() {
        startDraining();
        inFlight.wake();
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        boolean finished = awaitNoBatchInProgress(deadline);
        CompletableFuture<Void> committed = CompletableFuture.runAsync(this::commitNow, transactionThread);
        try {
            committed.get(left(deadline).toMillis() + 1, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            finished = false;
        }
        if (!finished || open != null) {
            LOG.warnf("Work still in flight after DRAIN_TIMEOUT=%s; its transaction is aborted and its records are"
                    + " processed again after the restart", drainTimeout);
        }
        stop();
        transactionThread.shutdownNow();
        try {
            producer.close(Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            LOG.debugf("Closing the transactional producer: %s", e);
        }
    }
}
