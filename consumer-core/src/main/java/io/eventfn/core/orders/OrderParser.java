package io.eventfn.core.orders;

import static io.eventfn.core.orders.InvalidOrderException.invalidEncoding;
import static io.eventfn.core.orders.InvalidOrderException.invalidField;
import static io.eventfn.core.orders.InvalidOrderException.invalidJson;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and validates an order from a record value in one streaming pass, without building a JSON tree.
 * An invalid value ends in an {@link InvalidOrderException} that names the first field at fault.
 *
 * <p>Duplicate keys: the last occurrence wins, as in most JSON parsers. That is why field values are
 * captured while an object is read and validated only once the object has ended.
 */
final class OrderParser {

    /**
     * The widest decimal scale accepted for a price. A short literal such as {@code 1e999999999} is a valid JSON
     * number, but adding or rounding it would allocate a number with a billion digits.
     */
    private static final int MAX_SCALE = 1000;

    /** The longest piece of input echoed in a reason: enough to recognise it, short enough for a log line. */
    private static final int MAX_ECHO = 40;

    /** Parser messages can quote their own internals at length; this much is enough to understand them. */
    private static final int MAX_PARSER_MESSAGE = 160;

    private final JsonFactory jsonFactory;

    OrderParser(JsonFactory jsonFactory) {
        this.jsonFactory = jsonFactory;
    }

    Order parse(byte[] value) throws InvalidOrderException {
        requireUtf8Json(value);
        // Parsing a byte array does no I/O: every IOException here is about the content.
        try (JsonParser json = jsonFactory.createParser(value)) {
            return readDocument(json);
        } catch (IOException e) {
            throw invalidJson("value is not valid JSON: " + parserMessage(e));
        }
    }

    private static void requireUtf8Json(byte[] value) throws InvalidOrderException {
        int malformed = StrictUtf8.indexOfMalformed(value);
        if (malformed >= 0) {
            throw invalidEncoding("value is not valid UTF-8: malformed byte sequence at byte offset " + malformed);
        }
        // Jackson guesses UTF-16 or UTF-32 when one of the first bytes is NUL. UTF-8 JSON never contains a raw
        // NUL, so refuse it here rather than let the parser read the value in another encoding.
        for (int i = 0; i < Math.min(4, value.length); i++) {
            if (value[i] == 0) {
                throw invalidJson("value is not valid JSON: NUL byte at byte offset " + i
                        + " (the value must be UTF-8, not UTF-16 or UTF-32)");
            }
        }
    }

    /** Reads the whole value: one order object and nothing after it. */
    private static Order readDocument(JsonParser json) throws IOException, InvalidOrderException {
        try {
            JsonToken first = json.nextToken();
            if (first == null) {
                throw invalidJson("value is not valid JSON: it is empty or only whitespace");
            }
            if (first != JsonToken.START_OBJECT) {
                throw invalidJson("value must be a JSON object, got " + capture(json).describe());
            }
            OrderFields fields = readOrderFields(json);
            if (json.nextToken() != null) {
                throw invalidJson("value is not valid JSON: unexpected content after the order object");
            }
            // Validated only now, so that broken JSON is reported as such even when a field is also wrong.
            return fields.validate();
        } catch (JsonProcessingException e) {
            throw invalidJson("value is not valid JSON" + at(json.getParsingContext()) + ": " + parserMessage(e));
        }
    }

