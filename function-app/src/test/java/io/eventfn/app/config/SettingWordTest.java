package io.eventfn.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SettingWordTest {

    @Test
    void readsEachWordAsWritten() {
        assertThat(SettingWord.parse(GroupProtocol.values(), "classic", "KAFKA_GROUP_PROTOCOL"))
                .isEqualTo(GroupProtocol.CLASSIC);
        assertThat(SettingWord.parse(ProcessingGuarantee.values(), "exactly-once", "PROCESSING_GUARANTEE"))
                .isEqualTo(ProcessingGuarantee.EXACTLY_ONCE);
        assertThat(SettingWord.parse(ProcessorChoice.values(), "noop", "PROCESSOR")).isEqualTo(ProcessorChoice.NOOP);
    }

    /** application.properties picks per-word tuning with the value as written, so only the words as written work. */
    @Test
    void refusesOtherCasesAndBlanksNamingTheVariableTheValueAndTheWords() {
        assertThatThrownBy(() -> SettingWord.parse(GroupProtocol.values(), "CLASSIC", "KAFKA_GROUP_PROTOCOL"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("KAFKA_GROUP_PROTOCOL='CLASSIC' is not supported: set it to consumer (the default) or classic.");
        assertThatThrownBy(() -> SettingWord.parse(ProcessingGuarantee.values(), " exactly-once", "PROCESSING_GUARANTEE"))
                .hasMessage("PROCESSING_GUARANTEE=' exactly-once' is not supported: set it to at-least-once (the default)"
                        + " or exactly-once.");
    }
}
