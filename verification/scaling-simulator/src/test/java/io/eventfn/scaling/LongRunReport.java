package io.eventfn.scaling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.eventfn.kafka.local.ConsumerGroupLag;
import io.eventfn.kafka.local.MachineLoad;
import io.eventfn.kafka.local.OrderTally;
import io.eventfn.scaling.HorizontalPodAutoscaler.ScalingRules;
import io.eventfn.scaling.ScalingSimulator.Step;

/**
 * What one long run measured, as a dated Markdown section for LONG-RUN.md: machine, settings (with where each comes
 * from), the latencies of each scaling phase measured from the first produced record, and every scaling step.
 */
final class LongRunReport {

    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final DeployedScaledObject deployed;
    private final ScaledObject scaledObject;
    private final Map<String, Duration> overrides;
    private final int records;
    private final int keys;
    private final String initialRebalanceDelayMs;
    private final List<String> appJvmOptions;
    private final double loadAtStart = MachineLoad.loadAverage();
    private Instant firstProduced;
    private Instant lastProduced;
    private Instant backAtZero;
    private String body = "";
    private String outcome = "";

    /**
     * @param scaledObject what the run used: deploy/'s, but for {@code overrides} (what-if runs)
     * @param overrides    ScaledObject fields set by the command line instead of deploy/, by name
     */
    LongRunReport(DeployedScaledObject deployed, ScaledObject scaledObject, Map<String, Duration> overrides, int records,
            int keys, String initialRebalanceDelayMs, List<String> appJvmOptions) {
        this.deployed = deployed;
        this.scaledObject = scaledObject;
        this.overrides = Map.copyOf(overrides);
        this.records = records;
        this.keys = keys;
        this.initialRebalanceDelayMs = initialRebalanceDelayMs;
        this.appJvmOptions = appJvmOptions;
    }

    void produced(Instant first, Instant last) {
        this.firstProduced = first;
        this.lastProduced = last;
    }

    void backAtZero(Instant at) {
        this.backAtZero = at;
    }

