package io.eventfn.app.delivery;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Set once when the app starts to stop: from then on no new batch is started, and waits that could hold a batch
 * back (a processor's retry backoff, the in-flight bound) end early so that the work in flight can finish and be
 * committed within {@code DRAIN_TIMEOUT}.
 */
final class DrainSignal {

    private volatile boolean draining;

    synchronized void begin() {
        draining = true;
        notifyAll();
    }

    boolean isDraining() {
        return draining;
    }

    /**
     * Sleeps for {@code duration} unless draining begins or {@code keepGoing} turns false (checked when woken up).
     *
     * @return true when the full duration passed
     */
    synchronized boolean sleep(Duration duration, BooleanSupplier keepGoing) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (!draining && keepGoing.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Wakes every {@link #sleep}, e.g. after a revocation, so that each checks whether to go on. */
    synchronized void wakeSleepers() {
        notifyAll();
    }
}
