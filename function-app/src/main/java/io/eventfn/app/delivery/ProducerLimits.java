package io.eventfn.app.delivery;

import java.util.Map;

/** The largest record a producer takes, from its configuration: {@code max.request.size}, at most its buffer. */
final class ProducerLimits {

    /** Kafka's defaults. */
    static final int MAX_REQUEST_SIZE = 1_048_576;
    static final long BUFFER_MEMORY = 33_554_432L;

    private ProducerLimits() {
    }

    static int maxRecordSize(Map<String, ?> configuration) {
        long request = number(configuration.get("max.request.size"), MAX_REQUEST_SIZE);
        long buffer = number(configuration.get("buffer.memory"), BUFFER_MEMORY);
        return (int) Math.min(Math.min(request, buffer), Integer.MAX_VALUE);
    }

    private static long number(Object value, long otherwise) {
        if (value == null) {
            return otherwise;
        }
        return value instanceof Number number ? number.longValue() : Long.parseLong(value.toString().trim());
    }
}
