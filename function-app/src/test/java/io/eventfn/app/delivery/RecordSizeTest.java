package io.eventfn.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.DefaultRecord;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The app's size check agrees with the one Kafka's producer makes before it sends (its internal estimate). */
class RecordSizeTest {

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 63, 64, 8_191, 8_192, 1_048_300, 1_048_576 })
    void matchesTheProducersOwnEstimate(int valueSize) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("dead-letter-reason", "lines[0].quantity must be an integer >= 1, got 0".getBytes());
        headers.add("ümlaut", null);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("t", null, new byte[] { 1, 2 },
                new byte[valueSize], headers);

        int kafka = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                Compression.NONE.type(), ByteBuffer.wrap(record.key()), ByteBuffer.wrap(record.value()),
                headers.toArray());

        assertThat(RecordSize.upperBound(record)).isEqualTo(kafka);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 63, 64, 8_191, 8_192, 1_048_300, 1_048_576 })
    void aBatchOfTheRecordAloneIsAsLargeAsKafkaWritesIt(int valueSize) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes());
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("t", null, new byte[] { 1, 2 },
                new byte[valueSize], headers);

        int kafka = DefaultRecordBatch.RECORD_BATCH_OVERHEAD
                + DefaultRecord.sizeInBytes(0, 0L, record.key().length, valueSize, headers.toArray());

        assertThat(RecordSize.inBatchOfOne(record)).isEqualTo(kafka);
        // RecordLimits relies on it: the exact size is only worked out when the upper bound is over a limit.
        assertThat(RecordSize.inBatchOfOne(record)).isLessThanOrEqualTo(RecordSize.upperBound(record));
    }

    @Test
    void countsAMissingKeyAndValueAsKafkaDoes() {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("t", null, (byte[]) null, (byte[]) null,
                new RecordHeaders());

        int kafka = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                Compression.NONE.type(), (ByteBuffer) null, (ByteBuffer) null, new RecordHeaders().toArray());

        assertThat(RecordSize.upperBound(record)).isEqualTo(kafka);
    }
}
