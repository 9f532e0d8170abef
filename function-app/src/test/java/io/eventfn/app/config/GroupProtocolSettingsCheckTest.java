package io.eventfn.app.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class GroupProtocolSettingsCheckTest {

    @Test
    void namesTheVariableAndBothWaysOutWhenTheConsumerProtocolMeetsAClientSessionTimeout() {
        assertThatThrownBy(() -> verify(GroupProtocol.CONSUMER, Map.of("kafka.session.timeout.ms", "6000")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("KAFKA_SESSION_TIMEOUT_MS is set, but KAFKA_GROUP_PROTOCOL=consumer")
                .hasMessageContaining("group.consumer.session.timeout.ms")
                .hasMessageEndingWith("Remove KAFKA_SESSION_TIMEOUT_MS, or set KAFKA_GROUP_PROTOCOL=classic.");
    }

    @Test
    void rejectsTheHeartbeatIntervalAndTheAssignorOnTheChannelToo() {
        assertThatThrownBy(() -> verify(GroupProtocol.CONSUMER,
                Map.of("mp.messaging.incoming.input.heartbeat.interval.ms", "1000")))
                .hasMessageStartingWith("MP_MESSAGING_INCOMING_INPUT_HEARTBEAT_INTERVAL_MS is set")
                .hasMessageContaining("group.consumer.heartbeat.interval.ms");
        assertThatThrownBy(() -> verify(GroupProtocol.CONSUMER,
                Map.of("kafka.partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor")))
                .hasMessageStartingWith("KAFKA_PARTITION_ASSIGNMENT_STRATEGY is set")
                .hasMessageEndingWith("or set KAFKA_GROUP_PROTOCOL=classic.");
    }

    @Test
    void acceptsTheClassicTimingsWithTheClassicProtocol() {
        assertThatCode(() -> verify(GroupProtocol.CLASSIC, Map.of("kafka.session.timeout.ms", "6000",
                "kafka.heartbeat.interval.ms", "1000", "mp.messaging.incoming.input.partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"))).doesNotThrowAnyException();
    }

    @Test
    void rejectsARemoteAssignorWithTheClassicProtocol() {
        assertThatThrownBy(() -> verify(GroupProtocol.CLASSIC, Map.of("kafka.group.remote.assignor", "range")))
                .hasMessageStartingWith("KAFKA_GROUP_REMOTE_ASSIGNOR is set, but KAFKA_GROUP_PROTOCOL=classic")
                .hasMessageEndingWith("or set KAFKA_GROUP_PROTOCOL=consumer.");
    }

    private static void verify(GroupProtocol protocol, Map<String, String> properties) {
        GroupProtocolSettingsCheck.verify(protocol, property -> Optional.ofNullable(properties.get(property)));
    }
}
