package io.eventfn.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The progress line and the time-to-drain estimate say what an operator needs, and stay sane at the edges. */
class ProgressLineTest {

    @Test
    void timeToDrainIsLagOverRateZeroWithoutLagAndInfiniteWithoutProgress() {
        assertThat(ConsumerLagProbe.timeToDrainSeconds(10_000, 2_000.0)).isEqualTo(5.0);
        assertThat(ConsumerLagProbe.timeToDrainSeconds(0, 0.0)).isZero();
        assertThat(ConsumerLagProbe.timeToDrainSeconds(0, Double.NaN)).isZero();
        assertThat(ConsumerLagProbe.timeToDrainSeconds(10, 0.0)).isInfinite();
        assertThat(ConsumerLagProbe.timeToDrainSeconds(10, Double.NaN)).isInfinite();
    }

    @Test
    void progressLineNamesRateDeadLettersLagAndLastCommit() {
        String line = ProgressLog.line(60_000, 30.0, 12, new ConsumerLagProbe.Lag(4_000, 6, 2.0), 1.2);

        assertThat(line).isEqualTo("Progress: 60000 records in 30 s (2000.0 records/s), 12 dead-lettered; lag 4000"
                + " records on 6 partitions, time to drain 2.0 s; last commit 1.2 s ago");
    }

    @Test
    void progressLineSaysWhenNothingIsKnownYet() {
        String line = ProgressLog.line(0, 30.0, 0, new ConsumerLagProbe.Lag(50, 1, Double.POSITIVE_INFINITY),
                Double.NaN);

        assertThat(line).contains("time to drain unknown (no progress)").endsWith("last commit none yet");
    }
}
