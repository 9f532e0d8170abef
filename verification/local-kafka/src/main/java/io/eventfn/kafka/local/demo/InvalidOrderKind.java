package io.eventfn.kafka.local.demo;

/** The ways a demo order is broken; the order processor must dead-letter every one of them. */
public enum InvalidOrderKind {
    /** The payload is not JSON at all. */
    NOT_JSON,
    /** Valid JSON without the {@code orderId} field. */
    MISSING_ORDER_ID,
    /** {@code "currency":"eur"}: currency codes are three upper-case letters. */
    LOWERCASE_CURRENCY,
    /** {@code "lines":[]}: an order has at least one line. */
    EMPTY_LINES,
    /** A line with {@code "quantity":0}. */
    ZERO_QUANTITY,
    /** A line with a negative {@code unitPrice}. */
    NEGATIVE_UNIT_PRICE,
    /** Bytes that are not UTF-8 inside an otherwise valid order. */
    INVALID_UTF8
}
