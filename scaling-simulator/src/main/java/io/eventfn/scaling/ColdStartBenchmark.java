package io.eventfn.scaling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.eventfn.kafka.local.LocalKafkaBroker;
import io.eventfn.kafka.local.PackagedApp;

/**
 * Scale-from-zero cold start: process start to the first output record, for a group that already has committed
 * offsets, on a broker with Kafka's default {@code group.initial.rebalance.delay.ms=3000}. Each variant runs
 * {@code runs} times, interleaved; medians are reported as ratios to the plain JVM baseline of the same run.
 *
 * <p>Not a test: run it with {@code -Dcold-start.runs=5} (see the README); {@link ColdStartBenchmark#main} writes
 * the table to the results file.
 */
public final class ColdStartBenchmark {

    /** How the previous instance of the group went away before the measured one starts. */
    public enum Before {
        /** Offsets committed, group empty: the usual scale-from-zero. */
        COMMITTED_OFFSETS,
        /** An instance ran and was stopped with SIGTERM (left the group); restart right after its exit. */
        SIGTERM,
        /** An instance ran and was killed (still a member until its session times out). */
        SIGKILL
    }

    /** @param maxRuns at most this many runs (1 for a variant that shows an error rather than a time) */
    public record Variant(String name, boolean aot, Map<String, String> environment, Before before, int maxRuns) {

        Variant(String name, boolean aot, Map<String, String> environment, Before before) {
            this(name, aot, environment, before, Integer.MAX_VALUE);
        }
    }

    public record Measurement(Variant variant, List<Long> millis, List<String> failures) {

        long median() {
            List<Long> sorted = millis.stream().sorted().toList();
            return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
        }
    }

    /** KIP-848 without the input channel's partition.assignment.strategy (the consumer protocol rejects it). */
    public static final Map<String, String> CONSUMER_PROTOCOL = Map.of("KAFKA_GROUP_PROTOCOL", "consumer",
            "MP_MESSAGING_INCOMING_INPUT_PARTITION_ASSIGNMENT_STRATEGY", "");
    /** Both restart variants: a 10 s session instead of Kafka's 45 s, so that a SIGKILL run ends in bounded time. */
    public static final Map<String, String> SESSION_10S = Map.of("KAFKA_SESSION_TIMEOUT_MS", "10000",
            "KAFKA_HEARTBEAT_INTERVAL_MS", "1000");

    private static final Duration FIRST_OUTPUT_TIMEOUT = Duration.ofSeconds(30);

    private final LocalKafkaBroker broker;
    private final Path appJar;
    private final Path aotAppJar;
    private final Path work;

    public ColdStartBenchmark(LocalKafkaBroker broker, Path appJar, Path aotAppJar, Path work) {
        this.broker = broker;
        this.appJar = appJar;
        this.aotAppJar = aotAppJar;
        this.work = work;
    }

