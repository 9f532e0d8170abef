package io.eventfn.kafka.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.eventfn.kafka.local.Order.Line;

/**
 * The ways an order is broken that the app must dead-letter, each with the {@code dead-letter-reason-class} it must
 * give, and how to break a valid order that way.
 */
public enum InvalidOrderKind {
    /** The payload is not JSON at all. */
    NOT_JSON("invalid-json"),
    /** Valid JSON without the {@code orderId} field. */
    MISSING_ORDER_ID("invalid-field"),
    /** {@code "currency":"eur"}: currency codes are three upper-case letters. */
    LOWERCASE_CURRENCY("invalid-field"),
    /** {@code "lines":[]}: an order has at least one line. */
    EMPTY_LINES("invalid-field"),
    /** A first line with {@code "quantity":0}. */
    ZERO_QUANTITY("invalid-field"),
    /** A first line with a negative {@code unitPrice}. */
    NEGATIVE_UNIT_PRICE("invalid-field"),
    /** Bytes that are not UTF-8 (0xFF 0xFE after {@code c-} in the customer id) inside an otherwise valid order. */
    INVALID_UTF8("invalid-encoding"),
    /** No bytes at all. */
    EMPTY_VALUE("invalid-json"),
    /** A valid order followed by {@code " ]"}. */
    TRAILING_GARBAGE("invalid-json"),
    /** A first line with {@code "quantity":1.5}. */
    FRACTIONAL_QUANTITY("invalid-field");

    private final String reasonClass;

    InvalidOrderKind(String reasonClass) {
        this.reasonClass = reasonClass;
    }

    /** The {@code dead-letter-reason-class} header the app gives a record broken this way. */
    public String reasonClass() {
        return reasonClass;
    }

    /** {@code order} (valid, with at least one line) broken this way. */
    public byte[] payload(Order order) {
        Line first = order.lines().get(0);
        return switch (this) {
            case NOT_JSON -> utf8("order " + order.orderId() + " for " + order.customerId() + ": not JSON {");
            case MISSING_ORDER_ID -> utf8(order.json().replace("\"orderId\":\"" + order.orderId() + "\",", ""));
            case LOWERCASE_CURRENCY -> order.withCurrency(order.currency().toLowerCase(Locale.ROOT)).bytes();
            case EMPTY_LINES -> order.withLines(List.of()).bytes();
            case ZERO_QUANTITY -> withFirstLine(order, new Line(first.sku(), 0, first.unitPriceCents())).bytes();
            case NEGATIVE_UNIT_PRICE -> withFirstLine(order, new Line(first.sku(), first.quantity(),
                    -first.unitPriceCents())).bytes();
            case INVALID_UTF8 -> invalidUtf8(order);
            case EMPTY_VALUE -> new byte[0];
            case TRAILING_GARBAGE -> utf8(order.json() + " ]");
            case FRACTIONAL_QUANTITY -> {
                List<String> lines = new ArrayList<>(order.lines().stream().map(Line::json).toList());
                lines.set(0, first.json("1.5"));
                yield utf8(order.json(String.join(",", lines)));
            }
        };
    }

    private static Order withFirstLine(Order order, Line first) {
        List<Line> lines = new ArrayList<>(order.lines());
        lines.set(0, first);
        return order.withLines(lines);
    }

    private static byte[] invalidUtf8(Order order) {
        String marker = "\u0001\u0002";
        byte[] json = order.withCustomerId("c-" + marker).bytes();
        int at = new String(json, StandardCharsets.ISO_8859_1).indexOf(marker);
        json[at] = (byte) 0xFF; // 0xFF and 0xFE never occur in UTF-8
        json[at + 1] = (byte) 0xFE;
        return json;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
