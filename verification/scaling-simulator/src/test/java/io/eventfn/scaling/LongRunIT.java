package io.eventfn.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import io.eventfn.deploy.Kustomize;
import io.eventfn.kafka.local.ConsumerGroupLag;
import io.eventfn.kafka.local.LocalKafkaBroker;
import io.eventfn.kafka.local.OrderTraffic;

/**
 * The documented long run (README): the ScaledObject exactly as deploy/ ships it (read from the rendered overlays:
 * trigger, pollingInterval, cooldownPeriod, replica bounds, HPA behavior), the HPA's 15 s sync, Kafka's 3 s initial
 * rebalance delay, the input topic with the partition count the manifest declares, the app with the Deployment's
 * settings. One burst from zero, back to zero. Minutes, not seconds; only with -Pscaling-long-run (or
 * -Dscaling.long-run=true). Appends what it measured to LONG-RUN.md (system property {@code long-run.results}).
 */
class LongRunIT {

    /** kube-controller-manager's default {@code --horizontal-pod-autoscaler-sync-period}; no manifest sets it. */
    private static final Duration HPA_SYNC_PERIOD = Duration.ofSeconds(15);
    /** Kafka's default {@code group.initial.rebalance.delay.ms} (the local broker sets 0 unless told). */
    private static final String INITIAL_REBALANCE_DELAY_MS = "3000";
    /**
     * One burst, large enough that one replica (about 10,000 orders/s on the JVM here) is still busy when the HPA first
     * syncs, so the HPA's scale-out is exercised; 60,000 were gone before the HPA's first look.
     */
    private static final int RECORDS = 600_000;
    /** Record keys (customers): enough that every partition gets records, so limitToPartitionsWithLag caps at all. */
    private static final int KEYS = 64;
    private static final List<String> APP_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC");

