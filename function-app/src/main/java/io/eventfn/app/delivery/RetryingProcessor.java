package io.eventfn.app.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.eventfn.core.InboundRecord;
import io.eventfn.core.Outcome;
import io.eventfn.core.RecordProcessor;

/**
 * Runs the processor on one record, retrying a {@link Outcome.Retry} with exponential backoff and jitter until the
 * attempts run out, when the record becomes a {@link Outcome.Reject} carrying the last cause. It works on one record
 * at a time, so a retry holds back the records behind it and never reorders a partition. A processor that throws or
 * returns null rejects the record (reason class {@code processor-error}); the exception's class is kept for the dead
 * letter.
 */
final class RetryingProcessor {

    private static final Logger LOG = Logger.getLogger(RetryingProcessor.class);

    /**
     * A record's final outcome; never {@code Retry} unless the retries were cut short by {@code keepTrying}.
     *
     * @param thrownClass the class of what the processor threw, or null
     */
    record Processed(Outcome outcome, String thrownClass) {
    }

    private final RecordProcessor processor;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final DrainSignal drain;

    RetryingProcessor(RecordProcessor processor, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
            DrainSignal drain) {
        this.processor = processor;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.drain = drain;
    }

    /**
     * @param keepTrying false once the record no longer needs processing here (its partition was revoked); checked
     *                   between attempts, as is the drain signal: then a {@code Retry} is returned and the record
     *                   stays uncommitted
     */
    Processed process(InboundRecord record, BooleanSupplier keepTrying) {
        for (int attempt = 1;; attempt++) {
            Processed processed = attempt(record);
            if (!(processed.outcome() instanceof Outcome.Retry retry)) {
                return processed;
            }
            if (attempt >= maxAttempts) {
                return new Processed(new Outcome.Reject("retries-exhausted",
                        "gave up after " + attempt + " attempts: " + retry.cause()), null);
            }
            Duration backoff = backoff(attempt);
            LOG.debugf("Retrying %s-%d@%d in %d ms (attempt %d of %d): %s", record.topic(), record.partition(),
                    record.offset(), backoff.toMillis(), attempt + 1, maxAttempts, retry.cause());
            if (!drain.sleep(backoff, keepTrying)) {
                return processed; // stopping, or no longer ours: leave it uncommitted
            }
        }
    }

    private Processed attempt(InboundRecord record) {
        try {
            Outcome outcome = processor.process(record);
            if (outcome == null) {
                return new Processed(new Outcome.Reject("processor-error",
                        processor.getClass().getSimpleName() + " returned null"), null);
            }
            return new Processed(outcome, null);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            return new Processed(new Outcome.Reject("processor-error", processor.getClass().getSimpleName()
                    + " threw " + e.getClass().getName() + ": " + e.getMessage()), e.getClass().getName());
        }
    }

    /** Exponential from the initial backoff, capped, then "equal jitter": half fixed, half random. */
    Duration backoff(int failedAttempts) {
        long exponential = initialBackoff.toMillis() << Math.min(failedAttempts - 1, 30);
        long capped = Math.min(Math.max(exponential, 0), maxBackoff.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
