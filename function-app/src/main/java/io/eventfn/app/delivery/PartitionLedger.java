package io.eventfn.app.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * At least once, one partition during one assignment: the runs of its records taken from the consumer, in offset
 * order, each with the records written for it, and how far they are acknowledged. The offset to commit is the end of
 * the acknowledged prefix: a run is committed only when it and every run before it are fully acknowledged, so a crash
 * never skips a record whose output is not written.
 * <p>
 * When a write fails in a way that writing again can cure, the partition is blocked: runs taken meanwhile are queued
 * instead of sent, and once nothing of the partition is in flight, everything from the first failed record on is
 * written again, in order ({@link #takeResend()}). Records that succeeded after the failed one are written twice
 * (at least once allows it), but no output for a key ever ends up before an earlier one.
 * <p>
 * Thread-safe: the binding appends, the producer's callbacks settle, the resend lane resends, the rebalance closes.
 */
final class PartitionLedger {

    /** What the caller must do after a write settled. */
    enum Next {
        /** Nothing (more writes pending, or this ledger was closed). */
        NOTHING,
        /** The acknowledged prefix moved: commit it. */
        COMMIT,
        /** The record was refused for its content: write its replacement ({@link DeadLetters#replacing}). */
        REPLACE,
        /** A write failed and nothing of the partition is in flight any more: resend from the failure on. */
        RESEND
    }

    /** The records written for one run of input records, and how far they are acknowledged. */
    static final class Segment {
        final long firstOffset;
        final OffsetAndMetadata next;
        final Send[] sends;
        final int inputRecords;
        final long bytes;
        private int pending;
        private int firstFailed = -1;
        private boolean queued;
        private boolean acknowledged;

        Segment(long firstOffset, OffsetAndMetadata next, List<Send> sends, int inputRecords) {
            this.firstOffset = firstOffset;
            this.next = next;
            this.sends = sends.toArray(Send[]::new);
            this.inputRecords = inputRecords;
            long total = 0;
            for (Send send : this.sends) {
                total += send.size();
            }
            this.bytes = total;
        }
    }

    /** One write to hand to the producer: the callback settles {@code index} of {@code segment}. */
    record Write(Segment segment, int index, Send send) {
    }

    private final TopicPartition partition;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final List<Segment> released = new ArrayList<>();
    private OffsetAndMetadata acknowledged;
    private OffsetAndMetadata committed;
    /** Writes being handed to the producer right now, outside this lock. */
    private int handingOver;
    private boolean blocked;
    private boolean closed;
    private Throwable lastFailure;
    private int failedAttempts;

    PartitionLedger(TopicPartition partition) {
        this.partition = partition;
    }

    TopicPartition partition() {
        return partition;
    }

    /**
     * Takes a run. Unless it is null (the ledger is closed: the partition is being revoked) the caller adds it to the
     * in-flight bounds and, when {@link #sendNow(Segment)} says so, writes every send of it and then calls
     * {@link #handedOver()}.
     */
    synchronized Segment append(long firstOffset, OffsetAndMetadata next, List<Send> sends, int inputRecords) {
        if (closed) {
            return null;
        }
        Segment segment = new Segment(firstOffset, next, sends, inputRecords);
        segments.addLast(segment);
        if (blocked) {
            segment.queued = true;
        } else {
            segment.pending = segment.sends.length;
            handingOver++;
            if (segment.pending == 0) {
                segment.acknowledged = true;
            }
        }
        return segment;
    }

    synchronized boolean sendNow(Segment segment) {
        return !segment.queued;
    }

    /** The writes taken by {@link #append}, {@link #takeResend()} or {@link #takeQueued()} are all handed over. */
    synchronized Next handedOver() {
        handingOver--;
        notifyAll();
        boolean moved = advance();
        if (blocked && !closed && quiet()) {
            return Next.RESEND;
        }
        return moved ? Next.COMMIT : Next.NOTHING;
    }

    /**
     * Called when the write of {@code segment.sends[index]} completed.
     *
     * @param failure null when the broker acknowledged it
     */
    synchronized Next settled(Segment segment, int index, Throwable failure) {
        if (closed && !segments.contains(segment)) {
            return Next.NOTHING;
        }
        segment.pending--;
        if (failure != null) {
            lastFailure = failure;
            if (SendFailure.of(failure) == SendFailure.RECORD_REJECTED) {
                // Its replacement becomes the pending write at this index.
                segment.pending++;
                return Next.REPLACE;
            }
            blocked = true;
            segment.firstFailed = segment.firstFailed < 0 ? index : Math.min(segment.firstFailed, index);
        }
        notifyAll();
        if (segment.pending == 0 && segment.firstFailed < 0) {
            segment.acknowledged = true;
            if (advance()) {
                return Next.COMMIT;
            }
        }
        return blocked && !closed && quiet() ? Next.RESEND : Next.NOTHING;
    }

    /** The replacement of a refused record is written at the refused one's place. */
    synchronized boolean replace(Segment segment, int index, Send replacement) {
        if (closed && !segments.contains(segment)) {
            return false;
        }
        segment.sends[index] = replacement;
        return true;
    }

    /**
     * The writes to make again, in order: from the first failed record of the first failed run through every run
     * after it, queued runs included. Empty when there is nothing to resend (or the ledger is closed).
     */
    synchronized List<Write> takeResend() {
        List<Write> writes = new ArrayList<>();
        if (closed || !quiet()) {
            return writes;
        }
        boolean from = false;
        for (Segment segment : segments) {
            int start;
            if (from) {
                start = 0;
            } else if (segment.firstFailed >= 0) {
                from = true;
                start = segment.firstFailed;
            } else {
                continue;
            }
            segment.queued = false;
            segment.acknowledged = false;
            segment.firstFailed = -1;
            segment.pending = segment.sends.length - start;
            for (int i = start; i < segment.sends.length; i++) {
                writes.add(new Write(segment, i, segment.sends[i]));
            }
            if (segment.pending == 0) {
                segment.acknowledged = true;
            }
        }
        if (!writes.isEmpty()) {
            failedAttempts++;
            handingOver++;
        }
        return writes;
    }

    /**
     * After the resend lane handed over its writes: the runs queued meanwhile, to write next, in order; when there
     * are none the partition is unblocked (unless a write failed again meanwhile) and the binding writes directly.
     */
    synchronized List<Write> takeQueued() {
        List<Write> writes = new ArrayList<>();
        for (Segment segment : segments) {
            if (segment.queued) {
                segment.queued = false;
                segment.pending = segment.sends.length;
                for (int i = 0; i < segment.sends.length; i++) {
                    writes.add(new Write(segment, i, segment.sends[i]));
                }
                if (segment.pending == 0) {
                    segment.acknowledged = true;
                }
            }
        }
        if (writes.isEmpty()) {
            boolean failedAgain = segments.stream().anyMatch(segment -> segment.firstFailed >= 0);
            blocked = failedAgain;
        } else {
            handingOver++;
        }
        return writes;
    }

    /** The acknowledged prefix, when it is past what was committed; null otherwise. */
    synchronized OffsetAndMetadata acknowledged() {
        return acknowledged;
    }

    synchronized OffsetAndMetadata committed() {
        return committed;
    }

    synchronized void committed(OffsetAndMetadata offset) {
        if (committed == null || offset.offset() > committed.offset()) {
            committed = offset;
        }
    }

    /** Runs removed from the ledger since the last call (acknowledged, or dropped on close): release their bounds. */
    synchronized List<Segment> takeReleased() {
        List<Segment> taken = List.copyOf(released);
        released.clear();
        return taken;
    }

    synchronized boolean isBlocked() {
        return blocked;
    }

    synchronized int failedAttempts() {
        return failedAttempts;
    }

    synchronized Throwable lastFailure() {
        return lastFailure;
    }

    /** No new run is taken; writes still in flight settle but change nothing once the ledger is dropped. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Waits until every run taken is acknowledged, or {@code timeout} passes.
     *
     * @return true when everything taken is acknowledged
     */
    synchronized boolean awaitAcknowledged(Duration timeout) {
        return DeadlineWait.until(this, () -> segments.isEmpty() && handingOver == 0,
                System.nanoTime() + timeout.toNanos());
    }

    /** Drops every run not yet acknowledged; they are released and their late acknowledgements ignored. */
    synchronized void dropUnacknowledged() {
        closed = true;
        released.addAll(segments);
        segments.clear();
        notifyAll();
    }

    /** Pops the acknowledged runs at the head; true when the prefix moved. */
    private boolean advance() {
        boolean moved = false;
        while (!segments.isEmpty() && segments.peekFirst().acknowledged) {
            Segment done = segments.pollFirst();
            acknowledged = done.next;
            released.add(done);
            moved = true;
        }
        if (moved && segments.stream().noneMatch(segment -> segment.firstFailed >= 0) && !blocked) {
            failedAttempts = 0;
        }
        return moved;
    }

    /** Nothing of this partition is being written: every write taken has settled and none is being handed over. */
    private boolean quiet() {
        return handingOver == 0 && segments.stream().allMatch(segment -> segment.queued || segment.pending == 0);
    }
}
