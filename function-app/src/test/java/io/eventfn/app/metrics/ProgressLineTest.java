package io.eventfn.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The progress line and the time-to-drain estimate say what an operator needs, and stay sane at the edges. */
class ProgressLineTest {

    @Test
    void timeToDrainIsCommittedLagOverRateZeroWithoutLagInfiniteWithoutProgressUnknownWithoutOffsets() {
        assertThat(CommittedLagProbe.timeToDrainSeconds(10_000, 2_000.0)).isEqualTo(5.0);
        assertThat(CommittedLagProbe.timeToDrainSeconds(0, 0.0)).isZero();
        assertThat(CommittedLagProbe.timeToDrainSeconds(0, Double.NaN)).isZero();
        assertThat(CommittedLagProbe.timeToDrainSeconds(10, 0.0)).isInfinite();
        assertThat(CommittedLagProbe.timeToDrainSeconds(10, Double.NaN)).isInfinite();
        assertThat(CommittedLagProbe.timeToDrainSeconds(Double.NaN, 2_000.0)).isNaN();
    }

    @Test
    void progressLineNamesRateDeadLettersCommittedAndUnfetchedLagAndLastCommit() {
        String line = ProgressLog.line(60_000, 30.0, 12, new ProgressLog.Lag(4_000, 6, 1_500, 2.0), 1.2);

        assertThat(line).isEqualTo("Progress: 60000 records in 30 s (2000.0 records/s), 12 dead-lettered; lag 4000"
                + " records on 6 partitions (1500 not fetched yet), time to drain 2.0 s; last commit 1.2 s ago");
    }

    @Test
    void progressLineSaysWhenNothingIsKnownYet() {
        String line = ProgressLog.line(0, 30.0, 0, new ProgressLog.Lag(50, 1, 50, Double.POSITIVE_INFINITY),
                Double.NaN);

        assertThat(line).contains("time to drain unknown (no progress)").endsWith("last commit none yet");
    }

    @Test
    void progressLineSaysTheLagIsUnknownWhileOffsetsCannotBeRead() {
        String line = ProgressLog.line(10, 30.0, 0, new ProgressLog.Lag(Double.NaN, 0, 5, Double.NaN), 3.0);

        assertThat(line).contains("lag unknown (offsets not readable)").doesNotContain("NaN");
    }
}
