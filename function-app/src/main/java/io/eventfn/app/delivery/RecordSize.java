package io.eventfn.app.delivery;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The size the producer gives a record when it checks it against {@code max.request.size} and {@code buffer.memory}
 * before sending (Kafka's record batch format v2: a batch header, the widest record overhead, then the key, value and
 * headers with their varint lengths), and the exact size of a batch of it alone, which a broker checks against the
 * topic's {@code max.message.bytes}. Checking it first keeps a record that can never be written away from the
 * producer, where in a transaction it would poison every other record of the transaction.
 */
final class RecordSize {

    /** A v2 record batch's header. */
    static final int BATCH_OVERHEAD = 61;
    /** A record's length, attributes, timestamp delta and offset delta at their widest. */
    static final int RECORD_OVERHEAD = 21;

    private RecordSize() {
    }

    static int upperBound(ProducerRecord<byte[], byte[]> record) {
        long size = BATCH_OVERHEAD + RECORD_OVERHEAD + sizeWithLength(record.key()) + sizeWithLength(record.value());
        int headers = 0;
        for (Header header : record.headers()) {
            int keyLength = header.key().getBytes(StandardCharsets.UTF_8).length;
            size += varintSize(keyLength) + keyLength + sizeWithLength(header.value());
            headers++;
        }
        size += varintSize(headers);
        return (int) Math.min(size, Integer.MAX_VALUE);
    }

    /**
     * The size of a record batch holding only this record, uncompressed: what a broker checks against the topic's
     * {@code max.message.bytes}.
     */
    static int inBatchOfOne(ProducerRecord<byte[], byte[]> record) {
        // The record's attributes byte, then a timestamp delta and an offset delta of 0, one byte each.
        long body = 3 + (long) upperBound(record) - BATCH_OVERHEAD - RECORD_OVERHEAD;
        return (int) Math.min(BATCH_OVERHEAD + varintSize((int) Math.min(body, Integer.MAX_VALUE)) + body,
                Integer.MAX_VALUE);
    }

    private static int sizeWithLength(byte[] bytes) {
        return bytes == null ? varintSize(-1) : varintSize(bytes.length) + bytes.length;
    }

    /** Bytes of a zig-zag encoded varint, as record fields are written. */
    static int varintSize(int value) {
        int zigZag = (value << 1) ^ (value >> 31);
        int bytes = 1;
        while ((zigZag & 0xFFFFFF80) != 0) {
            zigZag >>>= 7;
            bytes++;
        }
        return bytes;
    }
}
