package io.eventfn.core.orders;

import static io.eventfn.core.orders.Orders.EXAMPLE_ORDER;
import static io.eventfn.core.orders.Orders.orderWithLine;
import static io.eventfn.core.orders.Orders.orderWithLines;
import static io.eventfn.core.orders.Orders.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventfn.core.Outcome;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Values that go to the dead-letter topic, with a reason class for metrics and a reason naming the field. */
class OrderRejectionTest {

    // --- encoding -----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "C3 28",       // a lead byte followed by a non-continuation byte
        "C0 AF",       // overlong encoding of '/'
        "E0 80 AF",    // overlong three-byte encoding of '/'
        "ED A0 80",    // a lone surrogate, U+D800
        "F4 90 80 80", // above U+10FFFF
        "F8 88 80 80 80",
        "80",          // a continuation byte on its own
        "FF",
        "E2 82",       // a truncated sequence
    })
    void rejectsInvalidUtf8(String hex) {
        byte[] bad = bytesOf(hex);
        byte[] value = concat(utf8("{\"orderId\":\"o-"), bad, utf8(EXAMPLE_ORDER.substring("{\"orderId\":\"o-".length())));

        Outcome.Reject reject = rejected(value);

        assertThat(reject.reasonClass()).isEqualTo("invalid-encoding");
        assertThat(reject.reason()).isEqualTo("value is not valid UTF-8: malformed byte sequence at byte offset 14");
    }

    @Test
    void rejectsUtf8TruncatedAtTheEndOfTheValue() {
        Outcome.Reject reject = rejected(concat(utf8(EXAMPLE_ORDER), bytesOf("F0 9F 98")));

        assertThat(reject.reasonClass()).isEqualTo("invalid-encoding");
    }

    @Test
    void rejectsUtf16EvenThoughItsBytesAreValidUtf8() {
        Outcome.Reject reject = rejected(EXAMPLE_ORDER.getBytes(StandardCharsets.UTF_16LE));

        assertThat(reject.reasonClass()).isEqualTo("invalid-json");
        assertThat(reject.reason()).contains("UTF-8");
    }

    // --- JSON syntax --------------------------------------------------------------------------------------

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", " ", " \t\r\n "})
    void rejectsAnEmptyOrBlankValue(String value) {
        Outcome.Reject reject = rejected(value);

        assertThat(reject.reasonClass()).isEqualTo("invalid-json");
        assertThat(reject.reason()).isEqualTo("value is not valid JSON: it is empty or only whitespace");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {" {}", "{}", " x", "x", ",", " []", "\"\""})
    void rejectsContentAfterTheOrderObject(String trailer) {
        Outcome.Reject reject = rejected(EXAMPLE_ORDER + trailer);

        assertThat(reject.reasonClass()).isEqualTo("invalid-json");
        assertThat(reject.reason()).startsWith("value is not valid JSON");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "[]:array",
        "[{\"orderId\":\"o-1\"}]:array",
        "\"o-42\":\"o-42\"",
        "42:42",
        "true:true",
        "null:null",
    })
    void rejectsAValueThatIsNotAnObject(String valueAndDescription) {
        int colon = valueAndDescription.lastIndexOf(':');

        Outcome.Reject reject = rejected(valueAndDescription.substring(0, colon));

        assertThat(reject.reasonClass()).isEqualTo("invalid-json");
        assertThat(reject.reason())
                .isEqualTo("value must be a JSON object, got " + valueAndDescription.substring(colon + 1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"orderId\":\"o-1\"",
        "{\"orderId\":\"o-1\",}",
        "{'orderId':'o-1'}",
        "{orderId:\"o-1\"}",
        "{\"orderId\":\"o-1\" \"customerId\":\"c-1\"}",
        "{\"orderId\":\"unterminated}",
        "{\"orderId\":\"bad escape \\x\"}",
        "{\"orderId\":\"raw\ttab\"}",
        "{\"lines\":[{\"quantity\":01}]}",
        "{\"lines\":[{\"unitPrice\":NaN}]}",
        "{\"lines\":[{\"unitPrice\":.5}]}",
        "{\"lines\":[{\"unitPrice\":+1}]}",
        "{\"lines\":[{\"unitPrice\":1.}]}",
    })
    void rejectsMalformedJson(String value) {
        assertThat(rejected(value).reasonClass()).isEqualTo("invalid-json");
    }

    @Test
    void reportsBrokenJsonBeforeAnyInvalidField() {
        Outcome.Reject trailing = rejected("{\"currency\":\"eur\"} x");
        Outcome.Reject unclosed = rejected("{\"currency\":\"eur\",\"lines\":[{\"quantity\":0}");

        assertThat(trailing.reasonClass()).isEqualTo("invalid-json");
        assertThat(unclosed.reasonClass()).isEqualTo("invalid-json");
        assertThat(unclosed.reason()).doesNotContain("[Source");
    }

    @Test
    void namesWhereTheJsonBreaks() {
        Outcome.Reject reject = rejected(orderWithLines("[{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1},{\"sku\" 2}]"));

        assertThat(reject.reason()).startsWith("value is not valid JSON at lines[1].sku: ");
    }

    // --- ids ----------------------------------------------------------------------------------------------

    @Test
    void rejectsAMissingOrderId() {
        Outcome.Reject reject = rejected(EXAMPLE_ORDER.replace("\"orderId\":\"o-42\",", ""));

        assertThat(reject.reasonClass()).isEqualTo("invalid-field");
        assertThat(reject.reason()).isEqualTo("orderId is missing; it must be a non-empty string");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"42:42", "\"\":\"\"", "null:null", "true:true", "{\"id\":1}:object", "[\"o-42\"]:array"})
    void rejectsAnOrderIdThatIsNotANonEmptyString(String valueAndDescription) {
        int colon = valueAndDescription.lastIndexOf(':');
        String order = EXAMPLE_ORDER.replace("\"o-42\"", valueAndDescription.substring(0, colon));

        Outcome.Reject reject = rejected(order);

        assertThat(reject.reasonClass()).isEqualTo("invalid-field");
        assertThat(reject.reason())
                .isEqualTo("orderId must be a non-empty string, got " + valueAndDescription.substring(colon + 1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "\"customerId\":null,", "\"customerId\":\"\",", "\"customerId\":7,"})
    void rejectsACustomerIdThatIsNotANonEmptyString(String customerId) {
        Outcome.Reject reject = rejected(EXAMPLE_ORDER.replace("\"customerId\":\"c-7\",", customerId));

        assertThat(reject.reasonClass()).isEqualTo("invalid-field");
        assertThat(reject.reason()).startsWith("customerId ");
    }

    @Test
    void rejectsAnIdWithAnUnpairedSurrogateEscape() {
        Outcome.Reject reject = rejected(EXAMPLE_ORDER.replace("\"o-42\"", "\"o-\\ud800-42\""));

        assertThat(reject.reasonClass()).isEqualTo("invalid-field");
        assertThat(reject.reason()).startsWith("orderId must be valid Unicode text");
    }

    // --- currency -----------------------------------------------------------------------------------------

    @Test
    void rejectsLowercaseCurrency() {
        Outcome.Reject reject = rejected(EXAMPLE_ORDER.replace("\"EUR\"", "\"eur\""));

        assertThat(reject.reasonClass()).isEqualTo("invalid-field");
        assertThat(reject.reason()).isEqualTo("currency must be exactly 3 uppercase ASCII letters, got \"eur\"");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\"EU\"", "\"EURO\"", "\"ÉUR\"", "\"E1R\"", "\"Eur\"", "\"\"", "\" EUR\"", "978", "null", "[\"EUR\"]"})
    void rejectsACurrencyThatIsNotThreeUppercaseAsciiLetters(String currency) {
        Outcome.Reject reject = rejected(EXAMPLE_ORDER.replace("\"EUR\"", currency));

        assertThat(reject.reasonClass()).isEqualTo("invalid-field");
        assertThat(reject.reason()).startsWith("currency must be exactly 3 uppercase ASCII letters, got ");
    }

    @Test
    void rejectsAMissingCurrency() {
        Outcome.Reject reject = rejected(EXAMPLE_ORDER.replace("\"currency\":\"EUR\",", ""));

        assertThat(reject.reasonClass()).isEqualTo("invalid-field");
        assertThat(reject.reason()).isEqualTo("currency is missing; it must be exactly 3 uppercase ASCII letters");
    }

    // --- lines --------------------------------------------------------------------------------------------

    @Test
    void rejectsAnOrderWithoutLines() {
        Outcome.Reject reject = rejected("{\"orderId\":\"o-1\",\"customerId\":\"c-1\",\"currency\":\"EUR\"}");

        assertThat(reject.reasonClass()).isEqualTo("invalid-field");
        assertThat(reject.reason()).isEqualTo("lines is missing; it must be a non-empty array of line objects");
    }

    @Test
    void rejectsAnEmptyLinesArray() {
        Outcome.Reject reject = rejected(orderWithLines("[]"));

        assertThat(reject.reasonClass()).isEqualTo("invalid-field");
        assertThat(reject.reason()).isEqualTo("lines must be a non-empty array of line objects, got an empty array");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{}", "\"A-1\"", "1", "null", "true"})
    void rejectsLinesThatAreNotAnArray(String lines) {
        Outcome.Reject reject = rejected(orderWithLines(lines));

        assertThat(reject.reasonClass()).isEqualTo("invalid-field");
        assertThat(reject.reason()).startsWith("lines must be a non-empty array of line objects, got ");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"42", "null", "\"A-1\"", "[]", "[{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1}]"})
    void rejectsALineThatIsNotAnObject(String line) {
        Outcome.Reject reject = rejected(orderWithLines("[{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1}," + line + "]"));

        assertThat(reject.reasonClass()).isEqualTo("invalid-field");
        assertThat(reject.reason()).startsWith("lines[1] must be a line object, got ");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "\"sku\":\"\",", "\"sku\":1,", "\"sku\":null,", "\"sku\":[\"A\"],"})
    void rejectsALineWithoutANonEmptyStringSku(String sku) {
        Outcome.Reject reject = rejected(orderWithLines("[{" + sku + "\"quantity\":1,\"unitPrice\":1}]"));

        assertThat(reject.reasonClass()).isEqualTo("invalid-field");
        assertThat(reject.reason()).startsWith("lines[0].sku ");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1.5", "2.0", "1e0", "1E2", "\"2\"", "true", "null", "0", "-0", "-1", "{}", "[2]"})
    void rejectsAQuantityThatIsNotAnIntegerLiteralOfAtLeastOne(String quantity) {
        Outcome.Reject reject = rejected(orderWithLine(quantity, "9.99"));

        assertThat(reject.reasonClass()).isEqualTo("invalid-field");
        assertThat(reject.reason()).startsWith("lines[0].quantity must be an integer >= 1, got ");
    }

    @Test
    void namesTheLineAndEchoesTheQuantityAtFault() {
        Outcome.Reject reject = rejected(orderWithLines("""
                [{"sku":"A","quantity":1,"unitPrice":1},{"sku":"B","quantity":0,"unitPrice":1}]"""));

        assertThat(reject.reason()).isEqualTo("lines[1].quantity must be an integer >= 1, got 0");
    }

    @Test
    void rejectsAMissingQuantity() {
        Outcome.Reject reject = rejected(orderWithLines("[{\"sku\":\"A\",\"unitPrice\":1}]"));

        assertThat(reject.reasonClass()).isEqualTo("invalid-field");
        assertThat(reject.reason()).isEqualTo("lines[0].quantity is missing; it must be an integer >= 1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-0.01", "-1", "-1e-3", "\"9.99\"", "null", "true", "{}", "[9.99]"})
    void rejectsAUnitPriceThatIsNotANonNegativeNumber(String unitPrice) {
        Outcome.Reject reject = rejected(orderWithLine("1", unitPrice));

        assertThat(reject.reasonClass()).isEqualTo("invalid-field");
        assertThat(reject.reason()).startsWith("lines[0].unitPrice must be a number >= 0, got ");
    }

    @Test
    void rejectsAMissingUnitPrice() {
        Outcome.Reject reject = rejected(orderWithLines("[{\"sku\":\"A\",\"quantity\":1}]"));

        assertThat(reject.reasonClass()).isEqualTo("invalid-field");
        assertThat(reject.reason()).isEqualTo("lines[0].unitPrice is missing; it must be a number >= 0");
    }

    // --- numeric denial of service ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1e999999999", "1e-999999999", "1e1001", "1e-1001", "0e999999999", "1e99999999999", "-1e999999999"})
    void rejectsAUnitPriceWhoseScaleIsOutOfRange(String unitPrice) {
        Outcome.Reject reject = rejected(orderWithLine("1", unitPrice));

        assertThat(reject.reasonClass()).isEqualTo("invalid-field");
        assertThat(reject.reason())
                .isEqualTo("lines[0].unitPrice is out of range: its decimal scale must be within [-1000, 1000], got "
                        + unitPrice);
    }

    @Test
    void rejectsANumberLongerThanAThousandCharactersNamingTheField() {
        Outcome.Reject quantity = rejected(orderWithLine("9".repeat(1001), "1"));
        Outcome.Reject unitPrice = rejected(orderWithLine("1", "0." + "9".repeat(1000)));

        assertThat(quantity.reasonClass()).isEqualTo("invalid-json");
        assertThat(quantity.reason()).startsWith("value is not valid JSON at lines[0].quantity: Number value length");
        assertThat(unitPrice.reason()).startsWith("value is not valid JSON at lines[0].unitPrice: Number value length");
    }

    @Test
    void rejectsDeepNestingInAnUnknownField() {
        String deep = "[".repeat(5_000) + "]".repeat(5_000);

        Outcome.Reject reject = rejected(EXAMPLE_ORDER.replace("{\"orderId\"", "{\"deep\":" + deep + ",\"orderId\""));

        assertThat(reject.reasonClass()).isEqualTo("invalid-json");
        assertThat(reject.reason()).startsWith("value is not valid JSON at deep");
    }

    // --- reasons ------------------------------------------------------------------------------------------

    @Test
    void reportsTheFirstFieldAtFaultInDocumentedOrder() {
        String order = "{\"lines\":[],\"currency\":\"eur\",\"customerId\":\"c-1\"}";

        assertThat(rejected(order).reason()).startsWith("orderId ");
    }

    @Test
    void echoesAtMostFortyCharactersOfInputOnOneLine() {
        String longCurrency = "\"" + "E\\n".repeat(500) + "\"";

        Outcome.Reject reject = rejected(EXAMPLE_ORDER.replace("\"EUR\"", longCurrency));

        assertThat(reject.reason())
                .isEqualTo("currency must be exactly 3 uppercase ASCII letters, got \""
                        + "E\\u000a".repeat(20) + "...\"")
                .doesNotContain("\n");
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("oneBrokenRuleEach")
    void rejectsWithTheReasonClassAndWordingOfTheRuleBroken(String value, String reasonClass, String reason) {
        Outcome.Reject reject = rejected(value);

        assertThat(reject.reasonClass()).isEqualTo(reasonClass);
        assertThat(reject.reason()).isEqualTo(reason);
    }

    /** Values that each break one rule, with the exact reason class and reason they are rejected with. */
    static Stream<Arguments> oneBrokenRuleEach() {
        String line = "{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1}";
        return Stream.of(
                Arguments.of("{\u0000}", "invalid-json",
                        "value is not valid JSON: NUL byte at byte offset 1 (the value must be UTF-8, not UTF-16 or UTF-32)"),
                Arguments.of(EXAMPLE_ORDER + " {}", "invalid-json",
                        "value is not valid JSON: unexpected content after the order object"),
                Arguments.of(EXAMPLE_ORDER.replace("\"c-7\"", "\"c-7\\udc00\""), "invalid-field",
                        "customerId must be valid Unicode text, got \"c-7\udc00\" with an unpaired surrogate escape"
                                + " (\\uD800-\\uDFFF)"),
                Arguments.of(EXAMPLE_ORDER.replace("\"customerId\":\"c-7\",", ""), "invalid-field",
                        "customerId is missing; it must be a non-empty string"),
                Arguments.of(orderWithLines("{}"), "invalid-field",
                        "lines must be a non-empty array of line objects, got object"),
                Arguments.of(orderWithLines("[" + line + ",42]"), "invalid-field",
                        "lines[1] must be a line object, got 42"),
                Arguments.of(orderWithLines("[{\"quantity\":1,\"unitPrice\":1}]"), "invalid-field",
                        "lines[0].sku is missing; it must be a non-empty string"),
                Arguments.of(orderWithLines("[{\"sku\":\"\",\"quantity\":1,\"unitPrice\":1}]"), "invalid-field",
                        "lines[0].sku must be a non-empty string, got \"\""),
                Arguments.of(orderWithLine("\"2\"", "1"), "invalid-field",
                        "lines[0].quantity must be an integer >= 1, got \"2\""),
                Arguments.of(orderWithLine("1", "-0.01"), "invalid-field",
                        "lines[0].unitPrice must be a number >= 0, got -0.01"),
                Arguments.of(orderWithLines("[" + line + ",{\"sku\":1},{\"sku\":2}]"), "invalid-field",
                        "lines[1].sku must be a non-empty string, got 1"));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytesOf(String hex) {
        String[] parts = hex.split(" ");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
