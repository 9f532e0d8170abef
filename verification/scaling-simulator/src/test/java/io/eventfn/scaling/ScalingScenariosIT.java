package io.eventfn.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.eventfn.kafka.local.ConsumerGroupLag;
import io.eventfn.kafka.local.LocalKafkaBrokerExtension;
import io.eventfn.kafka.local.OrderTraffic;

/**
 * KEDA + HPA (modelled) scaling real app processes on a real KAFKA.broker(), with intervals of seconds instead of KEDA's
 * 30 s / 300 s. One broker for the class; each scenario its own topics and group.
 */
class ScalingScenariosIT {

    private static final int PARTITIONS = 3;
    // The app's default group protocol (consumer, KIP-848) takes these from the KAFKA.broker(): a member gone without leaving
    // holds its partitions 6 s, not 45; a member learns within 1 s, not 5, that partitions move.
    @RegisterExtension
    static final LocalKafkaBrokerExtension KAFKA = LocalKafkaBrokerExtension.with(
            builder -> builder.consumerGroupTimings(Duration.ofSeconds(6), Duration.ofSeconds(1)));

    /** A scenario's topics, group and simulator; closes the simulator (every app process) whatever happened. */
    private record Scenario(String run, ScalingSimulator simulator, ConsumerGroupLag lag) implements AutoCloseable {

        String input() {
            return run + "-orders";
        }

        String output() {
            return run + "-enriched";
        }

        @Override
        public void close() {
            simulator.close();
            lag.close();
        }
    }

    private static Scenario scenario(String name, String guarantee) {
        String run = name + "-" + UUID.randomUUID().toString().substring(0, 6);
        KAFKA.broker().createTopic(run + "-orders", PARTITIONS);
        KAFKA.broker().createTopic(run + "-enriched", PARTITIONS);
        KAFKA.broker().createTopic(run + "-dlq", 1);
        ScaledObject scaledObject = new ScaledObject(0, PARTITIONS, Duration.ofSeconds(1), Duration.ofSeconds(8),
                Duration.ofSeconds(1), new KafkaTrigger(50, 0, KafkaTrigger.OffsetResetPolicy.EARLIEST, false, false,
                        false, false),
                HorizontalPodAutoscaler.Behavior.withScaleDownWindow(Duration.ofSeconds(4)));
        ConsumerGroupLag lag = ConsumerGroupLag.of(run + "-group", run + "-orders")
                .connect(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers()));
        var template = new ScalingSimulator.AppTemplate(AppJar.copy("scaling.app.jar", "app"),
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", KAFKA.broker().bootstrapServers(),
                        "KAFKA_GROUP_ID", run + "-group",
                        "INPUT_TOPICS", run + "-orders",
                        "OUTPUT_TOPIC", run + "-enriched",
                        "DLQ_TOPIC", run + "-dlq",
                        "PROCESSING_GUARANTEE", guarantee),
                AppJar.workDir().resolve(run));
        return new Scenario(run, new ScalingSimulator(scaledObject, lag, template), lag);
    }

    @Test
    void idleGroupStaysAtZeroReplicas() {
        try (Scenario s = scenario("idle", "at-least-once")) {
            s.simulator().start();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> s.simulator().history().stream().filter(step -> step.actor().equals("keda")).count() >= 4);
            assertThat(s.simulator().instancesStarted()).as("app processes started for an empty topic").isZero();
            assertThat(s.simulator().history()).allSatisfy(step -> assertThat(step.to()).isZero());
        }
    }

    @Test
    void burstScalesFromZeroToPartitionsAndBackToZeroWithoutLossOrDuplicates() {
        try (Scenario s = scenario("burst", "at-least-once")) {
            s.simulator().start();
            int records = 3_000;
            Instant firstProduced = OrderTraffic.produce(KAFKA.broker().bootstrapServers(), s.input(), s.run(), 0, records, 0);
            await("scale-out to more than one replica").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200)).until(() -> s.simulator().maxReplicasRunning() > 1);
            awaitScaledToZero(s, Duration.ofSeconds(120));

            assertThat(s.lag().read().partitions()).allSatisfy(p -> assertThat(p.committedOffset()).isEqualTo(p.endOffset()));
            var tally = OrderTraffic.readOutput(KAFKA.broker().bootstrapServers(), s.output(), s.run(), Duration.ofSeconds(30));
            assertThat(tally.distinct()).as("distinct orderIds out").isEqualTo(records);
            assertThat(tally.duplicates()).as("duplicate orderIds out").isZero();
            assertThat(s.simulator().maxReplicasRunning()).isBetween(2, PARTITIONS);
            System.out.printf("[burst] first produced -> first output from zero replicas: %d ms; first process start "
                    + "-> first output: %d ms; max replicas %d; steps:%n%s%n",
                    Duration.between(firstProduced, tally.firstOutput()).toMillis(),
                    Duration.between(s.simulator().firstInstanceStarted(), tally.firstOutput()).toMillis(),
                    s.simulator().maxReplicasRunning(), changes(s.simulator()));
        }
    }

    @Test
    void transactionalInputScalesBackToZeroWithLagExactlyZero() {
        try (Scenario s = scenario("tx", "at-least-once")) {
            s.simulator().start();
            OrderTraffic.produce(KAFKA.broker().bootstrapServers(), s.input(), s.run(), 0, 400, 40);
            await("scale from zero").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> s.simulator().instancesStarted() > 0);
            awaitScaledToZero(s, Duration.ofSeconds(90));

            assertThat(s.lag().read().partitions()).as("committed past the last commit marker on every partition")
                    .allSatisfy(p -> assertThat(p.committedOffset()).isEqualTo(p.endOffset()));
            var tally = OrderTraffic.readOutput(KAFKA.broker().bootstrapServers(), s.output(), s.run(), Duration.ofSeconds(30));
            assertThat(tally.distinct()).isEqualTo(400);
            assertThat(tally.duplicates()).isZero();
        }
    }

    private static void awaitScaledToZero(Scenario s, Duration atMost) {
        try {
            await("scale back to zero, every process exited").atMost(atMost).pollInterval(Duration.ofMillis(500))
                    .until(() -> s.simulator().replicas() == 0 && s.simulator().liveProcesses() == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder logs = new StringBuilder();
            s.simulator().instances().forEach(i -> logs.append("\n--- ").append(i).append('\n').append(i.logTail(20)));
            throw new AssertionError("not back at zero; steps:\n" + changes(s.simulator()) + logs, e);
        }
    }

    private static String changes(ScalingSimulator simulator) {
        return String.join("\n", simulator.history().stream()
                .filter(step -> step.from() != step.to()).map(Object::toString).toList());
    }

}
