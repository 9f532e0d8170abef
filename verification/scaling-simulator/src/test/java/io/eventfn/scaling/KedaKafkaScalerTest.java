package io.eventfn.scaling;

import static io.eventfn.scaling.KafkaTrigger.OffsetResetPolicy.EARLIEST;
import static io.eventfn.scaling.KafkaTrigger.OffsetResetPolicy.LATEST;
import static io.eventfn.kafka.local.ConsumerGroupLag.NO_COMMITTED_OFFSET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.eventfn.kafka.local.ConsumerGroupLag;

class KedaKafkaScalerTest {

    private static ConsumerGroupLag.PartitionLag partition(int p, long committed, long latest) {
        return new ConsumerGroupLag.PartitionLag(new TopicPartition("orders", p), committed, latest);
    }

    @Test
    void lagIsLatestMinusCommittedOffset() {
        var scaler = new KedaKafkaScaler(KafkaTrigger.of(10, 0, EARLIEST));
        assertThat(scaler.lagForPartition(partition(0, 40, 100))).isEqualTo(new KedaKafkaScaler.PartitionLag(60, 60));
    }

    @Test
    void partitionWithoutCommittedOffsetCountsOneUnderLatest() {
        var scaler = new KedaKafkaScaler(KafkaTrigger.of(10, 0, LATEST));
        assertThat(scaler.totalLag(List.of(partition(0, NO_COMMITTED_OFFSET, 500),
                partition(1, NO_COMMITTED_OFFSET, 0))).totalLag()).isEqualTo(2);
    }

    @Test
    void partitionWithoutCommittedOffsetCountsZeroUnderLatestWithScaleToZeroOnInvalidOffset() {
        var scaler = new KedaKafkaScaler(KafkaTrigger.of(10, 0, LATEST).withScaleToZeroOnInvalidOffset(true));
        var reading = scaler.metricsAndActivity(List.of(partition(0, NO_COMMITTED_OFFSET, 500)));
        assertThat(reading.metric()).isZero();
        assertThat(reading.active()).isFalse();
    }

    @Test
    void partitionWithoutCommittedOffsetCountsItsWholeLogUnderEarliest() {
        var scaler = new KedaKafkaScaler(KafkaTrigger.of(1000, 0, EARLIEST));
        assertThat(scaler.lagForPartition(partition(0, NO_COMMITTED_OFFSET, 500)).lag()).isEqualTo(500);
        var zero = new KedaKafkaScaler(KafkaTrigger.of(1000, 0, EARLIEST).withScaleToZeroOnInvalidOffset(true));
        assertThat(zero.lagForPartition(partition(0, NO_COMMITTED_OFFSET, 500)).lag()).isZero();
    }

    @Test
    void activeOnlyWhenTotalLagIsStrictlyAboveActivationThreshold() {
        var scaler = new KedaKafkaScaler(KafkaTrigger.of(10, 5, EARLIEST));
        assertThat(scaler.metricsAndActivity(List.of(partition(0, 0, 5))).active()).isFalse();
        assertThat(scaler.metricsAndActivity(List.of(partition(0, 0, 6))).active()).isTrue();
        var zeroThreshold = new KedaKafkaScaler(KafkaTrigger.of(10, 0, EARLIEST));
        assertThat(zeroThreshold.metricsAndActivity(List.of(partition(0, 7, 7))).active()).isFalse();
        assertThat(zeroThreshold.metricsAndActivity(List.of(partition(0, 7, 8))).active()).isTrue();
    }

    @Test
    void capsMetricAtOneThresholdPerPartitionOnlyWhenIntegerQuotientExceedsPartitions() {
        var scaler = new KedaKafkaScaler(KafkaTrigger.of(10, 0, EARLIEST));
        // 3 partitions: 39 / 10 = 3, not > 3, so 39 stays and the HPA's ceil(3.9) asks for 4 = partitions + 1.
        assertThat(scaler.totalLag(List.of(partition(0, 0, 13), partition(1, 0, 13), partition(2, 0, 13))).totalLag())
                .isEqualTo(39);
        assertThat(scaler.totalLag(List.of(partition(0, 0, 14), partition(1, 0, 13), partition(2, 0, 13))).totalLag())
                .isEqualTo(30);
        var withIdle = new KedaKafkaScaler(KafkaTrigger.of(10, 0, EARLIEST).withAllowIdleConsumers(true));
        assertThat(withIdle.totalLag(List.of(partition(0, 0, 400))).totalLag()).isEqualTo(400);
    }

    @Test
    void limitToPartitionsWithLagCapsAtLaggingPartitions() {
        var scaler = new KedaKafkaScaler(KafkaTrigger.of(10, 0, EARLIEST).withLimitToPartitionsWithLag(true));
        var total = scaler.totalLag(List.of(partition(0, 0, 400), partition(1, 5, 5), partition(2, 5, 5)));
        assertThat(total.totalLag()).isEqualTo(10);
        assertThat(total.uncappedLag()).isEqualTo(400);
    }

    @Test
    void excludePersistentLagDropsAPartitionWhoseOffsetDidNotMoveButKeepsItActive() {
        var scaler = new KedaKafkaScaler(KafkaTrigger.of(10, 0, EARLIEST).withExcludePersistentLag(true));
        assertThat(scaler.lagForPartition(partition(0, 40, 100)).lag()).isEqualTo(60);
        assertThat(scaler.lagForPartition(partition(0, 40, 120))).isEqualTo(new KedaKafkaScaler.PartitionLag(0, 80));
        assertThat(scaler.metricsAndActivity(List.of(partition(0, 40, 120))).active()).isTrue();
        assertThat(scaler.lagForPartition(partition(0, 50, 120)).lag()).isEqualTo(70);
    }

    @Test
    void rejectsSettingsKedaRejects() {
        assertThatThrownBy(() -> KafkaTrigger.of(0, 0, EARLIEST)).hasMessageContaining("lagThreshold");
        assertThatThrownBy(() -> KafkaTrigger.of(10, -1, EARLIEST)).hasMessageContaining("activationLagThreshold");
        assertThatThrownBy(() -> KafkaTrigger.of(10, 0, EARLIEST).withAllowIdleConsumers(true)
                .withLimitToPartitionsWithLag(true)).hasMessageContaining("simultaneously");
    }
}
