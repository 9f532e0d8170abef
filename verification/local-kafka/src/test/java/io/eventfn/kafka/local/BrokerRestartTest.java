package io.eventfn.kafka.local;

import static io.eventfn.kafka.local.LocalKafkaBrokerTest.consumeAll;
import static io.eventfn.kafka.local.LocalKafkaBrokerTest.produce;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What fault-injection tests rely on: a broker taken away and brought back keeps its port and its data. */
class BrokerRestartTest {

    @RegisterExtension
    static final LocalKafkaBrokerExtension KAFKA = LocalKafkaBrokerExtension.plain();

    @Test
    void keepsPortTopicAndRecordsAcrossStopAndStart() throws Exception {
        KAFKA.broker().createTopic("survives-stop", 2);
        produce(KAFKA.broker(), "survives-stop", List.of("a", "b", "c"));
        String bootstrapServers = KAFKA.broker().bootstrapServers();
        long firstPid = KAFKA.broker().pid();

        KAFKA.broker().stop();
        assertThat(KAFKA.broker().isRunning()).isFalse();
        assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();

        KAFKA.broker().start();

        assertThat(KAFKA.broker().bootstrapServers()).isEqualTo(bootstrapServers);
        assertThat(KAFKA.broker().pid()).isNotEqualTo(firstPid);
        assertThat(consumeAll(KAFKA.broker(), "survives-stop", 3)).extracting(ConsumerRecord::value).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void keepsAcknowledgedRecordsAcrossKillAndRestart() throws Exception {
        KAFKA.broker().createTopic("survives-kill", 1);
        produce(KAFKA.broker(), "survives-kill", List.of("x", "y"));
        String bootstrapServers = KAFKA.broker().bootstrapServers();

        KAFKA.broker().kill();
        assertThat(KAFKA.broker().isRunning()).isFalse();

        KAFKA.broker().start();

        assertThat(KAFKA.broker().bootstrapServers()).isEqualTo(bootstrapServers);
        assertThat(consumeAll(KAFKA.broker(), "survives-kill", 2)).extracting(ConsumerRecord::value).containsExactly("x", "y");
    }
}
