package io.eventfn.core.orders;

import java.math.BigDecimal;
import java.math.BigInteger;

/** A validated order line: quantity ≥ 1, unit price ≥ 0, both exact. */
record OrderLine(String sku, BigInteger quantity, BigDecimal unitPrice) {

    /** quantity × unit price, exactly. */
    BigDecimal amount() {
        return unitPrice.multiply(new BigDecimal(quantity));
    }
}