    /** The run completed: numbers, checks and steps. */
    void finished(ScalingSimulator simulator, OrderTally tally, ConsumerGroupLag.Snapshot finalLag,
            Instant testStarted, Instant testEnded) {
        List<Step> history = simulator.history();
        ScaledObject so = scaledObject;
        long threshold = so.trigger().lagThreshold();
        Optional<Step> activation = history.stream().filter(s -> s.actor().equals("keda") && s.from() == 0 && s.to() > 0)
                .findFirst();
        Optional<Step> lastActive = history.stream().filter(s -> s.actor().equals("keda") && s.active())
                .reduce((a, b) -> b);
        Optional<Step> toZero = history.stream().filter(s -> s.actor().equals("keda") && s.from() > 0 && s.to() == 0)
                .reduce((a, b) -> b);
        Optional<Step> drained = activation.flatMap(a -> history.stream()
                .filter(s -> !s.at().isBefore(a.at()) && s.lag() == 0).findFirst());
        long peakMetric = history.stream().filter(s -> s.actor().equals("hpa")).mapToLong(Step::metric).max().orElse(0);
        int hpaPeakTarget = (int) Math.min(so.maxReplicaCount(), (peakMetric + threshold - 1) / threshold);
        int maxAsked = history.stream().mapToInt(Step::to).max().orElse(0);
        long partitionsWithRecords = finalLag.partitions().stream().filter(p -> p.endOffset() > 0).count();
        long capped = Math.min(records, (so.trigger().limitToPartitionsWithLag() ? partitionsWithRecords
                : deployed.inputTopicPartitions()) * threshold);
        long expectedForBurst = Math.min(so.maxReplicaCount(), (capped + threshold - 1) / threshold);
        String timeToFirstOutput = tally.firstOutput() == null ? "no output"
                : seconds(Duration.between(firstProduced, tally.firstOutput()));

        StringBuilder numbers = new StringBuilder("""
                | Measured | Value | Expectation from the settings |
                |---|---:|---|
                """);
        row(numbers, "first record produced → last record acknowledged (burst written)",
                seconds(Duration.between(firstProduced, lastProduced)), "");
        row(numbers, "first record produced → KEDA activation 0 → 1",
                activation.map(a -> seconds(Duration.between(firstProduced, a.at()))).orElse("none"),
                "≤ pollingInterval (" + so.pollingInterval().toSeconds() + " s) after the record is readable");
        row(numbers, "first record produced → first app process started",
                Optional.ofNullable(simulator.firstInstanceStarted())
                        .map(s -> seconds(Duration.between(firstProduced, s))).orElse("none"), "");
        row(numbers, "**first record produced → first output record (from 0 replicas)**", "**" + timeToFirstOutput + "**",
                "activation + JVM start + group join (initial rebalance delay " + initialRebalanceDelayMs + " ms)");
        row(numbers, "first app process started → first output record",
                tally.firstOutput() == null || simulator.firstInstanceStarted() == null ? "–"
                        : seconds(Duration.between(simulator.firstInstanceStarted(), tally.firstOutput())), "");
        row(numbers, "**max replicas running**", "**" + simulator.maxReplicasRunning() + "**",
                expectedForBurst + " = min(maxReplicaCount " + so.maxReplicaCount() + ", ceil(min(" + records
                        + " records, " + (so.trigger().limitToPartitionsWithLag() ? partitionsWithRecords
                                + " partitions with lag" : deployed.inputTopicPartitions() + " partitions")
                        + " × lagThreshold " + threshold + ") / " + threshold + "))");
        row(numbers, "highest metric the HPA read → its target", peakMetric + " → " + hpaPeakTarget, "");
        row(numbers, "highest replica count asked for (KEDA or HPA)", Integer.toString(maxAsked), "");
        row(numbers, "first record produced → lag first read as 0",
                drained.map(d -> seconds(Duration.between(firstProduced, d.at()))).orElse("never"),
                "read at KEDA polls and HPA syncs only");
        row(numbers, "last KEDA poll with lag (lastActiveTime) → KEDA sets 0 replicas",
                lastActive.flatMap(a -> toZero.map(z -> seconds(Duration.between(a.at(), z.at())))).orElse("–"),
                "in (cooldownPeriod, cooldownPeriod + pollingInterval] = (" + so.cooldownPeriod().toSeconds() + ", "
                        + so.cooldownPeriod().plus(so.pollingInterval()).toSeconds() + "] s");
        row(numbers, "**first record produced → 0 replicas, every process exited (total)**",
                "**" + seconds(Duration.between(firstProduced, backAtZero)) + "**", "± 1 s (checked every second)");
        row(numbers, "whole test: broker start → output checked", minutes(Duration.between(testStarted, testEnded)), "");
        row(numbers, "app processes started / failed lag readings (longest run)", simulator.instancesStarted() + " / "
                + failedReadings(history) + " (" + longestRunOfFailedReadings(history) + ")",
                deployed.fallback() == null ? "no fallback" : "fallback would act at " + deployed.fallbackFailureThreshold()
                        + " in a row");

        long lagAtEnd = finalLag.total();
        boolean passed = tally.distinct() == records && tally.duplicates() == 0 && lagAtEnd == 0
                && finalLag.partitions().stream().allMatch(p -> p.committedOffset() == p.endOffset())
                && simulator.replicas() == 0 && simulator.liveProcesses() == 0
                && longestRunOfFailedReadings(history) < deployed.fallbackFailureThreshold();
        outcome = passed ? "passed" : "FAILED";
        String checks = "Checks: " + tally.distinct() + " of " + records + " orderIds on the output, " + tally.duplicates()
                + " duplicates (" + tally.records() + " output records); lag at the end " + lagAtEnd
                + " (committed == latest on " + finalLag.partitions().stream()
                        .filter(p -> p.committedOffset() == p.endOffset()).count()
                + " of " + finalLag.partitions().size() + " partitions); " + simulator.replicas() + " replicas and "
                + simulator.liveProcesses() + " live processes at the end.\n";
        String perPartition = "Records per partition: " + finalLag.partitions().stream()
                .map(p -> Long.toString(p.endOffset())).collect(Collectors.joining(" / ")) + ".\n";
        body = numbers + "\n" + checks + "\n" + perPartition + "\n" + lagReadings(history, activation) + "\n"
                + stepsTable(history) + "\n" + machine(MachineLoad.loadAverage());
    }

