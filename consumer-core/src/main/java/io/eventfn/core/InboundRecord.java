package io.eventfn.core;

import java.util.List;
import java.util.Objects;

/**
 * A record as consumed from Kafka: its coordinates (topic, partition, offset), its timestamp
 * (epoch milliseconds, {@code -1} when the record has none) and its raw key, value and headers.
 *
 * <p>{@code key} may be {@code null}; a {@code null} {@code value} is a tombstone. Byte arrays are not
 * copied (records are on the hot path); treat them as read-only.
 */
public record InboundRecord(
        String topic,
        int partition,
        long offset,
        long timestamp,
        byte[] key,
        byte[] value,
        List<Header> headers) {

    public InboundRecord {
        Objects.requireNonNull(topic, "topic");
        headers = List.copyOf(Objects.requireNonNull(headers, "headers (use List.of() for none)"));
    }

    /** True when the value is {@code null}: a deletion marker for the key on a compacted topic. */
    public boolean isTombstone() {
        return value == null;
    }
}
