package io.eventfn.core.orders;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.RoundingMode;

/**
 * Renders the enriched order as compact UTF-8 JSON, fields in a fixed order:
 * {@code {"orderId":…,"customerId":…,"currency":…,"lineCount":…,"totalQuantity":…,"total":"…"}}.
 */
final class EnrichedOrderWriter {

    private final JsonFactory jsonFactory;

    EnrichedOrderWriter(JsonFactory jsonFactory) {
        this.jsonFactory = jsonFactory;
    }

    byte[] write(Order order) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        // The generator escapes quotes, backslashes and control characters in the ids.
        try (JsonGenerator json = jsonFactory.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("orderId", order.orderId());
            json.writeStringField("customerId", order.customerId());
            json.writeStringField("currency", order.currency());
            json.writeNumberField("lineCount", order.lines().size());
            json.writeNumberField("totalQuantity", order.totalQuantity());
            // A string, not a number, so that no reader turns the amount into a binary double;
            // plain notation because consumers expect "100.00", not "1.0000E+2".
            json.writeStringField("total", order.total().setScale(2, RoundingMode.HALF_EVEN).toPlainString());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e); // cannot happen: no I/O is involved
        }
        return out.toByteArray();
    }
}
