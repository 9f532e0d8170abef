package io.eventfn.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventfn.core.InboundRecord;
import io.eventfn.core.Outcome;
import io.eventfn.core.orders.OrderEnricher;

/** The benchmark's orders are what the brief asks for: valid, 150 to 200 bytes, one to three lines. */
class OrderPayloadsTest {

    @Test
    void everyOrderIsValidAndBetween150And200Bytes() {
        OrderPayloads payloads = new OrderPayloads(42);
        OrderEnricher enricher = new OrderEnricher();
        int[] lineCounts = new int[4];
        for (int i = 0; i < 20_000; i++) {
            byte[] order = payloads.next("o-" + (i * 53L));
            assertThat(order.length).as("size of order %d", i).isBetween(OrderPayloads.MIN_BYTES,
                    OrderPayloads.MAX_BYTES);
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
        OrderPayloads payloads = new OrderPayloads(7);
        for (int i = 0; i < 2_000; i++) {
            assertThat(payloads.next("o-" + (999_999_999L - i)).length).isBetween(OrderPayloads.MIN_BYTES,
                    OrderPayloads.MAX_BYTES);
        }
    }
}
