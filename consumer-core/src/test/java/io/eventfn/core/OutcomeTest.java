package io.eventfn.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeTest {

    private static final byte[] KEY = {1};
    private static final byte[] VALUE = {2};

    @Test
    void emitOfOneRecordWrapsItInAList() {
        OutboundRecord record = new OutboundRecord(KEY, VALUE);

        assertThat(Outcome.emit(record)).isEqualTo(new Outcome.Emit(List.of(record)));
    }

    @Test
    void refusesAnEmitWithoutRecords() {
        assertThatThrownBy(() -> new Outcome.Emit(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Skip");
    }

    @Test
    void refusesARejectWithoutAReasonClass() {
        assertThatThrownBy(() -> new Outcome.Reject(" ", "why")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Outcome.Reject(null, "why")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void recordsKeepTheirOwnCopyOfHeaderLists() {
        List<Header> headers = new ArrayList<>(List.of(new Header("trace", VALUE)));
        InboundRecord inbound = new InboundRecord("orders", 0, 7L, -1L, KEY, VALUE, headers);
        OutboundRecord outbound = new OutboundRecord(KEY, VALUE, headers);

        headers.clear();

        assertThat(inbound.headers()).hasSize(1);
        assertThat(outbound.headers()).hasSize(1);
    }

    @Test
    void aNullValueIsATombstone() {
        assertThat(new InboundRecord("orders", 0, 0L, -1L, KEY, null, List.of()).isTombstone()).isTrue();
        assertThat(new InboundRecord("orders", 0, 0L, -1L, KEY, VALUE, List.of()).isTombstone()).isFalse();
    }

    @Test
    void aSwitchOverOutcomesNeedsNoDefaultBranch() {
        List<Outcome> outcomes = List.of(
                Outcome.emit(new OutboundRecord(KEY, VALUE)),
                new Outcome.Reject("invalid-json", "value is not valid JSON"),
                new Outcome.Retry("database unavailable"),
                new Outcome.Skip("tombstone"));

        // Compiles only because Outcome is sealed: the adapter's switch is checked for exhaustiveness.
        List<String> actions = outcomes.stream()
                .map(outcome -> switch (outcome) {
                    case Outcome.Emit emit -> "emit " + emit.records().size();
                    case Outcome.Reject reject -> "dead-letter " + reject.reasonClass();
                    case Outcome.Retry retry -> "retry";
                    case Outcome.Skip skip -> "skip " + skip.reason();
                })
                .toList();

        assertThat(actions).containsExactly("emit 1", "dead-letter invalid-json", "retry", "skip tombstone");
    }
}