    @Test
    void burstWithTheDeployedScaledObjectScalesOutAndBackToZeroWithoutLossOrDuplicates() {
        assumeTrue(Boolean.getBoolean("scaling.long-run"), "long run not requested (-Pscaling-long-run)");
        Instant testStarted = Instant.now();
        assumeTrue(Kustomize.find().isPresent(), Kustomize.notFound());
        DeployedScaledObject deployed = DeployedScaledObject.read(HPA_SYNC_PERIOD);
        Map<String, Duration> overrides = whatIfOverrides();
        ScaledObject shipped = deployed.scaledObject();
        ScaledObject scaledObject = new ScaledObject(shipped.minReplicaCount(), shipped.maxReplicaCount(),
                overrides.getOrDefault("pollingInterval", shipped.pollingInterval()),
                overrides.getOrDefault("cooldownPeriod", shipped.cooldownPeriod()), shipped.hpaSyncPeriod(),
                shipped.trigger(), shipped.behavior());
        int partitions = deployed.inputTopicPartitions();
        String run = "long-" + UUID.randomUUID().toString().substring(0, 6);
        var report = new LongRunReport(deployed, scaledObject, overrides, RECORDS, KEYS, INITIAL_REBALANCE_DELAY_MS,
                APP_JVM_OPTIONS);

        try (LocalKafkaBroker broker = LocalKafkaBroker.builder()
                .serverProperty("group.initial.rebalance.delay.ms", INITIAL_REBALANCE_DELAY_MS).build()) {
            broker.start();
            broker.createTopic(run + "-orders", partitions);
            broker.createTopic(run + "-enriched", partitions);
            broker.createTopic(run + "-dlq", 1);
            Map<String, String> environment = new HashMap<>(deployed.appEnvironment());
            environment.putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "KAFKA_GROUP_ID", run + "-group", "INPUT_TOPICS", run + "-orders",
                    "OUTPUT_TOPIC", run + "-enriched", "DLQ_TOPIC", run + "-dlq"));
            try (var lag = ConsumerGroupLag.of(run + "-group", run + "-orders")
                    .connect(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
                    var simulator = new ScalingSimulator(scaledObject, lag, new ScalingSimulator.AppTemplate(
                            AppJar.copy("scaling.app.jar", "app"), APP_JVM_OPTIONS, environment,
                            AppJar.workDir().resolve(run)))) {
                simulator.start();
                // The burst starts right after an idle KEDA poll: the worst case of the polling interval.
                await("KEDA's first poll of the idle group").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> simulator.history().stream().anyMatch(s -> s.actor().equals("keda")));
                Instant firstProduced = OrderTraffic.produce(broker.bootstrapServers(), run + "-orders", run, 0,
                        RECORDS, 0, KEYS);
                report.produced(firstProduced, Instant.now());
                try {
                    await("back to zero replicas, every process exited").atMost(deadline(scaledObject))
                            .pollInterval(Duration.ofSeconds(1))
                            .until(() -> simulator.instancesStarted() > 0 && simulator.replicas() == 0
                                    && simulator.liveProcesses() == 0);
                } catch (ConditionTimeoutException e) {
                    report.notBackAtZero(simulator, testStarted, resultsFile());
                    StringBuilder logs = new StringBuilder();
                    simulator.instances().forEach(i -> logs.append("\n--- ").append(i).append('\n').append(i.logTail(20)));
                    throw new AssertionError("not back at zero within " + deadline(scaledObject) + "; steps:\n"
                            + report.changes(simulator.history()) + logs, e);
                }
                report.backAtZero(Instant.now());
                var tally = OrderTraffic.readOutput(broker.bootstrapServers(), run + "-enriched", run,
                        Duration.ofMinutes(3));
                ConsumerGroupLag.Snapshot finalLag = lag.read();
                report.finished(simulator, tally, finalLag, testStarted, Instant.now());
                System.out.println("[long-run]\n" + report.section());
                report.appendTo(resultsFile());

                assertThat(tally.distinct()).as("distinct orderIds on the output").isEqualTo(RECORDS);
                assertThat(tally.duplicates()).as("duplicate orderIds on the output").isZero();
                assertThat(finalLag.partitions()).as("committed == latest on every partition (lag exactly 0)")
                        .hasSize(partitions)
                        .allSatisfy(p -> assertThat(p.committedOffset()).isEqualTo(p.endOffset()));
                assertThat(simulator.replicas()).as("replicas at the end").isZero();
                assertThat(simulator.liveProcesses()).as("app processes alive at the end").isZero();
                assertThat(LongRunReport.longestRunOfFailedReadings(simulator.history()))
                        .as("failed lag readings in a row (from fallback.failureThreshold on, KEDA's fallback would act,"
                                + " which the simulator does not model)")
                        .isLessThan(deployed.fallbackFailureThreshold());
            }
        }
    }

    /**
     * What-if runs: {@code -Dlong-run.polling-interval=30 -Dlong-run.cooldown-period=300} (seconds; KEDA's defaults)
     * instead of what deploy/ ships; the results file marks such a run as a what-if.
     */
    private static Map<String, Duration> whatIfOverrides() {
        Map<String, Duration> overrides = new TreeMap<>();
        Map.of("pollingInterval", "long-run.polling-interval", "cooldownPeriod", "long-run.cooldown-period")
                .forEach((field, property) -> {
                    String value = System.getProperty(property, "").trim();
                    if (!value.isEmpty()) {
                        overrides.put(field, Duration.ofSeconds(Long.parseLong(value)));
                    }
                });
        return overrides;
    }

    /** Generous: wake-up, a burst of minutes, the scale-down window and cooldown, plus slack for a busy machine. */
    private static Duration deadline(ScaledObject scaledObject) {
        return scaledObject.pollingInterval().multipliedBy(2)
                .plus(scaledObject.cooldownPeriod())
                .plus(scaledObject.behavior().scaleDown().stabilizationWindow())
                .plus(Duration.ofMinutes(15));
    }

    private static Path resultsFile() {
        return Path.of(System.getProperty("long-run.results", "LONG-RUN.md"));
    }
}
