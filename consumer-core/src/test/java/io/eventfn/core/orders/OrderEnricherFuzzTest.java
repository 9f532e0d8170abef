package io.eventfn.core.orders;

import static io.eventfn.core.orders.Orders.EXAMPLE_ORDER;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventfn.core.OutboundRecord;
import io.eventfn.core.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever bytes arrive, the enricher answers with an outcome and never throws. Seeds are fixed, so a failure
 * reproduces; the input that failed is in the assertion message.
 */
class OrderEnricherFuzzTest {

    private static final String RICH_ORDER = """
            {"orderId":"o-\\u00e9\\ud83d\\ude00","customerId":"c-7","currency":"EUR","meta":{"a":[1,2.5e3,null]},
             "lines":[{"sku":"A-1","quantity":2,"unitPrice":9.99},{"sku":"B","quantity":12345678901234567890,"unitPrice":1e2}]}""";

    /** Fragments of JSON, valid and not, that random documents are assembled from. */
    private static final String[] FRAGMENTS = {
        "{", "}", "[", "]", ":", ",", " ", "\"orderId\"", "\"customerId\"", "\"currency\"", "\"lines\"", "\"sku\"",
        "\"quantity\"", "\"unitPrice\"", "\"o-1\"", "\"EUR\"", "\"\"", "\"\\ud800\"", "\"\\u0000\"", "\"\\\"",
        "0", "-0", "1", "-1", "1.5", "1e999999999", "1e-999999999", "1E+2", "99999999999999999999", "null", "true",
        "false", "NaN", "01", ".5", "\"é\"", "\uFEFF", "\\", "'", "/*", "//",
    };

    private final OrderEnricher enricher = new OrderEnricher();

    @Test
    void neverThrowsOnRandomBytes() {
        Random random = new Random(20_240_601L);
        for (int i = 0; i < 8_000; i++) {
            byte[] value = new byte[random.nextInt(48)];
            random.nextBytes(value);
            assertAlwaysAnOutcome(value);
        }
    }

    @Test
    void neverThrowsOnEveryTruncationOfValidOrders() {
        for (String order : new String[] {EXAMPLE_ORDER, RICH_ORDER}) {
            byte[] bytes = order.getBytes(StandardCharsets.UTF_8);
            for (int length = 0; length <= bytes.length; length++) {
                byte[] prefix = new byte[length];
                System.arraycopy(bytes, 0, prefix, 0, length);
                assertAlwaysAnOutcome(prefix);
            }
        }
    }

    @Test
    void neverThrowsOnMutatedValidOrders() {
        Random random = new Random(7L);
        byte[] original = RICH_ORDER.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 6_000; i++) {
            byte[] value = original.clone();
            for (int mutations = 1 + random.nextInt(3); mutations > 0; mutations--) {
                value[random.nextInt(value.length)] = (byte) (random.nextBoolean()
                        ? random.nextInt(256)
                        : "{}[]:,\"\\0123456789.eE+-tfn ".charAt(random.nextInt(27)));
            }
            assertAlwaysAnOutcome(value);
        }
    }

    @Test
    void neverThrowsOnDocumentsAssembledFromJsonFragments() {
        Random random = new Random(42L);
        for (int i = 0; i < 6_000; i++) {
            StringBuilder document = new StringBuilder(random.nextBoolean() ? "{" : "");
            for (int fragments = random.nextInt(40); fragments > 0; fragments--) {
                document.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
            }
            assertAlwaysAnOutcome(document.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private void assertAlwaysAnOutcome(byte[] value) {
        Outcome outcome;
        try {
            outcome = enricher.process(Orders.recordOf(value));
        } catch (RuntimeException e) {
            throw new AssertionError("threw for input " + describe(value), e);
        }
        switch (outcome) {
            case Outcome.Emit emit -> {
                OutboundRecord out = emit.records().getFirst();
                assertThat(StrictUtf8.indexOfMalformed(out.value())).as("output of %s", describe(value)).isEqualTo(-1);
            }
            case Outcome.Reject reject -> assertThat(reject.reason()).as("reason for %s", describe(value)).isNotBlank();
            case Outcome.Retry retry -> throw new AssertionError("retry for " + describe(value));
            case Outcome.Skip skip -> throw new AssertionError("skip for " + describe(value));
        }
    }

    private static String describe(byte[] value) {
        StringBuilder hex = new StringBuilder();
        for (byte b : value) {
            hex.append(String.format("%02x", b));
        }
        return hex + " (" + new String(value, StandardCharsets.UTF_8) + ")";
    }
}
