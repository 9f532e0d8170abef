package io.eventfn.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class KedaScaleExecutorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static KedaScaleExecutor executor(int min) {
        return new KedaScaleExecutor(new ScaledObject(min, 6, Duration.ofSeconds(30), Duration.ofSeconds(300),
                Duration.ofSeconds(15), KafkaTrigger.of(1000, 0, KafkaTrigger.OffsetResetPolicy.EARLIEST), HorizontalPodAutoscaler.Behavior.kubernetesDefaults()));
    }

    @Test
    void activeTriggerWakesATargetAtZeroToOneReplica() {
        assertThat(executor(0).requestScale(0, true, T0)).isEqualTo(1);
        assertThat(executor(2).requestScale(0, true, T0)).isEqualTo(2);
    }

    @Test
    void idleTargetStaysAtZero() {
        assertThat(executor(0).requestScale(0, false, T0)).isZero();
    }

    @Test
    void scalesToZeroOnlyAfterCooldownSinceTheLastActivePoll() {
        KedaScaleExecutor keda = executor(0);
        keda.requestScale(0, true, T0);
        assertThat(keda.requestScale(3, true, T0.plusSeconds(60))).isEqualTo(3);
        assertThat(keda.requestScale(3, false, T0.plusSeconds(90))).isEqualTo(3);
        assertThat(keda.requestScale(3, false, T0.plusSeconds(360))).isEqualTo(3); // exactly cooldown: not yet
        assertThat(keda.requestScale(3, false, T0.plusSeconds(361))).isZero(); // N -> 0 directly
    }

    @Test
    void neverScalesBelowMinReplicaCount() {
        assertThat(executor(1).requestScale(1, false, T0.plusSeconds(10_000))).isEqualTo(1);
        assertThat(executor(0).requestScale(4, true, T0)).isEqualTo(4); // between 1 and N is the HPA's business
    }
}
