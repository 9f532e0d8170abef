package io.eventfn.core.orders;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and checks an order from a record value in one streaming pass, without building a JSON tree. Read top to
 * bottom, it is the order's grammar: the value, the order, its lines, then the rule of each field. A value that
 * breaks a rule ends in an {@link OrderRejection}, which words the reason and names the first field at fault.
 *
 * <p>Of a duplicate key the last occurrence wins, as in most JSON parsers: that is why an object's fields are
 * captured while it is read and checked only once it has ended.
 */
final class OrderParser {

    /**
     * The widest decimal scale accepted for a price. A short literal such as {@code 1e999999999} is a valid JSON
     * number, but adding or rounding it would allocate a number with a billion digits.
     */
    static final int MAX_SCALE = 1000;

    private final JsonFactory jsonFactory;

    OrderParser(JsonFactory jsonFactory) {
        this.jsonFactory = jsonFactory;
    }

    /** value = UTF-8 JSON holding one order object and nothing after it. */
    Order parse(byte[] value) throws OrderRejection {
        requireUtf8Json(value);
        // Parsing a byte array does no I/O: every IOException here is about the content.
        try (JsonParser json = jsonFactory.createParser(value)) {
            return readDocument(json);
        } catch (IOException e) {
            throw OrderRejection.malformedJson(e);
        }
    }

    private static void requireUtf8Json(byte[] value) throws OrderRejection {
        int malformed = StrictUtf8.indexOfMalformed(value);
        if (malformed >= 0) {
            throw OrderRejection.malformedUtf8(malformed);
        }
        // Jackson guesses UTF-16 or UTF-32 when one of the first bytes is NUL. UTF-8 JSON never contains a raw
        // NUL, so refuse it here rather than let the parser read the value in another encoding.
        for (int i = 0; i < Math.min(4, value.length); i++) {
            if (value[i] == 0) {
                throw OrderRejection.nulByte(i);
            }
        }
    }

    private static Order readDocument(JsonParser json) throws IOException, OrderRejection {
        try {
            JsonToken first = json.nextToken();
            if (first == null) {
                throw OrderRejection.emptyValue();
            }
            if (first != JsonToken.START_OBJECT) {
                throw OrderRejection.notAnObject(capture(json));
            }
            OrderFields order = readOrder(json);
            if (json.nextToken() != null) {
                throw OrderRejection.contentAfterOrder();
            }
            // Checked only now, so that broken JSON is reported as such even when a field is also wrong.
            return order.check();
        } catch (JsonProcessingException e) {
            throw OrderRejection.malformedJson(json.getParsingContext(), e);
        }
    }

