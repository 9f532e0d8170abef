package io.eventfn.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NoOpProcessorTest {

    private final RecordProcessor processor = new NoOpProcessor();

    @Test
    void emitsTheKeyAndValueUnchanged() {
        byte[] key = {1, 2};
        byte[] value = {3, 4, 5};
        InboundRecord record = new InboundRecord("in", 3, 42L, 1_700_000_000_000L, key, value,
                List.of(new Header("trace", new byte[] {9})));

        Outcome outcome = processor.process(record);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Emit.class, emit -> {
            assertThat(emit.records()).hasSize(1);
            OutboundRecord out = emit.records().getFirst();
            assertThat(out.key()).isSameAs(key);
            assertThat(out.value()).isSameAs(value);
            assertThat(out.headers()).isEmpty();
        });
    }

    @Test
    void emitsATombstoneAsATombstone() {
        Outcome outcome = processor.process(new InboundRecord("in", 0, 0L, -1L, new byte[] {1}, null, List.of()));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Emit.class,
                emit -> assertThat(emit.records().getFirst().value()).isNull());
    }
}
