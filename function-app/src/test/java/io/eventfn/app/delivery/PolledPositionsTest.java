package io.eventfn.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The position to commit past records the consumer skipped without handing them over (a transaction's commit marker,
 * an aborted transaction): only once everything it did hand over is done.
 */
class PolledPositionsTest {

    private static final TopicPartition PARTITION = new TopicPartition("orders", 0);

    private final PolledPositions positions = new PolledPositions();

    @Test
    void commitsThePositionPastAMarkerOnceEveryPolledRecordIsDone() {
        positions.polled(records(List.of(10L, 11L), 12)); // records 10 and 11; next 12
        positions.polled(records(List.of(), 13)); // the commit marker at 12, skipped

        assertThat(positions.committable(PARTITION, null)).isNull();
        assertThat(positions.committable(PARTITION, offset(11)).offset()).isEqualTo(11);
        assertThat(positions.committable(PARTITION, offset(12)).offset()).isEqualTo(13);
    }

    @Test
    void commitsThePositionWhenOnlySkippedRecordsWerePolledSinceTheAssignment() {
        positions.polled(records(List.of(), 40)); // an aborted transaction's records, never handed over

        assertThat(positions.committable(PARTITION, null).offset()).isEqualTo(40);
    }

    @Test
    void aPollWithRecordsMovesWhatMustBeDoneFirst() {
        positions.polled(records(List.of(), 5));
        positions.polled(records(List.of(5L), 6));

        assertThat(positions.committable(PARTITION, null)).isNull();
        assertThat(positions.committable(PARTITION, offset(6)).offset()).isEqualTo(6);
    }

    @Test
    void aPartitionReportedWhereItAlreadyWasIsNotASkip() {
        positions.polled(records(List.of(10L, 11L), 12));
        positions.polled(new ConsumerRecords<>(Map.of(), Map.of(PARTITION, new OffsetAndMetadata(12))));

        assertThat(positions.committable(PARTITION, null)).isNull();
        assertThat(positions.committable(PARTITION, offset(12)).offset()).isEqualTo(12);
    }

    @Test
    void aFirstReportWithoutLeaderEpochSaysNothingAboutWhereThePartitionStands() {
        // Kafka's consumer reports a partition whose fetch came back empty, at its position, without an epoch.
        positions.polled(new ConsumerRecords<>(Map.of(), Map.of(PARTITION, new OffsetAndMetadata(2812))));

        assertThat(positions.knows(PARTITION)).isFalse();
        assertThat(positions.committable(PARTITION, null)).isNull();
    }

    @Test
    void forgetsAPartitionWhenItChangesOwner() {
        positions.polled(records(List.of(), 40));
        positions.forget(List.of(PARTITION));

        assertThat(positions.committable(PARTITION, offset(3)).offset()).isEqualTo(3);
    }

    @Test
    void tellsWhenAPollOnlySkipped() {
        AtomicInteger skips = new AtomicInteger();
        positions.onSkippedOnly(skips::incrementAndGet);

        positions.polled(records(List.of(1L), 2));
        positions.polled(records(List.of(), 3));

        assertThat(skips).hasValue(1);
    }

    @Test
    void theInterceptorFeedsThePositionsItIsConfiguredWith() {
        PolledPositions.Interceptor interceptor = new PolledPositions.Interceptor();
        interceptor.configure(Map.of(PolledPositions.CONFIG_KEY, positions));
        @SuppressWarnings({ "unchecked", "rawtypes" })
        ConsumerRecords<Object, Object> records = (ConsumerRecords) records(List.of(), 9);

        assertThat(interceptor.onConsume(records)).isSameAs(records);
        assertThat(positions.committable(PARTITION, null).offset()).isEqualTo(9);
    }

    /** A poll: records at these offsets, and the next offset, with the leader epoch past record batches. */
    private static ConsumerRecords<byte[], byte[]> records(List<Long> offsets, long next) {
        List<ConsumerRecord<byte[], byte[]>> polled = offsets.stream()
                .map(offset -> new ConsumerRecord<byte[], byte[]>("orders", 0, offset, null, new byte[0])).toList();
        return new ConsumerRecords<>(polled.isEmpty() ? Map.of() : Map.of(PARTITION, polled),
                Map.of(PARTITION, new OffsetAndMetadata(next, java.util.Optional.of(0), "")));
    }

    private static OffsetAndMetadata offset(long offset) {
        return new OffsetAndMetadata(offset);
    }
}