    /**
     * order = {"orderId": id, "customerId": id, "currency": currency, "lines": lines}; other fields are ignored.
     * Reads to the end of the object; the parser is on its START_OBJECT.
     */
    private static OrderFields readOrder(JsonParser json) throws IOException {
        JsonValue orderId = null;
        JsonValue customerId = null;
        JsonValue currency = null;
        List<OrderLine> lines = null;
        OrderRejection linesProblem = null;
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
                    } catch (OrderRejection problem) {
                        lines = null;
                        linesProblem = problem; // not thrown yet: a later duplicate "lines" would win
                    }
                }
                default -> json.skipChildren(); // an unknown field, nested or not: ignored
            }
        }
        return new OrderFields(orderId, customerId, currency, lines, linesProblem);
    }

    /** The order's fields as read; {@code null} when absent. The lines are already checked, one by one. */
    private record OrderFields(
            JsonValue orderId,
            JsonValue customerId,
            JsonValue currency,
            List<OrderLine> lines,
            OrderRejection linesProblem) {

        Order check() throws OrderRejection {
            // Arguments are evaluated left to right: the first field at fault, in this order, is reported.
            return new Order(
                    requireId(orderId, "orderId"),
                    requireId(customerId, "customerId"),
                    requireCurrency(currency),
                    requireLines(lines, linesProblem));
        }
    }

    /**
     * lines = [line, ...], at least one. The whole array is read even when a line is invalid, so that the parser
     * ends up after it and a later duplicate "lines" can still be read; then the first invalid line is reported.
     */
    private static List<OrderLine> readLines(JsonParser json) throws IOException, OrderRejection {
        if (json.currentToken() != JsonToken.START_ARRAY) {
            throw OrderRejection.notLines(capture(json));
        }
        List<OrderLine> lines = new ArrayList<>();
        OrderRejection firstProblem = null;
        for (int line = 0; json.nextToken() != JsonToken.END_ARRAY; line++) {
            try {
                lines.add(readLine(json, line));
            } catch (OrderRejection problem) {
                if (firstProblem == null) {
                    firstProblem = problem;
                }
            }
        }
        if (firstProblem != null) {
            throw firstProblem;
        }
        if (lines.isEmpty()) {
            throw OrderRejection.noLines();
        }
        return lines;
    }

    /** line = {"sku": sku, "quantity": quantity, "unitPrice": unitPrice}; other fields are ignored. */
    private static OrderLine readLine(JsonParser json, int line) throws IOException, OrderRejection {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            throw OrderRejection.notALine(line, capture(json));
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

    // The rule of each field.

    /** id = a non-empty string, valid Unicode (no unpaired surrogate). */
    private static String requireId(JsonValue id, String field) throws OrderRejection {
        if (!isNonEmptyString(id)) {
            throw OrderRejection.notAnId(field, id);
        }
        // The id becomes the output key as UTF-8, and a lone surrogate (sent as an escape such as \uD800)
        // has no UTF-8 form: the key would silently get a '?' instead.
        if (hasUnpairedSurrogate(id.text())) {
            throw OrderRejection.idWithUnpairedSurrogate(field, id);
        }
        return id.text();
    }

    /** currency = a string of exactly 3 letters A-Z. */
    private static String requireCurrency(JsonValue currency) throws OrderRejection {
        if (currency != null && currency.token() == JsonToken.VALUE_STRING
                && isThreeUppercaseAsciiLetters(currency.text())) {
            return currency.text();
        }
        throw OrderRejection.notACurrency(currency);
    }

    private static List<OrderLine> requireLines(List<OrderLine> lines, OrderRejection problem) throws OrderRejection {
        if (problem != null) {
            throw problem;
        }
        if (lines == null) {
            throw OrderRejection.notLines(null);
        }
        return lines;
    }

    /** sku = a non-empty string. */
    private static String requireSku(JsonValue sku, int line) throws OrderRejection {
        if (!isNonEmptyString(sku)) {
            throw OrderRejection.notASku(line, sku);
        }
        return sku.text();
    }

    /** quantity = an integer literal >= 1. */
    private static BigInteger requireQuantity(JsonValue quantity, int line) throws OrderRejection {
        // Only an integer literal counts: 2.0 or 1e0 equal an integer, but a count written so is a sender's bug.
        if (quantity != null && quantity.token() == JsonToken.VALUE_NUMBER_INT) {
            BigInteger value = new BigInteger(quantity.text()); // at most 1000 digits: the parser's number limit
            if (value.signum() > 0) {
                return value;
            }
        }
        throw OrderRejection.notAQuantity(line, quantity);
    }

    /** unitPrice = a number >= 0, with a decimal scale within [-MAX_SCALE, MAX_SCALE]. */
    private static BigDecimal requireUnitPrice(JsonValue unitPrice, int line) throws OrderRejection {
        if (unitPrice == null || !unitPrice.token().isNumeric()) {
            throw OrderRejection.notAUnitPrice(line, unitPrice);
        }
        BigDecimal value = exactDecimal(unitPrice.text());
        if (value == null) {
            throw OrderRejection.unitPriceOutOfRange(line, unitPrice);
        }
        if (value.signum() < 0) {
            throw OrderRejection.notAUnitPrice(line, unitPrice);
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
}
