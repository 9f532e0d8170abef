package io.eventfn.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

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
    void consumerGroupTimingsSetTheBrokerSideSessionAndHeartbeatAndWidenTheirBounds() {
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder()
                .consumerGroupTimings(Duration.ofSeconds(6), Duration.ofSeconds(1)).build()) {
            assertThat(broker.serverProperties())
                    .containsEntry("group.consumer.session.timeout.ms", "6000")
                    .containsEntry("group.consumer.min.session.timeout.ms", "6000")
                    .containsEntry("group.consumer.max.session.timeout.ms", "60000")
                    .containsEntry("group.consumer.heartbeat.interval.ms", "1000")
                    .containsEntry("group.consumer.min.heartbeat.interval.ms", "1000")
                    .containsEntry("group.consumer.max.heartbeat.interval.ms", "15000");
        }
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder()
                .consumerGroupTimings(Duration.ofSeconds(90), Duration.ofSeconds(20)).build()) {
            assertThat(broker.serverProperties())
                    .containsEntry("group.consumer.min.session.timeout.ms", "45000")
                    .containsEntry("group.consumer.max.session.timeout.ms", "90000")
                    .containsEntry("group.consumer.min.heartbeat.interval.ms", "5000")
                    .containsEntry("group.consumer.max.heartbeat.interval.ms", "20000");
        }
    }

    @Test
    void rejectsConsumerGroupTimingsTheBrokerWouldRefuse() {
        assertThatThrownBy(() -> LocalKafkaBroker.builder()
                .consumerGroupTimings(Duration.ofSeconds(6), Duration.ofSeconds(6)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group.consumer.heartbeat.interval.ms < group.consumer.session.timeout.ms");
        assertThatThrownBy(() -> LocalKafkaBroker.builder()
                .consumerGroupTimings(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sessionTimeout");
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