    /** Every reading from the activation until the first that found no lag: how fast the backlog went. */
    private String lagReadings(List<Step> history, Optional<Step> activation) {
        if (activation.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("Lag readings from activation until drained (t, who, total lag, metric): ");
        List<String> readings = new ArrayList<>();
        for (Step s : history) {
            if (s.at().isBefore(activation.get().at()) || s.actor().equals("error")) {
                continue;
            }
            readings.add(seconds(Duration.between(firstProduced, s.at())) + " " + s.actor() + " "
                    + String.format(Locale.ROOT, "%,d", s.lag()) + " (" + s.metric() + ")");
            if (s.lag() == 0) {
                break;
            }
        }
        return out.append(String.join(" · ", readings)).append(".\n").toString();
    }

    /** The run timed out before reaching zero again: the steps so far, so the failure is on record too. */
    void notBackAtZero(ScalingSimulator simulator, Instant testStarted, Path file) {
        outcome = "FAILED: not back at zero replicas";
        body = "Did not return to 0 replicas with every process exited within the deadline ("
                + minutes(Duration.between(testStarted, Instant.now())) + " into the test); "
                + simulator.replicas() + " replicas, " + simulator.liveProcesses() + " live processes.\n\n"
                + stepsTable(simulator.history()) + "\n" + machine(MachineLoad.loadAverage());
        appendTo(file);
    }

    String section() {
        String whatIf = overrides.isEmpty() ? "" : " — what-if: " + overrides.entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + " " + e.getValue().toSeconds() + " s")
                .collect(Collectors.joining(", ")) + " instead of deploy/'s";
        return "## " + DAY_TIME.format(firstProduced == null ? Instant.now() : firstProduced) + " — " + outcome + whatIf
                + "\n\n"
                + settings() + "\n" + body;
    }

    void appendTo(Path file) {
        try {
            String existing = Files.exists(file) ? Files.readString(file) : header();
            Files.writeString(file, existing + (existing.endsWith("\n\n") ? "" : "\n") + section());
        } catch (IOException e) {
            throw new UncheckedIOException("could not append the long run's results to " + file.toAbsolutePath(), e);
        }
    }

    String changes(List<Step> history) {
        return history.stream().filter(s -> s.from() != s.to()).map(Object::toString).collect(Collectors.joining("\n"));
    }

    private static String header() {
        return """
                # Long run: the deployed ScaledObject over real app processes

                Written by `LongRunIT` (verification/scaling-simulator/README.md, "The long run"); one section per run, newest last.
                Times are measured from the moment the first record was handed to the producer.

                """;
    }

    private String settings() {
        ScaledObject so = scaledObject;
        KafkaTrigger t = so.trigger();
        String manifest = "deploy/ (overlays " + String.join(", ", deployed.overlays()) + ")";
        StringBuilder out = new StringBuilder("""
                | Setting | Value | From |
                |---|---|---|
                """);
        row(out, "pollingInterval", so.pollingInterval().toSeconds() + " s", from("pollingInterval", manifest));
        row(out, "cooldownPeriod", so.cooldownPeriod().toSeconds() + " s", from("cooldownPeriod", manifest));
        row(out, "minReplicaCount / maxReplicaCount", so.minReplicaCount() + " / " + so.maxReplicaCount(), manifest);
        row(out, "kafka trigger", "lagThreshold " + t.lagThreshold() + ", activationLagThreshold "
                + t.activationLagThreshold() + ", offsetResetPolicy " + t.offsetResetPolicy().name().toLowerCase(Locale.ROOT)
                + ", allowIdleConsumers " + t.allowIdleConsumers() + ", limitToPartitionsWithLag "
                + t.limitToPartitionsWithLag() + ", excludePersistentLag " + t.excludePersistentLag()
                + ", scaleToZeroOnInvalidOffset " + t.scaleToZeroOnInvalidOffset() + " (AverageValue)", manifest);
        row(out, "HPA scaleUp", rules(so.behavior().scaleUp()), manifest + ", API-server defaults for what it omits");
        row(out, "HPA scaleDown", rules(so.behavior().scaleDown()), manifest + ", API-server defaults for what it omits");
        row(out, "fallback", deployed.fallback() == null ? "none" : deployed.fallback() + " (not modelled)", manifest);
        row(out, "input topic partitions", Integer.toString(deployed.inputTopicPartitions()),
                "annotation " + DeployedScaledObject.PARTITIONS_ANNOTATION);
        row(out, "HPA sync period / tolerance", so.hpaSyncPeriod().toSeconds() + " s / "
                + HorizontalPodAutoscaler.DEFAULT_TOLERANCE, "kube-controller-manager defaults");
        row(out, "broker", "local KRaft broker, 1 node, group.initial.rebalance.delay.ms=" + initialRebalanceDelayMs,
                "Kafka's default delay");
        row(out, "app", "function-app quarkus-run.jar (JVM) " + String.join(" ", appJvmOptions) + "; "
                + deployed.appEnvironment().entrySet().stream().filter(e -> !e.getKey().startsWith("KAFKA_")
                        && !e.getKey().endsWith("_TOPIC") && !e.getKey().equals("INPUT_TOPICS"))
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")),
                "Deployment of overlay " + deployed.appOverlay() + " (broker, group, topics: the local ones)");
        row(out, "traffic", String.format(Locale.ROOT, "%,d", records) + " orders in one burst (" + keys
                + " keys), from 0 replicas and a group that never committed, started right after an idle KEDA poll",
                "LongRunIT");
        return out.toString();
    }

