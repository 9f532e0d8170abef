package io.eventfn.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerStartFailureTest {

    @Test
    void reportsBrokerLogLinesWhenItsPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, LoopbackPort.LOOPBACK);
             LocalKafkaBroker broker = LocalKafkaBroker.builder().port(taken.getLocalPort()).startTimeout(Duration.ofSeconds(45)).build()) {

            assertThatThrownBy(broker::start)
                    .isInstanceOf(BrokerStartException.class)
                    .hasMessageContaining("Last lines of " + broker.logFile())
                    .hasMessageContaining("Address already in use");
            assertThat(broker.isRunning()).isFalse();
        }
    }

    @Test
    void saysToBuildTheModuleWhenTheBrokerJarsAreMissing(@TempDir Path emptyDir) {
        System.setProperty(BrokerClasspath.KAFKA_LIBS_PROPERTY, emptyDir.toString());
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().build()) {
            assertThatThrownBy(broker::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(emptyDir.toString())
                    .hasMessageContaining("run ./mvnw package first");
        } finally {
            System.clearProperty(BrokerClasspath.KAFKA_LIBS_PROPERTY);
        }
    }
}