    /** Reads the order's fields, to the end of the object; the parser is on the order's START_OBJECT. */
    private static OrderFields readOrderFields(JsonParser json) throws IOException {
        JsonValue orderId = null;
        JsonValue customerId = null;
        JsonValue currency = null;
        List<OrderLine> lines = null;
        InvalidOrderException linesProblem = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            switch (field) {
                case "orderId" -> orderId = capture(json);
                case "customerId" -> customerId = capture(json);
                case "currency" -> currency = capture(json);
                case "lines" -> {
                    try {
                        lines = readLines(json);
                        linesProblem = null;
                    } catch (InvalidOrderException problem) {
                        lines = null;
                        linesProblem = problem; // not thrown yet: a later duplicate "lines" would win
                    }
                }
                default -> json.skipChildren(); // an unknown field, nested or not: ignored
            }
        }
        return new OrderFields(orderId, customerId, currency, lines, linesProblem);
    }

    /** The order's fields as read; {@code null} when absent. The lines are already validated, one by one. */
    private record OrderFields(
            JsonValue orderId,
            JsonValue customerId,
            JsonValue currency,
            List<OrderLine> lines,
            InvalidOrderException linesProblem) {

        Order validate() throws InvalidOrderException {
            // Arguments are evaluated left to right: the first field at fault, in this order, is reported.
            return new Order(
                    requireId(orderId, "orderId"),
                    requireId(customerId, "customerId"),
                    requireCurrency(currency),
                    requireLines(lines, linesProblem));
        }
    }

    /**
     * Reads the value of "lines". The whole array is read even when a line is invalid, so that the parser
     * ends up after it and a later duplicate "lines" can still be read; then the first invalid line is reported.
     */
    private static List<OrderLine> readLines(JsonParser json) throws IOException, InvalidOrderException {
        if (json.currentToken() != JsonToken.START_ARRAY) {
            throw invalidField(mustBe("lines", "a non-empty array of line objects", capture(json)));
        }
        List<OrderLine> lines = new ArrayList<>();
        InvalidOrderException firstProblem = null;
        for (int line = 0; json.nextToken() != JsonToken.END_ARRAY; line++) {
            try {
                lines.add(readLine(json, line));
            } catch (InvalidOrderException problem) {
                if (firstProblem == null) {
                    firstProblem = problem;
                }
            }
        }
        if (firstProblem != null) {
            throw firstProblem;
        }
        if (lines.isEmpty()) {
            throw invalidField("lines must be a non-empty array of line objects, got an empty array");
        }
        return lines;
    }

    /** Reads one element of "lines", to its end even when it is invalid. */
    private static OrderLine readLine(JsonParser json, int line) throws IOException, InvalidOrderException {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            throw invalidField(mustBe("lines[" + line + "]", "a line object", capture(json)));
        }
        JsonValue sku = null;
        JsonValue quantity = null;
        JsonValue unitPrice = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            switch (field) {
                case "sku" -> sku = capture(json);
                case "quantity" -> quantity = capture(json);
                case "unitPrice" -> unitPrice = capture(json);
                default -> json.skipChildren();
            }
        }
        return new OrderLine(
                requireSku(sku, line),
                requireQuantity(quantity, line),
                requireUnitPrice(unitPrice, line));
    }

    private static String requireId(JsonValue id, String field) throws InvalidOrderException {
        if (!isNonEmptyString(id)) {
            throw invalidField(mustBe(field, "a non-empty string", id));
        }
        // The id becomes the output key as UTF-8, and a lone surrogate (sent as an escape such as \uD800)
        // has no UTF-8 form: the key would silently get a '?' instead.
        if (hasUnpairedSurrogate(id.text())) {
            throw invalidField(field + " must be valid Unicode text, got " + id.describe()
                    + " with an unpaired surrogate escape (\\uD800-\\uDFFF)");
        }
        return id.text();
    }

    private static String requireCurrency(JsonValue currency) throws InvalidOrderException {
        if (currency != null && currency.token() == JsonToken.VALUE_STRING
                && isThreeUppercaseAsciiLetters(currency.text())) {
            return currency.text();
        }
        throw invalidField(mustBe("currency", "exactly 3 uppercase ASCII letters", currency));
    }

    private static List<OrderLine> requireLines(List<OrderLine> lines, InvalidOrderException problem)
            throws InvalidOrderException {
        if (problem != null) {
            throw problem;
        }
        if (lines == null) {
            throw invalidField(mustBe("lines", "a non-empty array of line objects", null));
        }
        return lines;
    }

    private static String requireSku(JsonValue sku, int line) throws InvalidOrderException {
        if (!isNonEmptyString(sku)) {
            throw invalidField(mustBe(linePath(line, "sku"), "a non-empty string", sku));
        }
        return sku.text();
    }

    private static BigInteger requireQuantity(JsonValue quantity, int line) throws InvalidOrderException {
        // Only an integer literal counts: 2.0 or 1e0 equal an integer, but a count written so is a sender's bug.
        if (quantity != null && quantity.token() == JsonToken.VALUE_NUMBER_INT) {
            BigInteger value = new BigInteger(quantity.text()); // at most 1000 digits: the parser's number limit
            if (value.signum() > 0) {
                return value;
            }
        }
        throw invalidField(mustBe(linePath(line, "quantity"), "an integer >= 1", quantity));
    }

    private static BigDecimal requireUnitPrice(JsonValue unitPrice, int line) throws InvalidOrderException {
        if (unitPrice == null || !unitPrice.token().isNumeric()) {
            throw invalidField(mustBe(linePath(line, "unitPrice"), "a number >= 0", unitPrice));
        }
        BigDecimal value = exactDecimal(unitPrice.text());
        if (value == null) {
            throw invalidField(linePath(line, "unitPrice") + " is out of range: its decimal scale must be within ["
                    + -MAX_SCALE + ", " + MAX_SCALE + "], got " + unitPrice.describe());
        }
        if (value.signum() < 0) {
            throw invalidField(mustBe(linePath(line, "unitPrice"), "a number >= 0", unitPrice));
        }
        return value;
    }

    /**
     * The exact value of a JSON number literal, or null when its scale is out of bounds. Parsed from the text,
     * never through a double, which cannot hold most decimal fractions (0.1 among them).
     */
    private static BigDecimal exactDecimal(String literal) {
        try {
            BigDecimal value = new BigDecimal(literal); // cheap even for 1e999999999: unscaled 1, scale -999999999
            return value.scale() >= -MAX_SCALE && value.scale() <= MAX_SCALE ? value : null;
        } catch (NumberFormatException exponentBeyondAnInt) {
            return null;
        }
    }

    private static boolean isNonEmptyString(JsonValue value) {
        return value != null && value.token() == JsonToken.VALUE_STRING && !value.text().isEmpty();
    }

    private static boolean isThreeUppercaseAsciiLetters(String text) {
        return text.length() == 3
                && isUppercaseAsciiLetter(text.charAt(0))
                && isUppercaseAsciiLetter(text.charAt(1))
                && isUppercaseAsciiLetter(text.charAt(2));
    }

    private static boolean isUppercaseAsciiLetter(char c) {
        return c >= 'A' && c <= 'Z'; // not Character.isUpperCase, which accepts 'É'
    }

    private static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a well-formed pair
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Captures the current value and moves past it; of an object or array only the kind is kept. */
    private static JsonValue capture(JsonParser json) throws IOException {
        JsonToken token = json.currentToken();
        if (token.isStructStart()) {
            json.skipChildren();
            return new JsonValue(token, null);
        }
        return new JsonValue(token, json.getText());
    }

    /** "{path} must be {rule}, got {value}", or "{path} is missing; ..." when there is no value. */
    private static String mustBe(String path, String rule, JsonValue value) {
        return value == null
                ? path + " is missing; it must be " + rule
                : path + " must be " + rule + ", got " + value.describe();
    }

    private static String linePath(int line, String field) {
        return "lines[" + line + "]." + field;
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

    /** A JSON value as read, before validation: its token and, for a scalar, its text as written. */
    private record JsonValue(JsonToken token, String text) {

        /** The value as it should appear after "got" in a reason. */
        String describe() {
            return switch (token) {
                case START_OBJECT -> "object";
                case START_ARRAY -> "array";
                case VALUE_STRING -> '"' + abbreviate(text, MAX_ECHO) + '"';
                default -> abbreviate(text, MAX_ECHO); // a number, true, false or null, as written
            };
        }
    }
}