    private String from(String field, String manifest) {
        if (!overrides.containsKey(field)) {
            return manifest;
        }
        Duration shipped = field.equals("pollingInterval") ? deployed.scaledObject().pollingInterval()
                : deployed.scaledObject().cooldownPeriod();
        return "**what-if override** (deploy/ ships " + shipped.toSeconds() + " s)";
    }

    private String stepsTable(List<Step> history) {
        StringBuilder out = new StringBuilder("""
                Scaling steps (every change of the Deployment's replica count; t from the first produced record):

                | t | UTC | By | Lag | Metric | Replicas | Step |
                |---:|---|---|---:|---:|---|---|
                """);
        Instant zero = firstProduced == null ? (history.isEmpty() ? Instant.now() : history.getFirst().at()) : firstProduced;
        for (Step s : history) {
            if (s.from() == s.to() && !s.actor().equals("error")) {
                continue;
            }
            out.append("| ").append(seconds(Duration.between(zero, s.at()))).append(" | ").append(TIME.format(s.at()))
                    .append(" | ").append(s.actor()).append(" | ").append(s.lag()).append(" | ").append(s.metric())
                    .append(" | ").append(s.from()).append(" → ").append(s.to()).append(" | ").append(label(s))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String label(Step s) {
        if (s.actor().equals("error")) {
            return "lag reading failed, replicas left alone";
        }
        if (s.actor().equals("keda")) {
            return s.to() > s.from() ? "activation: KEDA wakes the target" : "KEDA scales to zero after cooldownPeriod";
        }
        return s.to() > s.from() ? "HPA scale-out" : "HPA scale-in";
    }

    private static String rules(ScalingRules rules) {
        return "stabilization " + rules.stabilizationWindow().toSeconds() + " s, select " + rules.selectPolicy()
                + ", " + rules.policies().stream().map(p -> (p.type() == HorizontalPodAutoscaler.PolicyType.PERCENT
                        ? p.value() + " %" : p.value() + " pods") + " per " + p.period().toSeconds() + " s")
                        .collect(Collectors.joining(" or "));
    }

    private String machine(double loadAtEnd) {
        return String.format(Locale.ROOT, "Machine: JDK %s (%s), %s %s %s, %d cores (%s), %s RAM; load average %.2f at the"
                + " start, %.2f at the end (shared machine).%n", Runtime.version(), System.getProperty("java.vm.vendor"),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), MachineLoad.cpuModel().orElse("cpu ?"),
                MachineLoad.memoryTotal().orElse("?"), loadAtStart, loadAtEnd);
    }

    private static long failedReadings(List<Step> history) {
        return history.stream().filter(s -> s.actor().equals("error")).count();
    }

    static int longestRunOfFailedReadings(List<Step> history) {
        int longest = 0;
        int current = 0;
        for (Step s : history) {
            current = s.actor().equals("error") ? current + 1 : 0;
            longest = Math.max(longest, current);
        }
        return longest;
    }

    private static void row(StringBuilder out, String name, String value, String note) {
        out.append("| ").append(name).append(" | ").append(value).append(" | ").append(note).append(" |\n");
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String minutes(Duration d) {
        return String.format(Locale.ROOT, "%d min %02d s", d.toMinutes(), d.toSecondsPart());
    }
}
