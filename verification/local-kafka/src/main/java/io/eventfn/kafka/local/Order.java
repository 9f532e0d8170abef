package io.eventfn.kafka.local;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An order as the app reads it, and its JSON, the one shape every harness writes:
 * <pre>{"orderId":"o-42","customerId":"c-7","currency":"EUR","lines":[{"sku":"A-1","quantity":2,"unitPrice":9.99}]}</pre>
 * Prices are whole cents, written with two decimals.
 */
public record Order(String orderId, String customerId, String currency, List<Line> lines) {

    public Order {
        lines = List.copyOf(lines);
    }

    /** One line: {@code quantity} of {@code sku} at {@code unitPriceCents} each. */
    public record Line(String sku, int quantity, long unitPriceCents) {

        public String json() {
            return json(Integer.toString(quantity));
        }

        /** This line with {@code quantity} written as given (a fraction, say). */
        String json(String quantityText) {
            return "{\"sku\":\"" + sku + "\",\"quantity\":" + quantityText + ",\"unitPrice\":" + money(unitPriceCents)
                    + "}";
        }
    }

    public String json() {
        return json(lines.stream().map(Line::json).collect(Collectors.joining(",")));
    }

    /** This order with its lines written as given. */
    String json(String linesJson) {
        return "{\"orderId\":\"" + orderId + "\",\"customerId\":\"" + customerId + "\",\"currency\":\"" + currency
                + "\",\"lines\":[" + linesJson + "]}";
    }

    /** {@link #json()} as UTF-8. */
    public byte[] bytes() {
        return json().getBytes(StandardCharsets.UTF_8);
    }

    public Order withCustomerId(String other) {
        return new Order(orderId, other, currency, lines);
    }

    public Order withCurrency(String other) {
        return new Order(orderId, customerId, other, lines);
    }

    public Order withLines(List<Line> other) {
        return new Order(orderId, customerId, currency, other);
    }

    /** Cents with two decimals, a minus sign first when negative: {@code 999} is {@code 9.99}, {@code -5} is {@code -0.05}. */
    public static String money(long cents) {
        long magnitude = Math.abs(cents);
        return (cents < 0 ? "-" : "") + magnitude / 100 + "." + (magnitude % 100 < 10 ? "0" : "") + magnitude % 100;
    }
}
