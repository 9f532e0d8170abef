package io.eventfn.kafka.local;

import java.util.Optional;

/**
 * One order an {@link OrderGenerator} made.
 *
 * @param orderId the record key
 * @param payload the record value, usually JSON
 * @param defect  why the app must dead-letter it; empty for a valid order
 */
public record GeneratedOrder(String orderId, byte[] payload, Optional<InvalidOrderKind> defect) {

    public boolean valid() {
        return defect.isEmpty();
    }
}
