package io.eventfn.kafka.local.demo;

import java.util.Optional;

/**
 * One record the demo produces to the {@code orders} topic.
 *
 * @param orderId the record key
 * @param payload the record value, usually JSON
 * @param defect  why the order processor must dead-letter it; empty for a valid order
 */
public record DemoOrder(String orderId, byte[] payload, Optional<InvalidOrderKind> defect) {

    public boolean valid() {
        return defect.isEmpty();
    }
}
