package io.eventfn.faults;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.eventfn.kafka.local.InvalidOrderKind;
import io.eventfn.kafka.local.Order;

/**
 * The input records of a run, built with the kit's {@link Order} and {@link InvalidOrderKind} and all derived from the
 * record's index so that any record can be rebuilt when its output or dead letter is checked: no per-record state is
 * kept besides where it was written.
 *
 * <p>Valid order {@code i}: orderId {@code <run>-k<i % keys>-<i>}, message key {@code <run>-k<i % keys>}. Records of one
 * message key share an input partition and are produced in index order, so the index is that key's sequence number.
 * Outputs are keyed by orderId and spread over the output partitions by it; for one input key, the outputs that land
 * in the same output partition must therefore appear there in increasing index order (see {@link OutputLedger}).
 */
final class Orders {

    /**
     * What a record is: a valid order, one broken in a way of the kit's {@link InvalidOrderKind}, or a valid order the
     * output topic refuses. Every kind but VALID must be dead-lettered with the reason class given.
     */
    record Kind(String name, String reasonClass) {

        static final Kind VALID = new Kind("VALID", null);
        static final Kind NOT_JSON = poison(InvalidOrderKind.NOT_JSON);
        /**
         * A valid order whose output the output topic refuses (too large for its {@code max.message.bytes}); only in
         * {@link Orders#sized} records, with {@code PROCESSOR=noop}, which emits every record unchanged.
         */
        static final Kind OUTPUT_REFUSED = new Kind("OUTPUT_REFUSED", "output-rejected");

        static Kind poison(InvalidOrderKind kind) {
            return new Kind(kind.name(), kind.reasonClass());
        }

        boolean isValid() {
            return equals(VALID);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The kinds {@code poisonEvery} and bursts take in turn. */
    private static final InvalidOrderKind[] POISON = { InvalidOrderKind.NOT_JSON, InvalidOrderKind.EMPTY_VALUE,
            InvalidOrderKind.TRAILING_GARBAGE, InvalidOrderKind.INVALID_UTF8, InvalidOrderKind.MISSING_ORDER_ID,
            InvalidOrderKind.LOWERCASE_CURRENCY, InvalidOrderKind.EMPTY_LINES, InvalidOrderKind.ZERO_QUANTITY,
            InvalidOrderKind.FRACTIONAL_QUANTITY, InvalidOrderKind.NEGATIVE_UNIT_PRICE };

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
        InvalidOrderKind poison = poison(index);
        return poison == null ? Kind.VALID : Kind.poison(poison);
    }

    /** How record {@code index} is broken, or null when it is valid (sized records aside). */
    private InvalidOrderKind poison(long index) {
        if (index >= burstStart && index < burstStart + burstLength) {
            return POISON[(int) ((index - burstStart) % POISON.length)];
        }
        if (poisonEvery > 0 && index % poisonEvery == poisonEvery - 1) {
            return POISON[(int) ((index / poisonEvery) % POISON.length)];
        }
        return null;
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
        InvalidOrderKind poison = poison(index);
        return poison == null ? validOrder(index).bytes() : poison.payload(order(index, "S-1"));
    }

    /** Valid order {@code index}: one line of its own SKU. */
    private Order validOrder(long index) {
        return order(index, "S-" + index % 1000);
    }

    private Order order(long index, String sku) {
        return new Order(orderId(index), "c-k" + keyOf(index), "EUR",
                List.of(new Order.Line(sku, quantity(index), unitPriceCents(index))));
    }

    /** A record's value made to {@code size.valueBytes()}: a NOT_JSON text, or a valid order with a long "note". */
    private byte[] padded(long index, Sized size) {
        String start;
        String end;
        if (size.kind().equals(Kind.NOT_JSON)) {
            start = new String(InvalidOrderKind.NOT_JSON.payload(order(index, "S-1")), StandardCharsets.UTF_8);
            end = "";
        } else {
            String order = validOrder(index).json();
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
                + Order.money(quantity * unitPriceCents(index)) + "\"}";
    }

    private static int quantity(long index) {
        return 1 + (int) (index % 5);
    }

    private static long unitPriceCents(long index) {
        return 1 + index % 99_999;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
