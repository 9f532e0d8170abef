package io.eventfn.core.orders;

/**
 * Strict UTF-8 validation after the Unicode standard's table of well-formed byte sequences (Table 3-7):
 * no overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequences.
 *
 * <p>Hand-written rather than a {@code CharsetDecoder} because it only checks the bytes: it decodes nothing
 * and allocates nothing, which matters at one call per record.
 */
final class StrictUtf8 {

    private StrictUtf8() {
    }

    /** The offset of the first byte that does not start a well-formed sequence, or -1 if all bytes are well-formed. */
    static int indexOfMalformed(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            if (bytes[i] >= 0) {
                i++; // ASCII: the common case
                continue;
            }
            int length = wellFormedSequenceLength(bytes, i);
            if (length == 0) {
                return i;
            }
            i += length;
        }
        return -1;
    }

    /** The length of the well-formed multi-byte sequence starting at {@code start}, or 0 if it is malformed. */
    private static int wellFormedSequenceLength(byte[] bytes, int start) {
        int lead = bytes[start] & 0xFF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            return inRange(bytes, start + 1, 0x80, 0xBF) ? 2 : 0;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            int min = lead == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
            int max = lead == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
            return inRange(bytes, start + 1, min, max)
                    && inRange(bytes, start + 2, 0x80, 0xBF) ? 3 : 0;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            int min = lead == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
            int max = lead == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
            return inRange(bytes, start + 1, min, max)
                    && inRange(bytes, start + 2, 0x80, 0xBF)
                    && inRange(bytes, start + 3, 0x80, 0xBF) ? 4 : 0;
        }
        return 0; // 80..C1 (continuation bytes, overlong leads) and F5..FF never start a sequence
    }

    private static boolean inRange(byte[] bytes, int index, int min, int max) {
        if (index >= bytes.length) {
            return false;
        }
        int b = bytes[index] & 0xFF;
        return b >= min && b <= max;
    }
}
