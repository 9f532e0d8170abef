package io.eventfn.core.orders;

import static io.eventfn.core.orders.Orders.EXAMPLE_ENRICHED;
import static io.eventfn.core.orders.Orders.EXAMPLE_ORDER;
import static io.eventfn.core.orders.Orders.emitted;
import static io.eventfn.core.orders.Orders.enriched;
import static io.eventfn.core.orders.Orders.orderWithLine;
import static io.eventfn.core.orders.Orders.orderWithLines;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventfn.core.OutboundRecord;
import io.eventfn.core.Outcome;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Orders that are accepted, and exactly what is emitted for them. */
class OrderEnricherTest {

    @Test
    void emitsTheDocumentedExampleByteForByte() {
        OutboundRecord out = emitted(EXAMPLE_ORDER);

        assertThat(out.value()).isEqualTo(EXAMPLE_ENRICHED.getBytes(StandardCharsets.UTF_8));
        assertThat(out.key()).isEqualTo("o-42".getBytes(StandardCharsets.UTF_8));
        assertThat(out.headers()).isEmpty();
    }

    @Test
    void skipsATombstone() {
        Outcome outcome = new OrderEnricher().process(Orders.recordOf(null));

        assertThat(outcome).isEqualTo(new Outcome.Skip("tombstone"));
    }

    @Test
    void summarisesSeveralLines() {
        String order = orderWithLines("""
                [{"sku":"A-1","quantity":2,"unitPrice":9.99},
                 {"sku":"B-2","quantity":1,"unitPrice":0.02},
                 {"sku":"C-3","quantity":7,"unitPrice":10}]""");

        assertThat(enriched(order)).endsWith("\"lineCount\":3,\"totalQuantity\":10,\"total\":\"90.00\"}");
    }

    @ParameterizedTest(name = "{0} x {1} -> {2}")
    @CsvSource({
        "1, 0.125, 0.12",
        "1, 0.135, 0.14",
        "1, 0.005, 0.00",
        "1, 0.015, 0.02",
        "3, 0.335, 1.00",
        "1, 0.1250001, 0.13",
        "1, 0.0049, 0.00",
    })
    void roundsTotalHalfEvenToTwoDecimals(String quantity, String unitPrice, String total) {
        assertThat(enriched(orderWithLine(quantity, unitPrice))).endsWith("\"total\":\"" + total + "\"}");
    }

    @ParameterizedTest(name = "{0} x {1} -> {2}")
    @CsvSource({
        "3, 0.1, 0.30",
        "1, 1.015, 1.02",   // as a double 1.01499999999999990230... which would round to 1.01
        "1, 2.675, 2.68",   // as a double 2.67499999999999982236... which would round to 2.67
        "9007199254740993, 1, 9007199254740993.00", // 2^53 + 1 has no double
    })
    void computesTotalInExactDecimalArithmetic(String quantity, String unitPrice, String total) {
        assertThat(enriched(orderWithLine(quantity, unitPrice))).endsWith("\"total\":\"" + total + "\"}");
    }

    @Test
    void sumsLineAmountsExactly() {
        String order = orderWithLines("""
                [{"sku":"A","quantity":1,"unitPrice":0.1},{"sku":"B","quantity":1,"unitPrice":0.2},
                 {"sku":"C","quantity":1,"unitPrice":0.005}]""");

        // Exactly 0.305, which rounds half-even to 0.30; summed as doubles it is 0.30500000000000005, so 0.31.
        assertThat(enriched(order)).endsWith("\"total\":\"0.30\"}");
    }

    @Test
    void handlesQuantitiesBeyondALong() {
        String order = orderWithLines("""
                [{"sku":"A","quantity":12345678901234567890,"unitPrice":0.01},
                 {"sku":"B","quantity":9223372036854775807,"unitPrice":1}]""");

        assertThat(enriched(order)).endsWith(
                "\"totalQuantity\":21569050938089343697,\"total\":\"9346828825867121485.90\"}");
    }

