package io.eventfn.core.orders;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.eventfn.core.InboundRecord;
import io.eventfn.core.OutboundRecord;
import io.eventfn.core.Outcome;
import io.eventfn.core.RecordProcessor;
import java.nio.charset.StandardCharsets;

/**
 * The shipped example processor: reads an order (UTF-8 JSON), validates it and emits a summary keyed by
 * order id, with line count, total quantity and exact total. An invalid order is rejected with a reason
 * that names the field at fault; a tombstone is skipped.
 *
 * <p>Input: {@code {"orderId":"o-42","customerId":"c-7","currency":"EUR","lines":[{"sku":"A-1","quantity":2,"unitPrice":9.99}]}}
 * <br>Output: {@code {"orderId":"o-42","customerId":"c-7","currency":"EUR","lineCount":1,"totalQuantity":2,"total":"19.98"}}
 *
 * <p>Thread-safe: it holds only a {@link JsonFactory}, which is.
 */
public final class OrderEnricher implements RecordProcessor {

    private final OrderParser parser;
    private final EnrichedOrderWriter writer;

    public OrderEnricher() {
        // Built once: a JsonFactory is costly to create and holds the field-name cache that makes parsing fast.
        JsonFactory jsonFactory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        // Jackson's default, pinned here because OrderParser relies on it: no number literal longer
                        // than 1000 characters reaches BigInteger or BigDecimal.
                        .maxNumberLength(1_000)
                        .build())
                // Write characters outside the BMP (emoji, say) as plain UTF-8, not as \uD83D\uDE00 escapes.
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .build();
        this.parser = new OrderParser(jsonFactory);
        this.writer = new EnrichedOrderWriter(jsonFactory);
    }

    @Override
    public Outcome process(InboundRecord record) {
        if (record.isTombstone()) {
            return new Outcome.Skip("tombstone");
        }
        try {
            Order order = parser.parse(record.value());
            return Outcome.emit(new OutboundRecord(order.orderId().getBytes(StandardCharsets.UTF_8), writer.write(order)));
        } catch (OrderRejection rejection) {
            return rejection.toReject();
        }
    }
}
