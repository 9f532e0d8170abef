package io.eventfn.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import io.eventfn.kafka.local.ConsumerGroupLag;
import io.eventfn.kafka.local.LocalKafkaBroker;
import io.eventfn.scaling.HorizontalPodAutoscaler.Behavior;
import io.eventfn.scaling.HorizontalPodAutoscaler.PolicyType;
import io.eventfn.scaling.HorizontalPodAutoscaler.ScalingPolicy;
import io.eventfn.scaling.HorizontalPodAutoscaler.ScalingRules;
import io.eventfn.scaling.HorizontalPodAutoscaler.SelectPolicy;

/**
 * The documented long run (README): KEDA's real defaults (pollingInterval 30 s, cooldownPeriod 300 s), the HPA's 15 s
 * sync, the trigger and HPA behavior of deploy/base/scaledobject.yaml, Kafka's 3 s initial rebalance delay. About
 * 15 minutes; only with -Pscaling-long-run (or -Dscaling.long-run=true).
 */
class LongRunIT {

    private static final int PARTITIONS = 6;

    @Test
    void burstWithRealDefaultsScalesOutAndBackToZeroWithoutLossOrDuplicates() {
        assumeTrue(Boolean.getBoolean("scaling.long-run"), "long run not requested (-Pscaling-long-run)");
        String run = "long-" + UUID.randomUUID().toString().substring(0, 6);
        var behavior = new Behavior(
                new ScalingRules(Duration.ZERO, SelectPolicy.MAX, List.of(
                        new ScalingPolicy(PolicyType.PERCENT, 100, Duration.ofSeconds(15)),
                        new ScalingPolicy(PolicyType.PODS, 2, Duration.ofSeconds(15)))),
                new ScalingRules(Duration.ofSeconds(120), SelectPolicy.MIN, List.of(
                        new ScalingPolicy(PolicyType.PODS, 1, Duration.ofSeconds(30)))));
        var scaledObject = new ScaledObject(0, PARTITIONS, Duration.ofSeconds(30), Duration.ofSeconds(300),
                Duration.ofSeconds(15), KafkaTrigger.deployed(), behavior);
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder()
                .serverProperty("group.initial.rebalance.delay.ms", "3000").build()) {
            broker.start();
            broker.createTopic(run + "-orders", PARTITIONS);
            broker.createTopic(run + "-enriched", PARTITIONS);
            broker.createTopic(run + "-dlq", 1);
            try (var lag = ConsumerGroupLag.of(run + "-group", run + "-orders")
                    .connect(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
                    var simulator = new ScalingSimulator(scaledObject, lag, new ScalingSimulator.AppTemplate(
                            AppJar.copy("scaling.app.jar", "app"), List.of("-Xmx256m", "-XX:+UseSerialGC"),
                            Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                                    "KAFKA_GROUP_ID", run + "-group", "INPUT_TOPICS", run + "-orders",
                                    "OUTPUT_TOPIC", run + "-enriched", "DLQ_TOPIC", run + "-dlq"),
                            AppJar.workDir().resolve(run)))) {
                simulator.start();
                int records = 60_000;
                Instant first = OrderTraffic.produce(broker.bootstrapServers(), run + "-orders", run, 0, records, 0);
                await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(5))
                        .until(() -> simulator.instancesStarted() > 0 && simulator.replicas() == 0
                                && simulator.liveProcesses() == 0);
                var tally = OrderTraffic.readOutput(broker.bootstrapServers(), run + "-enriched", run,
                        Duration.ofMinutes(1));
                System.out.printf("[long-run] first produced -> first output %d ms, max replicas %d, steps:%n%s%n",
                        Duration.between(first, tally.firstOutput()).toMillis(), simulator.maxReplicasRunning(),
                        String.join("\n", simulator.history().stream().filter(s -> s.from() != s.to())
                                .map(Object::toString).toList()));
                assertThat(tally.distinct()).isEqualTo(records);
                assertThat(tally.duplicates()).isZero();
                assertThat(lag.read().partitions()).allSatisfy(p -> assertThat(p.committedOffset()).isEqualTo(p.endOffset()));
            }
        }
    }
}
