package io.eventfn.app.delivery;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounds the work taken from the consumer and not yet committed: input records, and bytes of the records written for
 * them. While either bound is reached the binding waits before it takes the next batch, the connector's queue fills
 * up and the consumer pauses fetching, so memory stays bounded however far the broker falls behind.
 */
final class InFlightLimit {

    private final long maxRecords;
    private final long maxBytes;
    private long records;
    private long bytes;

    InFlightLimit(long maxRecords, long maxBytes) {
        if (maxRecords < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("bounds must be positive: " + maxRecords + " records, " + maxBytes
                    + " bytes");
        }
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    synchronized void add(long records, long bytes) {
        this.records += records;
        this.bytes += bytes;
    }

    synchronized void release(long records, long bytes) {
        this.records -= records;
        this.bytes -= bytes;
        notifyAll();
    }

    /**
     * Waits while a bound is reached.
     *
     * @param stop checked whenever the wait is woken up or {@code recheck} passes; true ends the wait
     * @return true when there is room, false when {@code stop} said so first
     */
    synchronized boolean awaitRoom(BooleanSupplier stop, Duration recheck) {
        while (records >= maxRecords || bytes >= maxBytes) {
            if (stop.getAsBoolean()) {
                return false;
            }
            try {
                wait(Math.max(1, recheck.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** True when {@code records} and {@code bytes} take half of either bound. */
    boolean isHalf(long records, long bytes) {
        return records * 2 >= maxRecords || bytes * 2 >= maxBytes;
    }

    /** Wakes up a waiting binding, e.g. to let it see that it should stop. */
    synchronized void wake() {
        notifyAll();
    }

    synchronized long records() {
        return records;
    }

    synchronized long bytes() {
        return bytes;
    }
}
