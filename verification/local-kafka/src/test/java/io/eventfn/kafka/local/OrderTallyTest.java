package io.eventfn.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class OrderTallyTest {

    @Test
    void countsDistinctOrdersAndDuplicatesBeyondTheFirstCopy() {
        OrderTally tally = new OrderTally();
        tally.add(0, 0, 0, 0, 2_000);
        tally.add(1, 0, 0, 1, 1_000);
        OrderTally.Copy again = tally.add(0, 0, 0, 2, 3_000);

        assertThat(again.copies()).isEqualTo(2);
        assertThat(again.firstOutputMillis()).isEqualTo(2_000);
        assertThat(tally.records()).isEqualTo(3);
        assertThat(tally.distinct()).isEqualTo(2);
        assertThat(tally.duplicates()).isEqualTo(1);
        assertThat(tally.copies(5)).isZero();
        assertThat(tally.firstOutput()).isEqualTo(Instant.ofEpochMilli(1_000));
    }

    @Test
    void growsPastItsFirstCapacity() {
        OrderTally tally = new OrderTally();
        tally.add(100_000, OrderTally.NO_KEY, 0, 0, 1);

        assertThat(tally.copies(100_000)).isEqualTo(1);
        assertThat(tally.distinct()).isEqualTo(1);
    }

    @Test
    void findsFirstCopiesOfOneKeyOutOfInputOrderWithinAPartition() {
        OrderTally tally = new OrderTally();
        tally.add(2, 7, 0, 0, 1);
        OrderTally.Copy early = tally.add(1, 7, 0, 1, 1);
        OrderTally.Copy otherKey = tally.add(0, 8, 0, 2, 1);
        OrderTally.Copy otherPartition = tally.add(0, 7, 1, 0, 1);

        assertThat(early.cameAfter()).isEqualTo(2);
        assertThat(otherKey.outOfOrder()).isFalse();
        assertThat(otherPartition.outOfOrder()).isFalse();
        assertThat(tally.orderViolations()).isEqualTo(1);
    }

    @Test
    void judgesLastCopiesByWhereTheyEndedUp() {
        OrderTally tally = new OrderTally();
        // 0 and 1 came out in order, then 0 was written again after 1: the reader is left with 1 before 0.
        tally.add(0, 7, 0, 0, 1);
        tally.add(1, 7, 0, 1, 1);
        tally.add(0, 7, 0, 2, 1);

        assertThat(tally.orderViolations()).isZero();
        assertThat(tally.lastCopyOrderViolations()).isEqualTo(1);
    }

    @Test
    void leavesOrdersWithoutAKeyOutOfTheOrderChecks() {
        OrderTally tally = new OrderTally();
        tally.add(1, OrderTally.NO_KEY, 0, 0, 1);
        tally.add(0, OrderTally.NO_KEY, 0, 1, 1);

        assertThat(tally.orderViolations()).isZero();
        assertThat(tally.lastCopyOrderViolations()).isZero();
    }
}
