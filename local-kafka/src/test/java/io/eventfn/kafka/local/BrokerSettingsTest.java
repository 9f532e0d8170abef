package io.eventfn.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The broker's configuration, checked without starting it. */
class BrokerSettingsTest {

    @Test
    void defaultsSuitTestsOnOneLoopbackNode() {
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().port(19092).controllerPort(19093).build()) {
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:19092");
            assertThat(broker.serverProperties())
                    .containsEntry("listeners", "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093")
                    .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:19092")
                    .containsEntry("process.roles", "broker,controller")
                    .containsEntry("group.initial.rebalance.delay.ms", "0")
                    .containsEntry("offsets.topic.replication.factor", "1")
                    .containsEntry("transaction.state.log.replication.factor", "1")
                    .containsEntry("transaction.state.log.min.isr", "1")
                    .containsEntry("auto.create.topics.enable", "false")
                    .containsEntry("num.partitions", "1");
        }
    }

    @Test
    void serverPropertiesOverrideTheDefaults() {
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder()
                .serverProperty("group.initial.rebalance.delay.ms", "3000")
                .serverProperty("log.retention.ms", "60000")
                .build()) {
            assertThat(broker.serverProperties())
                    .containsEntry("group.initial.rebalance.delay.ms", "3000")
                    .containsEntry("log.retention.ms", "60000");
        }
    }

    @Test
    void closeDeletesTheTempDataDirItCreated() {
        LocalKafkaBroker broker = LocalKafkaBroker.builder().build();
        assertThat(broker.dataDir()).isDirectory();

        broker.close();

        assertThat(broker.dataDir()).doesNotExist();
        assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void rejectsAHeapSizeTheJvmWouldNotAccept() {
        assertThatThrownBy(() -> LocalKafkaBroker.builder().maxHeap("1 GB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxHeap");
    }
}
