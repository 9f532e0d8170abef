package io.eventfn.core.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfn.core.InboundRecord;
import io.eventfn.core.OutboundRecord;
import io.eventfn.core.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Test inputs for the order enricher and shortcuts to run it. */
final class Orders {

    static final String EXAMPLE_ORDER =
            "{\"orderId\":\"o-42\",\"customerId\":\"c-7\",\"currency\":\"EUR\","
                    + "\"lines\":[{\"sku\":\"A-1\",\"quantity\":2,\"unitPrice\":9.99}]}";

    static final String EXAMPLE_ENRICHED =
            "{\"orderId\":\"o-42\",\"customerId\":\"c-7\",\"currency\":\"EUR\","
                    + "\"lineCount\":1,\"totalQuantity\":2,\"total\":\"19.98\"}";

    private static final OrderEnricher ENRICHER = new OrderEnricher();

    private Orders() {
    }

    /** A valid order with the given JSON as the value of "lines". */
    static String orderWithLines(String lines) {
        return "{\"orderId\":\"o-1\",\"customerId\":\"c-1\",\"currency\":\"EUR\",\"lines\":" + lines + "}";
    }

    /** A valid order of one line with the given JSON literals for quantity and unit price. */
    static String orderWithLine(String quantity, String unitPrice) {
        return orderWithLines("[{\"sku\":\"A-1\",\"quantity\":" + quantity + ",\"unitPrice\":" + unitPrice + "}]");
    }

    static InboundRecord recordOf(byte[] value) {
        return new InboundRecord("orders", 0, 0L, -1L, null, value, List.of());
    }

    static Outcome process(String json) {
        return process(json.getBytes(StandardCharsets.UTF_8));
    }

    static Outcome process(byte[] value) {
        return ENRICHER.process(recordOf(value));
    }

    /** The single record emitted for the given value; fails the test on any other outcome. */
    static OutboundRecord emitted(String json) {
        Outcome outcome = process(json);
        assertThat(outcome).isInstanceOf(Outcome.Emit.class);
        List<OutboundRecord> records = ((Outcome.Emit) outcome).records();
        assertThat(records).hasSize(1);
        return records.getFirst();
    }

    /** The enriched value emitted for the given order, as text. */
    static String enriched(String json) {
        return new String(emitted(json).value(), StandardCharsets.UTF_8);
    }

    /** The rejection for the given value; fails the test on any other outcome. */
    static Outcome.Reject rejected(String json) {
        return rejected(json.getBytes(StandardCharsets.UTF_8));
    }

    static Outcome.Reject rejected(byte[] value) {
        Outcome outcome = process(value);
        assertThat(outcome).isInstanceOf(Outcome.Reject.class);
        return (Outcome.Reject) outcome;
    }
}
