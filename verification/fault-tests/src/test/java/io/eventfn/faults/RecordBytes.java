package io.eventfn.faults;

import java.util.function.IntUnaryOperator;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.DefaultRecord;
import org.apache.kafka.common.record.DefaultRecordBatch;

/**
 * Record sizes as Kafka counts them, to make records exactly as large as a limit allows: what the producer checks
 * against {@code max.request.size} (an upper bound, {@link OutputLedger#upperBound}), and what the broker checks
 * against {@code message.max.bytes} / a topic's {@code max.message.bytes} (the record batch as written, for a batch
 * of one record).
 */
final class RecordBytes {

    private RecordBytes() {
    }

    /** The size of a batch holding only this record, as the broker sees it. */
    static int batchOfOne(byte[] key, int valueLength, Header[] headers) {
        return DefaultRecordBatch.RECORD_BATCH_OVERHEAD
                + DefaultRecord.sizeInBytes(0, 0L, key == null ? -1 : key.length, valueLength, headers);
    }

    /** The producer's size of this record, checked against {@code max.request.size}. */
    static int upperBound(byte[] key, int valueLength, Header[] headers) {
        return OutputLedger.upperBound(key, new byte[valueLength], headers);
    }

    /**
     * The value length that makes {@code size} exactly {@code target} (the largest one at or under it where a varint
     * grows by a byte at the boundary).
     */
    static int valueLengthFor(int target, IntUnaryOperator size) {
        int length = Math.max(0, target - 100);
        for (int i = 0; i < 10 && size.applyAsInt(length) != target; i++) {
            length = Math.max(0, length + target - size.applyAsInt(length));
        }
        while (size.applyAsInt(length) > target) {
            length--;
        }
        return length;
    }
}
