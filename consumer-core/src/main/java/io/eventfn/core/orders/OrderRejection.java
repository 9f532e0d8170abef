package io.eventfn.core.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import io.eventfn.core.Outcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a record value is not an order: a reason class, which is a metrics label and never changes, and a reason
 * that names the input at fault. {@link OrderParser} states the rules; the words for breaking each one are here,
 * one factory per rule, and are built only when a value is rejected.
 */
final class OrderRejection extends Exception {

    private static final String INVALID_ENCODING = "invalid-encoding";
    private static final String INVALID_JSON = "invalid-json";
    private static final String INVALID_FIELD = "invalid-field";

    /** The longest piece of input echoed in a reason: enough to recognise it, short enough for a log line. */
    private static final int MAX_ECHO = 40;

    /** Parser messages can quote their own internals at length; this much is enough to understand them. */
    private static final int MAX_PARSER_MESSAGE = 160;

    private final String reasonClass;

    private OrderRejection(String reasonClass, String reason) {
        // No stack trace: invalid input is an expected outcome, not a bug, and filling one in is costly.
        super(reason, null, false, false);
        this.reasonClass = reasonClass;
    }

    Outcome.Reject toReject() {
        return new Outcome.Reject(reasonClass, getMessage());
    }

    // The value as a whole: UTF-8 JSON holding one object.

    static OrderRejection malformedUtf8(int offset) {
        return new OrderRejection(INVALID_ENCODING,
                "value is not valid UTF-8: malformed byte sequence at byte offset " + offset);
    }

    static OrderRejection nulByte(int offset) {
        return new OrderRejection(INVALID_JSON, "value is not valid JSON: NUL byte at byte offset " + offset
                + " (the value must be UTF-8, not UTF-16 or UTF-32)");
    }

    static OrderRejection emptyValue() {
        return new OrderRejection(INVALID_JSON, "value is not valid JSON: it is empty or only whitespace");
    }

    static OrderRejection notAnObject(JsonValue value) {
        return new OrderRejection(INVALID_JSON, "value must be a JSON object, got " + describe(value));
    }

    static OrderRejection contentAfterOrder() {
        return new OrderRejection(INVALID_JSON, "value is not valid JSON: unexpected content after the order object");
    }

    static OrderRejection malformedJson(IOException e) {
        return new OrderRejection(INVALID_JSON, "value is not valid JSON: " + parserMessage(e));
    }

    /** Names where in the document the parser stopped, such as "at lines[0].quantity". */
    static OrderRejection malformedJson(JsonStreamContext where, IOException e) {
        return new OrderRejection(INVALID_JSON, "value is not valid JSON" + at(where) + ": " + parserMessage(e));
    }

    // The order's fields.

    static OrderRejection notAnId(String field, JsonValue id) {
        return brokenRule(field, "a non-empty string", id);
    }

    static OrderRejection idWithUnpairedSurrogate(String field, JsonValue id) {
        return new OrderRejection(INVALID_FIELD, field + " must be valid Unicode text, got " + describe(id)
                + " with an unpaired surrogate escape (\\uD800-\\uDFFF)");
    }

    static OrderRejection notACurrency(JsonValue currency) {
        return brokenRule("currency", "exactly 3 uppercase ASCII letters", currency);
    }

    static OrderRejection notLines(JsonValue lines) {
        return brokenRule("lines", "a non-empty array of line objects", lines);
    }

    static OrderRejection noLines() {
        return new OrderRejection(INVALID_FIELD,
                "lines must be a non-empty array of line objects, got an empty array");
    }

    // A line's fields.

    static OrderRejection notALine(int line, JsonValue value) {
        return brokenRule("lines[" + line + "]", "a line object", value);
    }

    static OrderRejection notASku(int line, JsonValue sku) {
        return brokenRule(linePath(line, "sku"), "a non-empty string", sku);
    }

    static OrderRejection notAQuantity(int line, JsonValue quantity) {
        return brokenRule(linePath(line, "quantity"), "an integer >= 1", quantity);
    }

    static OrderRejection notAUnitPrice(int line, JsonValue unitPrice) {
        return brokenRule(linePath(line, "unitPrice"), "a number >= 0", unitPrice);
    }

    static OrderRejection unitPriceOutOfRange(int line, JsonValue unitPrice) {
        return new OrderRejection(INVALID_FIELD, linePath(line, "unitPrice")
                + " is out of range: its decimal scale must be within [" + -OrderParser.MAX_SCALE + ", "
                + OrderParser.MAX_SCALE + "], got " + describe(unitPrice));
    }

    // The wording shared by the reasons above.

    /** "{path} must be {rule}, got {value}", or "{path} is missing; ..." when there is no value. */
    private static OrderRejection brokenRule(String path, String rule, JsonValue value) {
        return new OrderRejection(INVALID_FIELD, value == null
                ? path + " is missing; it must be " + rule
                : path + " must be " + rule + ", got " + describe(value));
    }

    private static String linePath(int line, String field) {
        return "lines[" + line + "]." + field;
    }

    /** The value as it should appear after "got". */
    private static String describe(JsonValue value) {
        return switch (value.token()) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_STRING -> '"' + abbreviate(value.text(), MAX_ECHO) + '"';
            default -> abbreviate(value.text(), MAX_ECHO); // a number, true, false or null, as written
        };
    }

    /** " at lines[0].quantity": where in the document the parser stopped, or "" at the top level. */
    private static String at(JsonStreamContext context) {
        List<JsonStreamContext> levels = new ArrayList<>();
        for (JsonStreamContext level = context; level != null && !level.inRoot(); level = level.getParent()) {
            levels.add(level);
        }
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext level : levels.reversed()) {
            if (level.inArray()) {
                path.append('[').append(Math.max(0, level.getCurrentIndex())).append(']');
            } else if (level.getCurrentName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(level.getCurrentName());
            }
        }
        return path.isEmpty() ? "" : " at " + abbreviate(path.toString(), MAX_ECHO);
    }

    private static String parserMessage(IOException e) {
        String message = e instanceof JsonProcessingException parserError ? parserError.getOriginalMessage() : e.getMessage();
        message = String.valueOf(message);
        // Jackson points at where an unclosed object or array started with a location that says nothing here.
        int startMarker = message.indexOf(" (start marker at ");
        return abbreviate(startMarker < 0 ? message : message.substring(0, startMarker), MAX_PARSER_MESSAGE);
    }

    /**
     * Cuts input echoed in a reason to {@code max} characters and escapes control characters, so that a reason
     * stays one short line in logs and headers.
     */
    private static String abbreviate(String text, int max) {
        int end = Math.min(text.length(), max);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // do not split a surrogate pair
        }
        StringBuilder shown = new StringBuilder(end + 3);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", (int) c));
            } else {
                shown.append(c);
            }
        }
        return end < text.length() ? shown.append("...").toString() : shown.toString();
    }
}
