package io.eventfn.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class InvalidOrderKindTest {

    private static final Order ORDER = new Order("o-1", "c-7", "EUR",
            List.of(new Order.Line("S-1", 2, 999), new Order.Line("S-2", 1, 5)));

    @Test
    void writesTheOneOrderShape() {
        assertThat(ORDER.json()).isEqualTo("{\"orderId\":\"o-1\",\"customerId\":\"c-7\",\"currency\":\"EUR\",\"lines\":["
                + "{\"sku\":\"S-1\",\"quantity\":2,\"unitPrice\":9.99},{\"sku\":\"S-2\",\"quantity\":1,\"unitPrice\":0.05}]}");
    }

    @Test
    void breaksTheFirstLineOrTheWholeOrderAsEachKindSays() {
        assertThat(text(InvalidOrderKind.NOT_JSON)).isEqualTo("order o-1 for c-7: not JSON {");
        assertThat(text(InvalidOrderKind.MISSING_ORDER_ID)).startsWith("{\"customerId\":\"c-7\",");
        assertThat(text(InvalidOrderKind.LOWERCASE_CURRENCY)).contains("\"currency\":\"eur\"");
        assertThat(text(InvalidOrderKind.EMPTY_LINES)).endsWith("\"lines\":[]}");
        assertThat(text(InvalidOrderKind.ZERO_QUANTITY)).contains("{\"sku\":\"S-1\",\"quantity\":0,\"unitPrice\":9.99}");
        assertThat(text(InvalidOrderKind.NEGATIVE_UNIT_PRICE)).contains("{\"sku\":\"S-1\",\"quantity\":2,\"unitPrice\":-9.99}");
        assertThat(text(InvalidOrderKind.EMPTY_VALUE)).isEmpty();
        assertThat(text(InvalidOrderKind.TRAILING_GARBAGE)).isEqualTo(ORDER.json() + " ]");
        assertThat(text(InvalidOrderKind.FRACTIONAL_QUANTITY))
                .contains("{\"sku\":\"S-1\",\"quantity\":1.5,\"unitPrice\":9.99},{\"sku\":\"S-2\",\"quantity\":1,");
        byte[] notUtf8 = InvalidOrderKind.INVALID_UTF8.payload(ORDER);
        int at = new String(notUtf8, StandardCharsets.ISO_8859_1).indexOf("\"customerId\":\"c-") + 16;
        assertThat(new byte[] { notUtf8[at], notUtf8[at + 1] }).containsExactly(0xFF, 0xFE);
    }

    private static String text(InvalidOrderKind kind) {
        return new String(kind.payload(ORDER), StandardCharsets.UTF_8);
    }
}
