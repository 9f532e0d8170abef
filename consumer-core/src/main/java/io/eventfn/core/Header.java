package io.eventfn.core;

import java.util.Objects;

/**
 * A Kafka record header. The value may be {@code null}, as Kafka allows.
 *
 * <p>The array is not copied (records are on the hot path); treat it as read-only.
 */
public record Header(String key, byte[] value) {

    public Header {
        Objects.requireNonNull(key, "key");
    }
}
