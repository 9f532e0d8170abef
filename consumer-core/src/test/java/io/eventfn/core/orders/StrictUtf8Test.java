package io.eventfn.core.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written validator agrees with the JDK's strict UTF-8 decoder. */
class StrictUtf8Test {

    @Test
    void acceptsEveryWellFormedSequenceLength() {
        byte[] text = "a é € 😀 \u0000 \uFFFF \uD7FF \uE000 \uDBFF\uDFFF".getBytes(StandardCharsets.UTF_8);

        assertThat(StrictUtf8.indexOfMalformed(text)).isEqualTo(-1);
        assertThat(StrictUtf8.indexOfMalformed(new byte[0])).isEqualTo(-1);
    }

    @Test
    void pointsAtTheFirstMalformedSequence() {
        assertThat(StrictUtf8.indexOfMalformed(new byte[] {'a', 'b', (byte) 0xC3, 0x28})).isEqualTo(2);
        assertThat(StrictUtf8.indexOfMalformed(new byte[] {'a', (byte) 0xC0, (byte) 0xAF})).isEqualTo(1);
        assertThat(StrictUtf8.indexOfMalformed(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isEqualTo(0);
        assertThat(StrictUtf8.indexOfMalformed(new byte[] {'a', (byte) 0xE2, (byte) 0x82})).isEqualTo(1);
    }

    @Test
    void agreesWithTheJdkOnEveryOneAndTwoByteInput() {
        for (int first = 0; first < 256; first++) {
            assertAgreesWithJdk(new byte[] {(byte) first});
            for (int second = 0; second < 256; second++) {
                assertAgreesWithJdk(new byte[] {(byte) first, (byte) second});
            }
        }
    }

    @Test
    void agreesWithTheJdkOnEveryThreeByteLeadAndSecondByte() {
        for (int lead = 0xE0; lead <= 0xEF; lead++) {
            for (int second = 0; second < 256; second++) {
                for (int third : new int[] {0x7F, 0x80, 0xBF, 0xC0}) { // the edges of the continuation range
                    assertAgreesWithJdk(new byte[] {(byte) lead, (byte) second, (byte) third});
                }
            }
        }
    }

    @Test
    void agreesWithTheJdkOnRandomMultiByteInput() {
        Random random = new Random(3L);
        for (int i = 0; i < 30_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(8)];
            for (int j = 0; j < bytes.length; j++) {
                // Mostly bytes at or above 0x80, where the interesting cases are.
                bytes[j] = (byte) (random.nextInt(4) == 0 ? random.nextInt(0x80) : 0x80 + random.nextInt(0x80));
            }
            assertAgreesWithJdk(bytes);
        }
    }

    private static void assertAgreesWithJdk(byte[] bytes) {
        assertThat(StrictUtf8.indexOfMalformed(bytes) == -1)
                .as("valid UTF-8: %s", HexFormat.ofDelimiter(" ").formatHex(bytes))
                .isEqualTo(jdkDecodes(bytes));
    }

    private static boolean jdkDecodes(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
