package io.eventfn.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.eventfn.core.InboundRecord;
import io.eventfn.core.OutboundRecord;
import io.eventfn.core.Outcome;
import io.eventfn.core.RecordProcessor;

/**
 * A "retry later" outcome is retried with capped exponential backoff and jitter, then dead-lettered; a stop or a
 * revocation ends the wait at once.
 */
class RetryingProcessorTest {

    private static final InboundRecord RECORD = new InboundRecord("orders", 0, 42, 0, new byte[] { 'k' },
            new byte[] { 'v' }, List.of());
    private static final Duration TINY = Duration.ofMillis(1);

    @Test
    void deadLettersWithTheLastCauseWhenEveryAttemptAsksForARetry() {
        AtomicInteger calls = new AtomicInteger();
        RecordProcessor alwaysBusy = record -> new Outcome.Retry("downstream busy #" + calls.incrementAndGet());

        Outcome outcome = retrying(alwaysBusy, 3, TINY).process(RECORD, () -> true).outcome();

        assertThat(calls).hasValue(3);
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Reject.class, reject -> {
            assertThat(reject.reasonClass()).isEqualTo("retries-exhausted");
            assertThat(reject.reason()).contains("3 attempts").contains("downstream busy #3");
        });
    }

    @Test
    void returnsTheOutcomeOfTheFirstAttemptThatDoesNotAskForARetry() {
        AtomicInteger calls = new AtomicInteger();
        OutboundRecord out = new OutboundRecord(new byte[] { 'k' }, new byte[] { 'o' });
        RecordProcessor flaky = record -> calls.incrementAndGet() < 3 ? new Outcome.Retry("not yet")
                : Outcome.emit(out);

        Outcome outcome = retrying(flaky, 5, TINY).process(RECORD, () -> true).outcome();

        assertThat(calls).hasValue(3);
        assertThat(outcome).isEqualTo(Outcome.emit(out));
    }

    @Test
    void oneAttemptMeansNoRetry() {
        AtomicInteger calls = new AtomicInteger();
        RecordProcessor busy = record -> {
            calls.incrementAndGet();
            return new Outcome.Retry("busy");
        };

        assertThat(retrying(busy, 1, TINY).process(RECORD, () -> true).outcome()).isInstanceOf(Outcome.Reject.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aThrowingProcessorIsDeadLetteredAsAProcessorError() {
        RecordProcessor broken = record -> {
            throw new IllegalStateException("bug");
        };

        RetryingProcessor.Processed processed = retrying(broken, 5, TINY).process(RECORD, () -> true);

        assertThat(processed.outcome()).isInstanceOfSatisfying(Outcome.Reject.class, reject -> {
            assertThat(reject.reasonClass()).isEqualTo("processor-error");
            assertThat(reject.reason()).contains("IllegalStateException").contains("bug");
        });
        assertThat(processed.thrownClass()).isEqualTo(IllegalStateException.class.getName());
    }

    @Test
    void backoffDoublesWithEqualJitterAndStopsAtTheCap() {
        RetryingProcessor retrying = new RetryingProcessor(record -> null, 10, Duration.ofMillis(200),
                Duration.ofSeconds(5), new DrainSignal());
        for (int sample = 0; sample < 200; sample++) {
            assertThat(retrying.backoff(1).toMillis()).isBetween(100L, 200L);
            assertThat(retrying.backoff(2).toMillis()).isBetween(200L, 400L);
            assertThat(retrying.backoff(3).toMillis()).isBetween(400L, 800L);
            assertThat(retrying.backoff(40).toMillis()).isBetween(2_500L, 5_000L);
        }
    }

    @Test
    void stopsWaitingForARetryAsSoonAsTheAppStartsToStop() throws Exception {
        DrainSignal drain = new DrainSignal();
        RetryingProcessor retrying = new RetryingProcessor(record -> new Outcome.Retry("down"), 5,
                Duration.ofMinutes(10), Duration.ofMinutes(10), drain);

        CompletableFuture<RetryingProcessor.Processed> processed = CompletableFuture
                .supplyAsync(() -> retrying.process(RECORD, () -> true));
        drain.begin();

        // A Retry, not a Reject: the record stays uncommitted instead of being dead-lettered.
        assertThat(processed.get(5, TimeUnit.SECONDS).outcome()).isInstanceOf(Outcome.Retry.class);
    }

    @Test
    void stopsWaitingForARetryWhenThePartitionIsRevoked() throws Exception {
        DrainSignal drain = new DrainSignal();
        AtomicBoolean owned = new AtomicBoolean(true);
        RetryingProcessor retrying = new RetryingProcessor(record -> new Outcome.Retry("down"), 5,
                Duration.ofMinutes(10), Duration.ofMinutes(10), drain);

        CompletableFuture<RetryingProcessor.Processed> processed = CompletableFuture
                .supplyAsync(() -> retrying.process(RECORD, owned::get));
        owned.set(false);
        drain.wakeSleepers();

        assertThat(processed.get(5, TimeUnit.SECONDS).outcome()).isInstanceOf(Outcome.Retry.class);
    }

    private static RetryingProcessor retrying(RecordProcessor processor, int attempts, Duration backoff) {
        return new RetryingProcessor(processor, attempts, backoff, backoff, new DrainSignal());
    }
}
