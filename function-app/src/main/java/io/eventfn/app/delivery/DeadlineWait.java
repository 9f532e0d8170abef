package io.eventfn.app.delivery;

import java.util.function.BooleanSupplier;

/** Waits on a monitor the caller holds until a condition holds or a deadline passes, as drains and revocations do. */
final class DeadlineWait {

    private DeadlineWait() {
    }

    /**
     * @param monitor        the object whose monitor the caller holds and whose {@code notifyAll} signals progress
     * @param done           the condition, read under the monitor
     * @param deadlineNanos  a {@link System#nanoTime()} value
     * @return true once {@code done} holds; false at the deadline or when interrupted (the interrupt is kept)
     */
    static boolean until(Object monitor, BooleanSupplier done, long deadlineNanos) {
        while (!done.getAsBoolean()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                monitor.wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
