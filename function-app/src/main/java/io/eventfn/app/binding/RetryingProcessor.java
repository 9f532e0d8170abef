package io.eventfn.app.binding;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.jboss.logging.Logger;

import io.eventfn.core.InboundRecord;
import io.eventfn.core.Outcome;
import io.eventfn.core.RecordProcessor;

/**
 * Runs the processor on one record, retrying a {@link Outcome.Retry} with exponential backoff and jitter until the
 * attempts run out, when the record becomes a {@link Outcome.Reject} carrying the last cause. It works on one record
 * at a time, so a retry holds back the records behind it and never reorders a partition.
 */
final class RetryingProcessor {

    private static final Logger LOG = Logger.getLogger(RetryingProcessor.class);

    private final RecordProcessor processor;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    RetryingProcessor(RecordProcessor processor, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this.processor = processor;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** Never returns a {@code Retry}, never throws. */
    Outcome process(InboundRecord record) {
        for (int attempt = 1;; attempt++) {
            Outcome outcome = attempt(record);
            if (!(outcome instanceof Outcome.Retry retry)) {
                return outcome;
            }
            if (attempt >= maxAttempts) {
                return new Outcome.Reject("retries-exhausted",
                        "gave up after " + attempt + " attempts: " + retry.cause());
            }
            Duration backoff = backoff(attempt);
            LOG.debugf("Retrying %s-%d@%d in %d ms (attempt %d of %d): %s", record.topic(), record.partition(),
                    record.offset(), backoff.toMillis(), attempt + 1, maxAttempts, retry.cause());
            if (!pause(backoff)) {
                return new Outcome.Retry(retry.cause()); // interrupted by shutdown: leave it uncommitted
            }
        }
    }

    private Outcome attempt(InboundRecord record) {
        try {
            Outcome outcome = processor.process(record);
            if (outcome == null) {
                return new Outcome.Reject("processor-error", processor.getClass().getSimpleName() + " returned null");
            }
            return outcome;
        } catch (RuntimeException | LinkageError e) {
            return new Outcome.Reject("processor-error",
                    processor.getClass().getSimpleName() + " threw " + e.getClass().getName() + ": " + e.getMessage());
        }
    }

    /** Exponential from the initial backoff, capped, then "equal jitter": half fixed, half random. */
    Duration backoff(int failedAttempts) {
        long exponential = initialBackoff.toMillis() << Math.min(failedAttempts - 1, 30);
        long capped = Math.min(Math.max(exponential, 0), maxBackoff.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    private static boolean pause(Duration backoff) {
        try {
            Thread.sleep(backoff);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