    @Test
    void handlesAThousandDigitQuantityAndPrice() {
        String nines = "9".repeat(1000);

        String out = enriched(orderWithLine("1", nines));
        String bigQuantity = enriched(orderWithLine(nines, "1"));

        assertThat(out).endsWith("\"totalQuantity\":1,\"total\":\"" + nines + ".00\"}");
        assertThat(bigQuantity).endsWith("\"totalQuantity\":" + nines + ",\"total\":\"" + nines + ".00\"}");
    }

    @ParameterizedTest(name = "{1} -> {2}")
    @CsvSource({
        "1, 1e2, 100.00",
        "1, 1E+2, 100.00",
        "2, 2.5e-1, 0.50",
        "1, 9.990, 9.99",
        "1, 0, 0.00",
        "1, -0, 0.00",
        "1, 0.0, 0.00",
        "1, -0.0e5, 0.00",
        "1, 1e-1000, 0.00",
    })
    void acceptsAnyJsonNumberAsUnitPrice(String quantity, String unitPrice, String total) {
        assertThat(enriched(orderWithLine(quantity, unitPrice))).endsWith("\"total\":\"" + total + "\"}");
    }

    @Test
    void rendersTotalsInPlainNotation() {
        assertThat(enriched(orderWithLine("1", "1e1000"))).endsWith("\"total\":\"1" + "0".repeat(1000) + ".00\"}");
    }

    @Test
    void ignoresUnknownFieldsIncludingNestedOnes() {
        String order = """
                {"meta":{"lines":"not these","nested":[1,{"orderId":null},[[]]]},
                 "orderId":"o-42","customerId":"c-7","note":null,"currency":"EUR","tags":["a","b"],
                 "lines":[{"sku":"A-1","discount":{"code":"X","values":[1.5,{"d":2}]},"quantity":2,
                           "unitPrice":9.99,"extra":true}],
                 "trailer":{"a":{"b":{"c":[]}}}}""";

        assertThat(enriched(order)).isEqualTo(EXAMPLE_ENRICHED);
    }

    @Test
    void acceptsFieldsInAnyOrderAndWhitespaceAroundThem() {
        String order = """

                 { "lines" : [ { "unitPrice" : 9.99 , "quantity" : 2 , "sku" : "A-1" } ] ,
                   "currency" : "EUR" , "customerId" : "c-7" , "orderId" : "o-42" }
                """;

        assertThat(enriched(order)).isEqualTo(EXAMPLE_ENRICHED);
    }

    @Test
    void ignoresALeadingByteOrderMark() {
        assertThat(enriched("\uFEFF" + EXAMPLE_ORDER)).isEqualTo(EXAMPLE_ENRICHED);
    }

    @Test
    void letsTheLastDuplicateKeyWin() {
        String order = """
                {"orderId":7,"orderId":"o-42","customerId":"c-7","currency":"eur","currency":"EUR",
                 "lines":[],"lines":[{"sku":"A-1","quantity":0,"unitPrice":"x","quantity":2,"unitPrice":9.99}]}""";

        assertThat(enriched(order)).isEqualTo(EXAMPLE_ENRICHED);
    }

    @Test
    void escapesQuotesBackslashesAndControlCharactersInIds() {
        String order = """
                {"orderId":"o\\"1\\\\2","customerId":"tab\\there\\u0001","currency":"EUR",
                 "lines":[{"sku":"A","quantity":1,"unitPrice":1}]}""";

        OutboundRecord out = emitted(order);

        assertThat(new String(out.value(), StandardCharsets.UTF_8))
                .startsWith("{\"orderId\":\"o\\\"1\\\\2\",\"customerId\":\"tab\\there\\u0001\",");
        assertThat(out.key()).isEqualTo("o\"1\\2".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keepsNonAsciiIdsAsUtf8() {
        String order = """
                {"orderId":"ordre-été-\\u20ac-😀","customerId":"客户","currency":"EUR",
                 "lines":[{"sku":"A","quantity":1,"unitPrice":1}]}""";

        OutboundRecord out = emitted(order);

        assertThat(new String(out.value(), StandardCharsets.UTF_8))
                .startsWith("{\"orderId\":\"ordre-été-€-😀\",\"customerId\":\"客户\",");
        assertThat(out.key()).isEqualTo("ordre-été-€-😀".getBytes(StandardCharsets.UTF_8));
    }
}
