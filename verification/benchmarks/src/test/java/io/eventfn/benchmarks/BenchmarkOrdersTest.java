package io.eventfn.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventfn.core.InboundRecord;
import io.eventfn.core.Outcome;
import io.eventfn.core.orders.OrderEnricher;
import io.eventfn.kafka.local.OrderGenerator;

/**
 * The benchmark's orders, the kit's {@link OrderGenerator} at its defaults, are what the brief asks for: valid to the real
 * enricher, 150 to 200 bytes, one to three lines.
 */
class BenchmarkOrdersTest {

    @Test
    void everyOrderIsValidAndBetween150And200Bytes() {
        OrderGenerator orders = new OrderGenerator(42);
        OrderEnricher enricher = new OrderEnricher();
        int[] lineCounts = new int[4];
        for (int i = 0; i < 20_000; i++) {
            byte[] order = orders.nextValid("o-" + (i * 53L)).bytes();
            assertThat(order.length).as("size of order %d", i).isBetween(OrderGenerator.MIN_BYTES,
                    OrderGenerator.MAX_BYTES);
            Outcome outcome = enricher.process(new InboundRecord("t", 0, i, -1, null, order, List.of()));
            assertThat(outcome).as("order %d: %s", i, new String(order)).isInstanceOf(Outcome.Emit.class);
            lineCounts[new String(order).split("\"sku\"").length - 1]++;
        }
        assertThat(lineCounts[1]).isPositive();
        assertThat(lineCounts[2]).isPositive();
        assertThat(lineCounts[3]).isPositive();
    }

    @Test
    void staysWithinBoundsForTheLongestOrderIds() {
        OrderGenerator orders = new OrderGenerator(7);
        for (int i = 0; i < 2_000; i++) {
            assertThat(orders.nextValid("o-" + (999_999_999L - i)).bytes().length).isBetween(OrderGenerator.MIN_BYTES,
                    OrderGenerator.MAX_BYTES);
        }
    }
}
