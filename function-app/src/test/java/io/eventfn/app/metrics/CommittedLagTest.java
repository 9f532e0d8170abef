package io.eventfn.app.metrics;

import static io.eventfn.app.metrics.CommittedLag.NO_COMMITTED_OFFSET;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The committed lag is counted exactly as KEDA's Kafka scaler counts it (getLagForPartition). */
class CommittedLagTest {

    @Test
    void isLatestOffsetMinusCommittedOffset() {
        assertThat(CommittedLag.partitionLag(40, 100, false)).isEqualTo(60);
        assertThat(CommittedLag.partitionLag(100, 100, false)).isZero();
    }

    @Test
    void countsTheWholeLogOfANeverCommittedPartitionWhenStartingFromTheEarliestRecord() {
        assertThat(CommittedLag.partitionLag(NO_COMMITTED_OFFSET, 500, false)).isEqualTo(500);
        assertThat(CommittedLag.partitionLag(NO_COMMITTED_OFFSET, 0, false)).isZero();
    }

    @Test
    void countsOneForANeverCommittedPartitionWhenStartingFromTheLatestRecord() {
        assertThat(CommittedLag.partitionLag(NO_COMMITTED_OFFSET, 500, true)).isEqualTo(1);
        assertThat(CommittedLag.partitionLag(NO_COMMITTED_OFFSET, 0, true)).isEqualTo(1);
    }

    @Test
    void isNotClampedWhenTheCommittedOffsetIsPastTheEndAsKedaDoesNotClampIt() {
        assertThat(CommittedLag.partitionLag(120, 100, false)).isEqualTo(-20);
    }

    @Test
    void sumsThePartitions() {
        CommittedLag lag = new CommittedLag(Map.of(new TopicPartition("orders", 0), 60L,
                new TopicPartition("orders", 1), 0L, new TopicPartition("payments", 0), 7L));

        assertThat(lag.records()).isEqualTo(67);
        assertThat(CommittedLag.NO_PARTITIONS.records()).isZero();
    }
}
