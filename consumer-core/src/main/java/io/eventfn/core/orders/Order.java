package io.eventfn.core.orders;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/** A validated order: ids present, currency well-formed, at least one valid line. */
record Order(String orderId, String customerId, String currency, List<OrderLine> lines) {

    Order {
        lines = List.copyOf(lines);
    }

    /** The sum of all line quantities; a BigInteger because each quantity may itself exceed a long. */
    BigInteger totalQuantity() {
        BigInteger total = BigInteger.ZERO;
        for (OrderLine line : lines) {
            total = total.add(line.quantity());
        }
        return total;
    }

    /** The exact, unrounded sum of quantity × unit price over all lines. */
    BigDecimal total() {
        BigDecimal total = BigDecimal.ZERO;
        for (OrderLine line : lines) {
            total = total.add(line.amount());
        }
        return total;
    }
}
