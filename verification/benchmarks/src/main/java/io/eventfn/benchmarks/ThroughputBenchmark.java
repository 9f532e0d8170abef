package io.eventfn.benchmarks;

import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.eventfn.kafka.local.ConsumerGroupLag;
import io.eventfn.kafka.local.LocalKafkaBroker;
import io.eventfn.kafka.local.LoopbackPort;
import io.eventfn.kafka.local.MachineLoad;
import io.eventfn.kafka.local.PackagedApp;
import io.eventfn.kafka.local.RepositoryRoot;

/**
 * One benchmark run: a local broker, the input produced once, then each variant in turn, alone on the machine
 * with a fresh group, a fresh output topic and its own JVM; the variants chosen for it also get a latency phase
 * right after their throughput run, while still warm.
 */
public final class ThroughputBenchmark {

    static final String INPUT = "bench-orders";
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long SEED = 42;

    private final BenchmarkOptions options;
    private final PrintStream out;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);

    public ThroughputBenchmark(BenchmarkOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public BenchmarkReport run() {
        options.check();
        locateBrokerJars();
        Instant started = Instant.now();
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().build()) {
            broker.start();
            try (BenchmarkCluster cluster = new BenchmarkCluster(broker.bootstrapServers())) {
                cluster.createInputTopic(INPUT, options.partitions());
                out.printf("Producing %,d orders to %s (%d partitions)...%n", options.records(), INPUT,
                        options.partitions());
                InputLoader.Loaded loaded = InputLoader.produce(broker.bootstrapServers(), INPUT, options.records(),
                        SEED);
                out.printf("Produced %,d orders (%.0f bytes on average) in %.1f s%n", loaded.records(),
                        loaded.averageValueBytes(), loaded.seconds());
                List<VariantResult> results = new ArrayList<>();
                for (int round = 1; round <= options.repeat(); round++) {
                    List<VariantResult> thisRound = new ArrayList<>();
                    for (Variant variant : options.variants()) {
                        out.printf("Round %d of %d: measuring %s...%n", round, options.repeat(), variant.label());
                        VariantResult result = measure(cluster, variant, round,
                                round == 1 && options.latencyVariants().contains(variant));
                        thisRound.add(result);
                        out.println(ResultsTable.line(result, reference(thisRound, variant), List.of(result)));
                    }
                    results.addAll(thisRound);
                }
                return new BenchmarkReport(options, started, loaded, results);
            }
        }
    }

    private VariantResult measure(BenchmarkCluster cluster, Variant variant, int round, boolean measureLatency) {
        String name = variant.argument() + "-" + round;
        String group = "bench-" + name + "-" + runId;
        String output = "bench-out-" + name + "-" + runId;
        String deadLetters = "bench-dlq-" + name + "-" + runId;
        String latencyInput = "bench-latency-" + name + "-" + runId;
        int partitions = options.partitions();
        cluster.createOutputTopic(output, partitions);
        cluster.createInputTopic(deadLetters, 1);
        cluster.createInputTopic(latencyInput, partitions);

        Map<String, String> environment = new HashMap<>(variant.environment());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers());
        environment.put("KAFKA_GROUP_ID", group);
        environment.put("INPUT_TOPICS", INPUT + "," + latencyInput);
        environment.put("OUTPUT_TOPIC", output);
        environment.put("DLQ_TOPIC", deadLetters);
        environment.put("INSTANCE_ID", name);
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(LoopbackPort.free()));
        if (variant.isApp()) {
            environment.putAll(options.appEnvironment());
        }

        double load = MachineLoad.loadAverage();
        long start = System.nanoTime();
        java.nio.file.Path log = options.workDir().resolve(name + "-" + runId + ".log");
        PackagedApp.Builder launch = variant.isApp()
                ? PackagedApp.jar(options.appJar()).jvmOptions(appJvmOptions())
                : PackagedApp.mainClass(variant.mainClass()).jvmOptions(options.jvmOptions());
        try (PackagedApp child = launch.name(variant.label()).environment(environment).log(log).stopWithThisJvm()
                .start(); ConsumerGroupLag inputLag = cluster.lag(group, INPUT, partitions)) {
            long deadline = start + Duration.ofSeconds(options.timeoutSeconds()).toNanos();
            double cpuAtFirstOutput = Double.NaN;
            double secondsToFirstOutput = Double.NaN;
            boolean consumedAll = false;
            while (System.nanoTime() < deadline) {
                child.requireAlive();
                if (Double.isNaN(cpuAtFirstOutput) && cluster.endOffsetSum(output, partitions) > 0) {
                    cpuAtFirstOutput = ProcessStats.cpuSeconds(child.pid());
                    secondsToFirstOutput = (System.nanoTime() - start) / 1e9;
                }
                if (inputLag.read().total() == 0) {
                    consumedAll = true;
                    break;
                }
                sleep(POLL);
            }
            double cpuAtEnd = ProcessStats.cpuSeconds(child.pid());
            long peakRss = ProcessStats.peakRssBytes(child.pid());
            Map<TopicPartition, Long> outputEnds = cluster.endOffsets(output, partitions);
            if (!consumedAll) {
                out.printf("%s did not commit all %,d records within %d s; end of its log:%n%s%n", variant.label(),
                        options.records(), options.timeoutSeconds(), child.logTail(20));
            }
            LatencyPhase.Latency latency = null;
            if (consumedAll && measureLatency) {
                out.printf("  latency at %,d records/s: %d s warm-up, %d s measured...%n", options.rate(),
                        options.warmupSeconds(), options.latencySeconds());
                latency = LatencyPhase.run(cluster, latencyInput, output, partitions, options.rate(),
                        options.warmupSeconds(), options.latencySeconds(),
                        () -> awaitCommitted(cluster, child, group, latencyInput));
            }
            stop(child);
            OutputTopicReader.Span span = OutputTopicReader.read(cluster.bootstrapServers(), Map.of(), outputEnds,
                    null);
            return new VariantResult(variant, round, span.records(), consumedAll, span.recordsPerSecond(),
                    cpuAtEnd - cpuAtFirstOutput, cpuAtEnd, peakRss, secondsToFirstOutput, load, latency);
        }
    }

    /** SIGTERM, as Kubernetes stops a pod, so that the consumer commits and flushes; SIGKILL after 30 s. */
    private static void stop(PackagedApp child) {
        try {
            child.stop(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping " + child, e);
        }
    }

    private void awaitCommitted(BenchmarkCluster cluster, PackagedApp child, String group, String topic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(options.timeoutSeconds()).toNanos();
        try (ConsumerGroupLag lag = cluster.lag(group, topic, options.partitions())) {
            while (lag.read().total() > 0) {
                child.requireAlive();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The latency phase's records were not all committed within "
                            + options.timeoutSeconds() + " s");
                }
                sleep(POLL);
            }
        }
    }

    private static VariantResult reference(List<VariantResult> round, Variant variant) {
        return round.stream().filter(r -> r.variant() == variant.reference()).findFirst().orElse(null);
    }

    /** The app runs as in the JVM image: with its trained AOT cache when {@code aot-train} left one beside the jar. */
    private List<String> appJvmOptions() {
        java.nio.file.Path cache = appAotCache(options);
        if (cache == null) {
            return options.jvmOptions();
        }
        List<String> jvmOptions = new ArrayList<>(options.jvmOptions());
        jvmOptions.add("-XX:AOTCache=" + cache);
        return jvmOptions;
    }

    /** The app's trained AOT cache, or null when none lies beside the jar. */
    static java.nio.file.Path appAotCache(BenchmarkOptions options) {
        java.nio.file.Path cache = options.appJar().resolveSibling("app.aot");
        return java.nio.file.Files.isRegularFile(cache) ? cache : null;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /**
     * Points {@code LocalKafkaBroker} at the broker's jars unless the system property {@code local.kafka.libs} already
     * does: run from {@code benchmarks.jar}, it would look beside that jar.
     */
    private static void locateBrokerJars() {
        if (System.getProperty("local.kafka.libs") == null && Files.isDirectory(RepositoryRoot.brokerJars())) {
            System.setProperty("local.kafka.libs", RepositoryRoot.brokerJars().toString());
        }
    }
}
