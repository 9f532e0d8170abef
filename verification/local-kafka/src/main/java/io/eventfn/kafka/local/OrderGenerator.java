package io.eventfn.kafka.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import io.eventfn.kafka.local.Order.Line;

/**
 * Random orders, the same sequence for the same seed: valid ones of a size range (150 to 200 bytes unless told
 * otherwise) with one to {@code maxLines} lines, and, when asked, about {@code invalidPercent} % of them broken in the
 * {@link InvalidOrderKind} ways, taken in turn. For traffic whose exact contents no test rebuilds; fault-tests derive
 * theirs from each record's index instead.
 *
 * <p>The size is drawn after the fields; the customer id and the SKUs are padded with digits to reach it, lines dropped
 * first when the shortest form is too long.
 */
public final class OrderGenerator {

    public static final int MIN_BYTES = 150;
    public static final int MAX_BYTES = 200;
    private static final String[] CURRENCIES = { "EUR", "USD", "GBP", "CHF" };
    private static final InvalidOrderKind[] DEFECTS = InvalidOrderKind.values();
    /** Longest padding of one field: ids stay plausible. */
    private static final int MAX_PAD_PER_FIELD = 24;

    private final SplittableRandom random;
    private final double invalidShare;
    private final int minBytes;
    private final int maxBytes;
    private final int maxLines;
    private long invalidCount;

    /** Valid orders of 150 to 200 bytes with one to three lines. */
    public OrderGenerator(long seed) {
        this(seed, 0);
    }

    /** Orders of 150 to 200 bytes with one to three lines, about {@code invalidPercent} % of them broken. */
    public OrderGenerator(long seed, int invalidPercent) {
        this(seed, invalidPercent, MIN_BYTES, MAX_BYTES, 3);
    }

    /** Valid orders of {@code minBytes} to {@code maxBytes} (UTF-8) with one to {@code maxLines} lines. */
    public OrderGenerator(long seed, int invalidPercent, int minBytes, int maxBytes, int maxLines) {
        if (invalidPercent < 0 || invalidPercent > 100) {
            throw new IllegalArgumentException("invalidPercent must be between 0 and 100, not " + invalidPercent);
        }
        if (minBytes > maxBytes || maxLines < 1) {
            throw new IllegalArgumentException("sizes " + minBytes + " to " + maxBytes + " bytes and up to " + maxLines
                    + " lines: the smallest size must not exceed the largest, and an order has a line at least");
        }
        this.random = new SplittableRandom(seed);
        this.invalidShare = invalidPercent / 100.0;
        this.minBytes = minBytes;
        this.maxBytes = maxBytes;
        this.maxLines = maxLines;
    }

    /** The next order, keyed {@code orderId}: valid, or broken in the next {@link InvalidOrderKind} way. */
    public GeneratedOrder next(String orderId) {
        // Drawn for every order when some are to be broken, so that the valid orders do not depend on the share.
        boolean invalid = invalidShare > 0 && random.nextDouble() < invalidShare;
        Order order = nextValid(orderId);
        if (!invalid) {
            return new GeneratedOrder(orderId, order.bytes(), Optional.empty());
        }
        InvalidOrderKind defect = DEFECTS[(int) (invalidCount++ % DEFECTS.length)];
        return new GeneratedOrder(orderId, defect.payload(order), Optional.of(defect));
    }

    /** The next valid order, of the size range asked for when the orderId leaves room for it. */
    public Order nextValid(String orderId) {
        int lineCount = 1 + random.nextInt(maxLines);
        List<Line> lines = new ArrayList<>(lineCount);
        for (int i = 0; i < lineCount; i++) {
            String sku = (char) ('A' + random.nextInt(26)) + "-" + (1 + random.nextInt(9));
            int quantity = 1 + random.nextInt(5);
            int units = 1 + random.nextInt(9);
            int tenths = random.nextInt(10);
            int hundredths = random.nextInt(10);
            lines.add(new Line(sku, quantity, units * 100L + tenths * 10L + hundredths));
        }
        Order order = new Order(orderId, "c-" + (1 + random.nextInt(9)), CURRENCIES[random.nextInt(CURRENCIES.length)],
                lines);
        while (order.json().length() > maxBytes && order.lines().size() > 1) {
            order = order.withLines(order.lines().subList(0, order.lines().size() - 1));
        }
        int shortest = order.json().length();
        int target = Math.max(shortest, minBytes) + random.nextInt(maxBytes - Math.max(shortest, minBytes) + 1);
        int missing = target - shortest;
        int customerPad = Math.min(missing, MAX_PAD_PER_FIELD);
        order = order.withCustomerId(order.customerId() + digits(customerPad));
        missing -= customerPad;
        List<Line> padded = new ArrayList<>(order.lines());
        for (int i = 0; i < padded.size() && missing > 0; i++) {
            int pad = Math.min(missing, MAX_PAD_PER_FIELD);
            Line line = padded.get(i);
            padded.set(i, new Line(line.sku() + digits(pad), line.quantity(), line.unitPriceCents()));
            missing -= pad;
        }
        return order.withLines(padded);
    }

    private String digits(int count) {
        StringBuilder digits = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits.toString();
    }
}
