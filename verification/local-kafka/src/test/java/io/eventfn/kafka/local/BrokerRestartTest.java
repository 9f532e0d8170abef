package io.eventfn.kafka.local;

import static io.eventfn.kafka.local.LocalKafkaBrokerTest.consumeAll;
import static io.eventfn.kafka.local.LocalKafkaBrokerTest.produce;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What fault-injection tests rely on: a broker taken away and brought back keeps its port and its data. */
class BrokerRestartTest {

    private static LocalKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = LocalKafkaBroker.builder().build();
        broker.start();
    }

    @AfterAll
    static void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void keepsPortTopicAndRecordsAcrossStopAndStart() throws Exception {
        broker.createTopic("survives-stop", 2);
        produce(broker, "survives-stop", List.of("a", "b", "c"));
        String bootstrapServers = broker.bootstrapServers();
        long firstPid = broker.pid();

        broker.stop();
        assertThat(broker.isRunning()).isFalse();
        assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();

        broker.start();

        assertThat(broker.bootstrapServers()).isEqualTo(bootstrapServers);
        assertThat(broker.pid()).isNotEqualTo(firstPid);
        assertThat(consumeAll(broker, "survives-stop", 3)).extracting(ConsumerRecord::value).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void keepsAcknowledgedRecordsAcrossKillAndRestart() throws Exception {
        broker.createTopic("survives-kill", 1);
        produce(broker, "survives-kill", List.of("x", "y"));
        String bootstrapServers = broker.bootstrapServers();

        broker.kill();
        assertThat(broker.isRunning()).isFalse();

        broker.start();

        assertThat(broker.bootstrapServers()).isEqualTo(bootstrapServers);
        assertThat(consumeAll(broker, "survives-kill", 2)).extracting(ConsumerRecord::value).containsExactly("x", "y");
    }
}