    public static List<Variant> variants(boolean withAot) {
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("JVM (baseline)", false, Map.of(), Before.COMMITTED_OFFSETS));
        if (withAot) {
            variants.add(new Variant("JVM + AOT cache", true, Map.of(), Before.COMMITTED_OFFSETS));
        }
        variants.add(new Variant("JVM, group.protocol=consumer, app as shipped (expected to fail)", false,
                Map.of("KAFKA_GROUP_PROTOCOL", "consumer"), Before.COMMITTED_OFFSETS, 1));
        variants.add(new Variant("JVM, group.protocol=consumer", false, CONSUMER_PROTOCOL, Before.COMMITTED_OFFSETS));
        if (withAot) {
            variants.add(new Variant("JVM + AOT cache, group.protocol=consumer", true, CONSUMER_PROTOCOL,
                    Before.COMMITTED_OFFSETS));
        }
        variants.add(new Variant("JVM, restart right after SIGTERM", false, SESSION_10S, Before.SIGTERM));
        variants.add(new Variant("JVM, restart right after SIGKILL (session 10 s)", false, SESSION_10S, Before.SIGKILL));
        return variants;
    }

    /** Runs every variant {@code runs} times, round-robin, so that machine noise spreads over all of them. */
    public List<Measurement> run(List<Variant> variants, int runs) {
        Map<Variant, Measurement> results = new LinkedHashMap<>();
        variants.forEach(v -> results.put(v, new Measurement(v, new ArrayList<>(), new ArrayList<>())));
        for (int i = 0; i < runs; i++) {
            for (Variant variant : variants) {
                if (i >= variant.maxRuns()) {
                    continue;
                }
                try {
                    long millis = measureOnce(variant);
                    results.get(variant).millis().add(millis);
                    System.out.printf("[cold-start] %s run %d: %d ms%n", variant.name(), i + 1, millis);
                } catch (RuntimeException e) {
                    results.get(variant).failures().add(e.getMessage());
                    System.out.printf("[cold-start] %s run %d failed: %s%n", variant.name(), i + 1, e.getMessage());
                }
            }
        }
        return List.copyOf(results.values());
    }

    /** @return milliseconds from the measured process's start to the CreateTime of its first output record */
    long measureOnce(Variant variant) {
        String run = "cs-" + UUID.randomUUID().toString().substring(0, 8);
        String input = run + "-orders";
        String output = run + "-enriched";
        String group = run + "-group";
        broker.createTopic(input, 3);
        broker.createTopic(output, 3);
        broker.createTopic(run + "-dlq", 1);
        Map<String, String> environment = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "KAFKA_GROUP_ID", group,
                "INPUT_TOPICS", input,
                "OUTPUT_TOPIC", output,
                "DLQ_TOPIC", run + "-dlq",
                "QUARKUS_HTTP_PORT", "0"));
        environment.putAll(variant.environment());
        Path jar = variant.aot() ? aotAppJar : appJar;
        List<String> jvm = variant.aot() ? List.of("-XX:AOTCache=app.aot") : List.of();
        Path logs = work.resolve(run);

        if (variant.before() == Before.COMMITTED_OFFSETS) {
            OrderTraffic.produce(broker.bootstrapServers(), input, run + "-old", 0, 30, 0);
            commitToEnd(group, input);
        } else {
            OrderTraffic.produce(broker.bootstrapServers(), input, run + "-old", 0, 30, 0);
            try (PackagedApp previous = start("previous", jar, jvm, environment, logs.resolve("previous.log"))) {
                awaitOutput(previous, output, run + "-old", Instant.now());
                if (variant.before() == Before.SIGTERM) {
                    previous.sigterm();
                } else {
                    previous.sigkill();
                }
                previous.awaitExit(Duration.ofSeconds(30));
            }
        }
        OrderTraffic.produce(broker.bootstrapServers(), input, run + "-new", 0, 30, 0);
        try (PackagedApp measured = start("measured", jar, jvm, environment, logs.resolve("measured.log"))) {
            Instant firstOutput = awaitOutput(measured, output, run + "-new", measured.started());
            measured.sigterm();
            measured.awaitExit(Duration.ofSeconds(30));
            return Duration.between(measured.started(), firstOutput).toMillis();
        }
    }

    /** Every process starts in the jar's directory, where {@code -XX:AOTCache=app.aot} finds the cache. */
    private static PackagedApp start(String name, Path jar, List<String> jvm, Map<String, String> environment, Path log) {
        return PackagedApp.jar(jar).name(name).jvmOptions(jvm).environment(environment)
                .workingDirectory(jar.getParent()).log(log).start();
    }

    private void commitToEnd(String group, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            var latest = new HashMap<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>();
            for (int p = 0; p < 3; p++) {
                latest.put(new TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            admin.listOffsets(latest).all().get().forEach((tp, info) -> offsets.put(tp, new OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(group, offsets).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("could not commit offsets for " + group + ": " + e, e);
        }
    }

    /** Polls the output topic from the start until a record of {@code tag} appears; returns its CreateTime. */
    private Instant awaitOutput(PackagedApp app, String topic, String tag, Instant since) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1),
                    new TopicPartition(topic, 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + FIRST_OUTPUT_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!app.isAlive()) {
                    throw new IllegalStateException(app.name() + " exited before any output: " + lastError(app));
                }
                for (var record : consumer.poll(Duration.ofMillis(50))) {
                    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
                    if (key.startsWith(tag + "-")) {
                        return Instant.ofEpochMilli(record.timestamp());
                    }
                }
            }
            throw new IllegalStateException("no output of " + tag + " within " + FIRST_OUTPUT_TIMEOUT + ": "
                    + lastError(app));
        }
    }

    private static String lastError(PackagedApp app) {
        return app.logTail(200).lines().filter(l -> l.contains("ERROR") || l.contains("Exception"))
                .reduce((a, b) -> b).orElse(app.logTail(3));
    }

    /** The results table in Markdown, medians as ratios to the first variant. */
    public static String table(List<Measurement> results, int runs, String broker) {
        long baseline = results.get(0).median();
        StringBuilder out = new StringBuilder();
        out.append("## ").append(LocalDate.now()).append(" — JDK ").append(Runtime.version()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, ").append(runs)
                .append(" runs per variant, interleaved\n\n")
                .append("Process start → CreateTime of the first output record; ").append(broker).append(".\n\n")
                .append("| Variant | median ms | min ms | max ms | median ÷ baseline | failed runs |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        for (Measurement m : results) {
            long min = m.millis().stream().mapToLong(Long::longValue).min().orElse(-1);
            long max = m.millis().stream().mapToLong(Long::longValue).max().orElse(-1);
            String ratio = m.median() < 0 || baseline <= 0 ? "–" : String.format("%.2f", (double) m.median() / baseline);
            out.append("| ").append(m.variant().name()).append(" | ").append(m.median()).append(" | ").append(min)
                    .append(" | ").append(max).append(" | ").append(ratio).append(" | ").append(m.failures().size())
                    .append(m.failures().isEmpty() ? "" : " (" + m.failures().get(0).replace('|', '/') + ")")
                    .append(" |\n");
        }
        return out.toString();
    }

    /** Arguments: runs, app jar, AOT app jar (may be missing), results file, work dir. */
    public static void main(String[] args) throws IOException {
        int runs = Integer.parseInt(args[0]);
        Path appJar = Path.of(args[1]);
        Path aotJar = Path.of(args[2]);
        Path results = Path.of(args[3]);
        Path work = Path.of(args[4]);
        boolean withAot = Files.isRegularFile(aotJar) && Files.isRegularFile(aotJar.resolveSibling("app.aot"));
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder()
                .serverProperty("group.initial.rebalance.delay.ms", "3000").build()) {
            broker.start();
            var benchmark = new ColdStartBenchmark(broker, appJar, aotJar, work);
            List<Measurement> measured = benchmark.run(variants(withAot), runs);
            String table = table(measured, runs, "broker group.initial.rebalance.delay.ms=3000, 3 partitions, "
                    + "30 records waiting" + (withAot ? "" : "; AOT variants skipped: no " + aotJar.resolveSibling("app.aot")));
            System.out.println(table);
            Files.writeString(results, (Files.exists(results) ? Files.readString(results) + "\n" : "") + table,
                    StandardCharsets.UTF_8);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
