package io.eventfn.app.delivery;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.Consumer;

import io.smallrye.reactive.messaging.kafka.KafkaConsumer;

/**
 * Calls on the input consumer, which only its polling thread may touch. From another thread a call is queued and
 * run between two polls; but while the polling thread sits in a rebalance callback waiting for this instance's work
 * to finish, it runs the queued calls itself ({@link #runQueuedWhile}), so that the work it waits for (a transaction
 * that needs the group's metadata, say) can finish instead of deadlocking.
 */
final class PollingThread {

    private final KafkaConsumer<?, ?> consumer;
    private final LinkedBlockingQueue<Runnable> queued = new LinkedBlockingQueue<>();
    private volatile Thread pollingThread;

    PollingThread(KafkaConsumer<?, ?> consumer) {
        this.consumer = consumer;
    }

    /** Called on the polling thread (in every rebalance callback) so that calls from it run directly. */
    void enteredOnPollingThread() {
        pollingThread = Thread.currentThread();
    }

    boolean isCurrent() {
        return Thread.currentThread() == pollingThread;
    }

    /**
     * Runs {@code call} on the polling thread and waits for its result.
     *
     * @throws java.util.concurrent.TimeoutException wrapped in an IllegalStateException when the polling thread did
     *                                               not run it within {@code timeout}
     */
    <T> T call(Function<Consumer<?, ?>, T> call, Duration timeout) {
        if (isCurrent()) {
            return call.apply(consumer.unwrap());
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        queued.add(() -> {
            if (!result.isDone()) {
                try {
                    result.complete(call.apply(consumer.unwrap()));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }
        });
        consumer.runOnPollingThread(ignored -> {
            enteredOnPollingThread();
            runQueued();
        }).subscribe().with(ignored -> {
        }, result::completeExceptionally);
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the consumer's polling thread", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the consumer's polling thread did not answer within " + timeout, e);
        }
    }

    /**
     * On the polling thread, inside a rebalance callback: runs queued calls until {@code work} completes or
     * {@code timeout} passes.
     *
     * @return true when {@code work} completed in time
     */
    boolean runQueuedWhile(CompletableFuture<?> work, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        work.whenComplete((result, failure) -> queued.add(() -> {
            // wakes the wait below
        }));
        while (!work.isDone()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                Runnable next = queued.poll(left, TimeUnit.NANOSECONDS);
                if (next != null) {
                    next.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void runQueued() {
        Runnable next;
        while ((next = queued.poll()) != null) {
            next.run();
        }
    }
}
