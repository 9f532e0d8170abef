package io.eventfn.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Valid orders of 150 to 200 bytes, the same sequence for the same seed:
 * <pre>{"orderId":"o-42","customerId":"c-7","currency":"EUR","lines":[{"sku":"A-1","quantity":2,"unitPrice":9.99}]}</pre>
 * with one to three lines. The size is drawn first; the customer id and the SKUs are padded to reach it.
 */
final class OrderPayloads {

    static final int MIN_BYTES = 150;
    static final int MAX_BYTES = 200;
    private static final String[] CURRENCIES = { "EUR", "USD", "GBP", "CHF" };
    /** Longest padding of one field: ids stay plausible. */
    private static final int MAX_PAD_PER_FIELD = 24;

    private final SplittableRandom random;

    OrderPayloads(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The order with id {@code orderId}, as UTF-8 JSON (ASCII only, so characters are bytes). */
    byte[] next(String orderId) {
        int lineCount = 1 + random.nextInt(3);
        String[] skus = new String[lineCount];
        int[] quantities = new int[lineCount];
        String[] prices = new String[lineCount];
        for (int i = 0; i < lineCount; i++) {
            skus[i] = (char) ('A' + random.nextInt(26)) + "-" + (1 + random.nextInt(9));
            quantities[i] = 1 + random.nextInt(5);
            prices[i] = (1 + random.nextInt(9)) + "." + random.nextInt(10) + random.nextInt(10);
        }
        String customerId = "c-" + (1 + random.nextInt(9));
        String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
        // Drop lines until the shortest form fits, then pad towards a size drawn from what is left.
        while (json(orderId, customerId, currency, skus, quantities, prices, lineCount).length() > MAX_BYTES
                && lineCount > 1) {
            lineCount--;
        }
        int shortest = json(orderId, customerId, currency, skus, quantities, prices, lineCount).length();
        int target = Math.max(shortest, MIN_BYTES) + random.nextInt(MAX_BYTES - Math.max(shortest, MIN_BYTES) + 1);
        int missing = target - shortest;
        int customerPad = Math.min(missing, MAX_PAD_PER_FIELD);
        customerId = customerId + digits(customerPad);
        missing -= customerPad;
        for (int i = 0; i < lineCount && missing > 0; i++) {
            int pad = Math.min(missing, MAX_PAD_PER_FIELD);
            skus[i] = skus[i] + digits(pad);
            missing -= pad;
        }
        return json(orderId, customerId, currency, skus, quantities, prices, lineCount)
                .getBytes(StandardCharsets.UTF_8);
    }

    private String digits(int count) {
        StringBuilder digits = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits.toString();
    }

    private static String json(String orderId, String customerId, String currency, String[] skus, int[] quantities,
            String[] prices, int lineCount) {
        StringBuilder json = new StringBuilder(MAX_BYTES + 40)
                .append("{\"orderId\":\"").append(orderId)
                .append("\",\"customerId\":\"").append(customerId)
                .append("\",\"currency\":\"").append(currency)
                .append("\",\"lines\":[");
        for (int i = 0; i < lineCount; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"sku\":\"").append(skus[i])
                    .append("\",\"quantity\":").append(quantities[i])
                    .append(",\"unitPrice\":").append(prices[i]).append('}');
        }
        return json.append("]}").toString();
    }
}
