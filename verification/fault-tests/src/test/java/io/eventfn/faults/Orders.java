package io.eventfn.faults;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The input records of a run, all derived from the record's index so that any record can be rebuilt when its output
 * or dead letter is checked: no per-record state is kept besides where it was written.
 *
 * <p>Valid order {@code i}: orderId {@code <run>-k<i % keys>-<i>}, message key {@code <run>-k<i % keys>}. Records of one
 * message key share an input partition and are produced in index order, so the index is that key's sequence number.
 * Outputs are keyed by orderId and spread over the output partitions by it; for one input key, the outputs that land
 * in the same output partition must therefore appear there in increasing index order (see {@link OutputLedger}).
 */
final class Orders {

    /** What a record is made of. Every kind but VALID must be dead-lettered with the reason class given. */
    enum Kind {
        VALID(null),
        NOT_JSON("invalid-json"),
        EMPTY_VALUE("invalid-json"),
        TRAILING_GARBAGE("invalid-json"),
        INVALID_UTF8("invalid-encoding"),
        MISSING_ORDER_ID("invalid-field"),
        LOWERCASE_CURRENCY("invalid-field"),
        EMPTY_LINES("invalid-field"),
        ZERO_QUANTITY("invalid-field"),
        FRACTIONAL_QUANTITY("invalid-field"),
        NEGATIVE_UNIT_PRICE("invalid-field"),
        /**
         * A valid order whose output the output topic refuses (too large for its {@code max.message.bytes}); only in
         * {@link #sized} records, with {@code PROCESSOR=noop}, which emits every record unchanged.
         */
        OUTPUT_REFUSED("output-rejected");

        /** The kinds {@code poisonEvery} and bursts take in turn: those the order enricher must dead-letter. */
        private static final Kind[] POISON = { NOT_JSON, EMPTY_VALUE, TRAILING_GARBAGE, INVALID_UTF8, MISSING_ORDER_ID,
                LOWERCASE_CURRENCY, EMPTY_LINES, ZERO_QUANTITY, FRACTIONAL_QUANTITY, NEGATIVE_UNIT_PRICE };

        final String reasonClass;

        Kind(String reasonClass) {
            this.reasonClass = reasonClass;
        }
    }

    /** The header that pads a {@link Sized} record's headers. */
    static final String PADDING_HEADER = "fault-padding";

    /**
     * A record made to a size: a record of {@code kind} (VALID, OUTPUT_REFUSED or NOT_JSON) whose value is padded to
     * exactly {@code valueBytes}, with a header {@value #PADDING_HEADER} of {@code paddingHeaderBytes} bytes when that
     * is not 0.
     */
    record Sized(Kind kind, int valueBytes, int paddingHeaderBytes) {
    }

    private final String run;
    private final int keys;
    private final int poisonEvery;
    private final long burstStart;
    private final long burstLength;
    private final Map<Long, Sized> sized;

    /**
     * @param poisonEvery every n-th record is poison (0: none), the poison kinds taken in turn
     * @param burstStart  first index of a run of consecutive poison records, {@code burstLength} long
     */
    Orders(String run, int keys, int poisonEvery, long burstStart, long burstLength) {
        this(run, keys, poisonEvery, burstStart, burstLength, Map.of());
    }

    private Orders(String run, int keys, int poisonEvery, long burstStart, long burstLength, Map<Long, Sized> sized) {
        this.run = run;
        this.keys = keys;
        this.poisonEvery = poisonEvery;
        this.burstStart = burstStart;
        this.burstLength = burstLength;
        this.sized = Map.copyOf(sized);
    }

    /** These orders, with the records at the given indexes made to a size instead. */
    Orders withSized(Map<Long, Sized> sized) {
        return new Orders(run, keys, poisonEvery, burstStart, burstLength, sized);
    }

    /** The size a record was made to, or null. */
    Sized sized(long index) {
        return sized.get(index);
    }

    Orders(String run, int keys, int poisonEvery) {
        this(run, keys, poisonEvery, 0, 0);
    }

    String run() {
        return run;
    }

    int keys() {
        return keys;
    }

    Kind kind(long index) {
        Sized size = sized.get(index);
        if (size != null) {
            return size.kind();
        }
        if (index >= burstStart && index < burstStart + burstLength) {
            return Kind.POISON[(int) ((index - burstStart) % Kind.POISON.length)];
        }
        if (poisonEvery > 0 && index % poisonEvery == poisonEvery - 1) {
            return Kind.POISON[(int) ((index / poisonEvery) % Kind.POISON.length)];
        }
        return Kind.VALID;
    }

    int keyOf(long index) {
        return (int) (index % keys);
    }

    byte[] key(long index) {
        return utf8(run + "-k" + keyOf(index));
    }

    String orderId(long index) {
        return run + "-k" + keyOf(index) + "-" + index;
    }

