package io.eventfn.core;

import java.util.List;
import java.util.Objects;

/**
 * A record to produce to the output topic; the app decides the topic, the processor only the content.
 *
 * <p>{@code key} and {@code value} may be {@code null}. Byte arrays are not copied; do not change them
 * after handing them over.
 */
public record OutboundRecord(byte[] key, byte[] value, List<Header> headers) {

    public OutboundRecord {
        headers = List.copyOf(Objects.requireNonNull(headers, "headers (use List.of() for none)"));
    }

    /** A record without headers. */
    public OutboundRecord(byte[] key, byte[] value) {
        this(key, value, List.of());
    }
}
