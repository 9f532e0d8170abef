package io.eventfn.kafka.local.demo;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Makes the demo's orders: the same sequence for the same seed, about {@code invalidPercent} % of
 * them broken in one of the {@link InvalidOrderKind} ways, taken in turn.
 *
 * <p>A valid order is 120 to 215 bytes of JSON, 165 on average:
 * <pre>{"orderId":"o-42","customerId":"c-7","currency":"EUR","lines":[{"sku":"A-1","quantity":2,"unitPrice":9.99}]}</pre>
 * with one to three lines, quantities 1 to 5 and prices with two decimals.
 */
public final class OrderGenerator {

    private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "CHF"};
    private static final InvalidOrderKind[] DEFECTS = InvalidOrderKind.values();

    private final SplittableRandom random;
    private final double invalidShare;
    private long sequence;
    private long invalidCount;

    public OrderGenerator(long seed, int invalidPercent) {
        if (invalidPercent < 0 || invalidPercent > 100) {
            throw new IllegalArgumentException("invalidPercent must be between 0 and 100, not " + invalidPercent);
        }
        this.random = new SplittableRandom(seed);
        this.invalidShare = invalidPercent / 100.0;
    }

    public DemoOrder next() {
        String orderId = "o-" + (++sequence);
        // Drawn for every order, so that the valid orders do not depend on the invalid share.
        boolean invalid = random.nextDouble() < invalidShare;
        Order order = randomOrder(orderId);
        if (!invalid) {
            return new DemoOrder(orderId, utf8(order.json()), Optional.empty());
        }
        InvalidOrderKind defect = DEFECTS[(int) (invalidCount++ % DEFECTS.length)];
        return new DemoOrder(orderId, broken(order, defect), Optional.of(defect));
    }

    private Order randomOrder(String orderId) {
        int lineCount = 1 + random.nextInt(3);
        Line[] lines = new Line[lineCount];
        for (int i = 0; i < lineCount; i++) {
            String sku = (char) ('A' + random.nextInt(26)) + "-" + (1 + random.nextInt(9999));
            lines[i] = new Line(sku, 1 + random.nextInt(5), 50 + random.nextInt(49_950));
        }
        return new Order(orderId, "c-" + (1 + random.nextInt(99_999)), CURRENCIES[random.nextInt(CURRENCIES.length)], lines);
    }

    private static byte[] broken(Order order, InvalidOrderKind defect) {
        return switch (defect) {
            case NOT_JSON -> utf8("order " + order.orderId() + " for " + order.customerId() + ": not JSON {");
            case MISSING_ORDER_ID -> utf8(order.json().replace("\"orderId\":\"" + order.orderId() + "\",", ""));
            case LOWERCASE_CURRENCY -> utf8(order.withCurrency(order.currency().toLowerCase(Locale.ROOT)).json());
            case EMPTY_LINES -> utf8(order.withLines(new Line[0]).json());
            case ZERO_QUANTITY -> utf8(order.withFirstLine(new Line(order.lines()[0].sku(), 0, order.lines()[0].unitPriceCents())).json());
            case NEGATIVE_UNIT_PRICE -> utf8(order.withFirstLine(new Line(order.lines()[0].sku(), order.lines()[0].quantity(),
                    -order.lines()[0].unitPriceCents())).json());
            case INVALID_UTF8 -> invalidUtf8(order);
        };
    }

    /** The customer id gets bytes 0xFF 0xFE, which never occur in UTF-8. */
    private static byte[] invalidUtf8(Order order) {
        String marker = "\u0001\u0002";
        byte[] json = utf8(order.withCustomerId("c-" + marker).json());
        String text = new String(json, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(marker);
        json[at] = (byte) 0xFF;
        json[at + 1] = (byte) 0xFE;
        return json;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private record Line(String sku, int quantity, int unitPriceCents) {

        String json() {
            return "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + ",\"unitPrice\":" + price(unitPriceCents) + "}";
        }

        private static String price(int cents) {
            int magnitude = Math.abs(cents);
            return (cents < 0 ? "-" : "") + magnitude / 100 + "." + (magnitude % 100 < 10 ? "0" : "") + magnitude % 100;
        }
    }

    private record Order(String orderId, String customerId, String currency, Line[] lines) {

        String json() {
            StringBuilder json = new StringBuilder(220)
                    .append("{\"orderId\":\"").append(orderId)
                    .append("\",\"customerId\":\"").append(customerId)
                    .append("\",\"currency\":\"").append(currency)
                    .append("\",\"lines\":[");
            for (int i = 0; i < lines.length; i++) {
                json.append(i == 0 ? "" : ",").append(lines[i].json());
            }
            return json.append("]}").toString();
        }

        Order withCurrency(String other) {
            return new Order(orderId, customerId, other, lines);
        }

        Order withCustomerId(String other) {
            return new Order(orderId, other, currency, lines);
        }

        Order withLines(Line[] other) {
            return new Order(orderId, customerId, currency, other);
        }

        Order withFirstLine(Line first) {
            Line[] other = lines.clone();
            other[0] = first;
            return withLines(other);
        }
    }
}