    /** @return the index named by an output's orderId, or -1 when it is not an orderId of this run */
    long indexOf(String orderId) {
        int dash = orderId.lastIndexOf('-');
        if (!orderId.startsWith(run + "-k") || dash < 0) {
            return -1;
        }
        try {
            long index = Long.parseLong(orderId.substring(dash + 1));
            return orderId.equals(orderId(index)) ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    byte[] value(long index) {
        Sized size = sized.get(index);
        if (size != null) {
            return padded(index, size);
        }
        String orderId = orderId(index);
        String customerId = "c-k" + keyOf(index);
        int quantity = quantity(index);
        String price = money(unitPriceCents(index));
        return switch (kind(index)) {
            case VALID -> utf8(order(orderId, customerId, "EUR", line("S-" + index % 1000, quantity, price)));
            case NOT_JSON -> utf8("order " + orderId + " for " + customerId + ": not JSON {");
            case EMPTY_VALUE -> new byte[0];
            case TRAILING_GARBAGE -> utf8(order(orderId, customerId, "EUR", line("S-1", quantity, price)) + " ]");
            case INVALID_UTF8 -> {
                byte[] json = utf8(order(orderId, "c-??", "EUR", line("S-1", quantity, price)));
                int at = new String(json, StandardCharsets.ISO_8859_1).indexOf("c-??") + 2;
                json[at] = (byte) 0xFF; // 0xFF and 0xFE never occur in UTF-8
                json[at + 1] = (byte) 0xFE;
                yield json;
            }
            case MISSING_ORDER_ID -> utf8("{\"customerId\":\"" + customerId + "\",\"currency\":\"EUR\",\"lines\":["
                    + line("S-1", quantity, price) + "]}");
            case LOWERCASE_CURRENCY -> utf8(order(orderId, customerId, "eur", line("S-1", quantity, price)));
            case EMPTY_LINES -> utf8(order(orderId, customerId, "EUR", ""));
            case ZERO_QUANTITY -> utf8(order(orderId, customerId, "EUR", line("S-1", 0, price)));
            case FRACTIONAL_QUANTITY -> utf8(order(orderId, customerId, "EUR",
                    "{\"sku\":\"S-1\",\"quantity\":1.5,\"unitPrice\":" + price + "}"));
            case NEGATIVE_UNIT_PRICE -> utf8(order(orderId, customerId, "EUR", line("S-1", quantity, "-" + price)));
            case OUTPUT_REFUSED -> throw new IllegalStateException("only a sized record is " + kind(index));
        };
    }

    /** A record's value made to {@code size.valueBytes()}: a NOT_JSON text, or a valid order with a long "note". */
    private byte[] padded(long index, Sized size) {
        String start;
        String end;
        if (size.kind() == Kind.NOT_JSON) {
            start = "order " + orderId(index) + " for c-k" + keyOf(index) + ": not JSON {";
            end = "";
        } else {
            String order = order(orderId(index), "c-k" + keyOf(index), "EUR",
                    line("S-" + index % 1000, quantity(index), money(unitPriceCents(index))));
            start = order.substring(0, order.length() - 1) + ",\"note\":\"";
            end = "\"}";
        }
        int padding = size.valueBytes() - start.length() - end.length();
        if (padding < 0) {
            throw new IllegalArgumentException("record " + index + " cannot be made as small as " + size.valueBytes()
                    + " bytes");
        }
        return utf8(start + "x".repeat(padding) + end);
    }

    /** The padding header's value of record {@code index}, or null when it has none. */
    byte[] paddingHeader(long index) {
        Sized size = sized.get(index);
        return size == null || size.paddingHeaderBytes() == 0 ? null : new byte[size.paddingHeaderBytes()];
    }

    /** The orderId a record's value names ({@code "orderId":"..."}), or null: how an unchanged output is traced. */
    static String orderIdIn(byte[] value) {
        if (value == null) {
            return null;
        }
        String text = new String(value, 0, Math.min(value.length, 200), StandardCharsets.UTF_8);
        String field = "\"orderId\":\"";
        int from = text.indexOf(field);
        int to = from < 0 ? -1 : text.indexOf('"', from + field.length());
        return to < 0 ? null : text.substring(from + field.length(), to);
    }

    /** The enriched record the app must write for valid order {@code index}, byte for byte. */
    String expectedOutput(long index) {
        int quantity = quantity(index);
        return "{\"orderId\":\"" + orderId(index) + "\",\"customerId\":\"c-k" + keyOf(index)
                + "\",\"currency\":\"EUR\",\"lineCount\":1,\"totalQuantity\":" + quantity + ",\"total\":\""
                + money(quantity * unitPriceCents(index)) + "\"}";
    }

    private static int quantity(long index) {
        return 1 + (int) (index % 5);
    }

    private static long unitPriceCents(long index) {
        return 1 + index % 99_999;
    }

    private static String order(String orderId, String customerId, String currency, String lines) {
        return "{\"orderId\":\"" + orderId + "\",\"customerId\":\"" + customerId + "\",\"currency\":\"" + currency
                + "\",\"lines\":[" + lines + "]}";
    }

    private static String line(String sku, int quantity, String unitPrice) {
        return "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + ",\"unitPrice\":" + unitPrice + "}";
    }

    private static String money(long cents) {
        return cents / 100 + "." + (cents % 100 < 10 ? "0" : "") + cents % 100;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
