package io.eventfn.kafka.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.eventfn.kafka.local.GeneratedOrder;
import io.eventfn.kafka.local.InvalidOrderKind;
import io.eventfn.kafka.local.OrderGenerator;

class OrderGeneratorTest {

    @Test
    void makesTheSameOrdersForTheSameSeed() {
        List<GeneratedOrder> first = generate(new OrderGenerator(42, 2), 500);
        List<GeneratedOrder> second = generate(new OrderGenerator(42, 2), 500);

        assertThat(first).hasSameSizeAs(second);
        IntStream.range(0, first.size()).forEach(i -> {
            assertThat(first.get(i).orderId()).isEqualTo(second.get(i).orderId());
            assertThat(first.get(i).payload()).isEqualTo(second.get(i).payload());
        });
    }

    @Test
    void validOrdersAreSmallJsonThatTheRulesAccept() {
        List<GeneratedOrder> valid = generate(new OrderGenerator(7, 0), 10_000);

        assertThat(valid).allMatch(GeneratedOrder::valid);
        assertThat(valid).allMatch(order -> StandInOrderEnricher.isValidOrder(order.payload()));
        assertThat(new String(valid.get(0).payload(), StandardCharsets.UTF_8))
                .startsWith("{\"orderId\":\"o-1\",\"customerId\":\"c-")
                .containsPattern("\"unitPrice\":\\d+\\.\\d\\d[,}]");
        double averageSize = valid.stream().mapToInt(order -> order.payload().length).average().orElseThrow();
        assertThat(averageSize).isBetween(150.0, 200.0);
    }

    @Test
    void breaksAboutTheAskedShareOfOrdersInEveryKind() {
        List<GeneratedOrder> orders = generate(new OrderGenerator(42, 2), 20_000);
        List<GeneratedOrder> invalid = orders.stream().filter(order -> !order.valid()).toList();

        assertThat(invalid.size()).isBetween(300, 500);
        assertThat(invalid).noneMatch(order -> StandInOrderEnricher.isValidOrder(order.payload()));
        EnumSet<InvalidOrderKind> kinds = EnumSet.noneOf(InvalidOrderKind.class);
        invalid.forEach(order -> kinds.add(order.defect().orElseThrow()));
        assertThat(kinds).containsExactlyInAnyOrder(InvalidOrderKind.values());
    }

    @Test
    void invalidUtf8OrdersAreNotUtf8() {
        GeneratedOrder broken = generate(new OrderGenerator(1, 100), 7).get(6);

        assertThat(broken.defect()).contains(InvalidOrderKind.INVALID_UTF8);
        assertThat(isUtf8(broken.payload())).isFalse();
    }

    private static List<GeneratedOrder> generate(OrderGenerator generator, int count) {
        List<GeneratedOrder> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            orders.add(generator.next("o-" + (i + 1)));
        }
        return orders;
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
