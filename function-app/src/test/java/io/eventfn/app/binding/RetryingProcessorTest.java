package io.eventfn.app.binding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.eventfn.core.InboundRecord;
import io.eventfn.core.OutboundRecord;
import io.eventfn.core.Outcome;
import io.eventfn.core.RecordProcessor;

/** A "retry later" outcome is retried with capped exponential backoff and jitter, then dead-lettered. */
class RetryingProcessorTest {

    private static final InboundRecord RECORD = new InboundRecord("orders", 0, 42, 0, new byte[] { 'k' },
            new byte[] { 'v' }, List.of());
    private static final Duration TINY = Duration.ofMillis(1);

    @Test
    void deadLettersWithTheLastCauseWhenEveryAttemptAsksForARetry() {
        AtomicInteger calls = new AtomicInteger();
        RecordProcessor alwaysBusy = record -> new Outcome.Retry("downstream busy #" + calls.incrementAndGet());

        Outcome outcome = new RetryingProcessor(alwaysBusy, 3, TINY, TINY).process(RECORD);

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

        Outcome outcome = new RetryingProcessor(flaky, 5, TINY, TINY).process(RECORD);

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

        assertThat(new RetryingProcessor(busy, 1, TINY, TINY).process(RECORD)).isInstanceOf(Outcome.Reject.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aThrowingProcessorIsDeadLetteredAsAProcessorError() {
        RecordProcessor broken = record -> {
            throw new IllegalStateException("bug");
        };

        Outcome outcome = new RetryingProcessor(broken, 5, TINY, TINY).process(RECORD);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Reject.class, reject -> {
            assertThat(reject.reasonClass()).isEqualTo("processor-error");
            assertThat(reject.reason()).contains("IllegalStateException").contains("bug");
        });
    }

    @Test
    void backoffDoublesWithEqualJitterAndStopsAtTheCap() {
        RetryingProcessor retrying = new RetryingProcessor(record -> null, 10, Duration.ofMillis(200),
                Duration.ofSeconds(5));
        for (int sample = 0; sample < 200; sample++) {
            assertThat(retrying.backoff(1).toMillis()).isBetween(100L, 200L);
            assertThat(retrying.backoff(2).toMillis()).isBetween(200L, 400L);
            assertThat(retrying.backoff(3).toMillis()).isBetween(400L, 800L);
            assertThat(retrying.backoff(40).toMillis()).isBetween(2_500L, 5_000L);
        }
    }
}
