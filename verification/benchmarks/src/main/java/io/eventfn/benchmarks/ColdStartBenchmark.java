package io.eventfn.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.eventfn.kafka.local.LocalKafkaBroker;
import io.eventfn.kafka.local.OrderTraffic;
import io.eventfn.kafka.local.PackagedApp;
import io.eventfn.kafka.local.demo.AotCacheTraining;

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

    /** What runs: the packaged app on the JVM with or without an AOT cache, or the native executable. */
    public enum Launch {
        JVM,
        /** {@code app.aot} from Quarkus's own build-time start ({@code quarkus.package.jar.aot.phase=BUILD}). */
        JVM_BUILD_TIME_AOT,
        /** {@code app.aot} trained on real work by local-kafka's {@code aot-train} (what src-native/Dockerfile.jvm ships). */
        JVM_TRAINED_AOT,
        NATIVE
    }

    public record Variant(String name, Launch launch, Map<String, String> environment, Before before) {
    }

    /** One run: process start to the first output record, and to the first non-empty assignment in the app's log. */
    record Sample(long firstOutputMillis, long assignedMillis) {
    }

    public record Measurement(Variant variant, List<Long> millis, List<Long> assignedMillis, List<String> failures) {

        long median() {
            return median(millis);
        }

        static long median(List<Long> values) {
            List<Long> sorted = values.stream().filter(v -> v >= 0).sorted().toList();
            return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
        }
    }

    public static final Map<String, String> CLASSIC = Map.of("KAFKA_GROUP_PROTOCOL", "classic");
    /** KIP-848: the group is assigned by the broker, with no initial rebalance delay for an empty group. */
    public static final Map<String, String> CONSUMER = Map.of("KAFKA_GROUP_PROTOCOL", "consumer");
    /**
     * A killed member holds its partitions until its session expires: 10 s here instead of Kafka's 45 s, so that a
     * SIGKILL run ends in bounded time. With the consumer protocol the session is the broker's setting; the heartbeat
     * stays at Kafka's default 5 s.
     */
    static final Duration BROKER_SESSION = Duration.ofSeconds(10);
    static final Duration BROKER_HEARTBEAT = Duration.ofSeconds(5);

    private static final Duration FIRST_OUTPUT_TIMEOUT = Duration.ofSeconds(30);

    private final LocalKafkaBroker broker;
    private final Map<Launch, Path> programs;
    private final Path work;

    /** @param programs the app's {@code quarkus-run.jar} (or executable) per launch; a launch without one is skipped */
    public ColdStartBenchmark(LocalKafkaBroker broker, Map<Launch, Path> programs, Path work) {
        this.broker = broker;
        this.programs = Map.copyOf(programs);
        this.work = work;
    }

    /** Every variant whose program is there; the first one is the baseline of the ratios. */
    public static List<Variant> variants(Set<Launch> available) {
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("JVM, classic group protocol (baseline)", Launch.JVM, CLASSIC, Before.COMMITTED_OFFSETS));
        variants.add(new Variant("JVM, consumer group protocol (KIP-848)", Launch.JVM, CONSUMER, Before.COMMITTED_OFFSETS));
        variants.add(new Variant("JVM + build-time AOT cache, consumer protocol", Launch.JVM_BUILD_TIME_AOT, CONSUMER,
                Before.COMMITTED_OFFSETS));
        variants.add(new Variant("JVM + trained AOT cache, classic protocol", Launch.JVM_TRAINED_AOT, CLASSIC,
                Before.COMMITTED_OFFSETS));
        variants.add(new Variant("JVM + trained AOT cache, consumer protocol", Launch.JVM_TRAINED_AOT, CONSUMER,
                Before.COMMITTED_OFFSETS));
        variants.add(new Variant("native, consumer protocol", Launch.NATIVE, CONSUMER, Before.COMMITTED_OFFSETS));
        variants.add(new Variant("JVM + trained AOT, classic, restart right after SIGTERM", Launch.JVM_TRAINED_AOT, CLASSIC,
                Before.SIGTERM));
        variants.add(new Variant("JVM + trained AOT, consumer, restart right after SIGTERM", Launch.JVM_TRAINED_AOT, CONSUMER,
                Before.SIGTERM));
        variants.add(new Variant("JVM + trained AOT, consumer, restart right after SIGKILL (session 10 s)",
                Launch.JVM_TRAINED_AOT, CONSUMER, Before.SIGKILL));
        return variants.stream().filter(v -> available.contains(v.launch())).toList();
    }

    /** Runs every variant {@code runs} times, round-robin, so that machine noise spreads over all of them. */
    public List<Measurement> run(List<Variant> variants, int runs) {
        Map<Variant, Measurement> results = new LinkedHashMap<>();
        variants.forEach(v -> results.put(v, new Measurement(v, new ArrayList<>(), new ArrayList<>(), new ArrayList<>())));
        for (int i = 0; i < runs; i++) {
            for (Variant variant : variants) {
                try {
                    Sample sample = measureOnce(variant);
                    results.get(variant).millis().add(sample.firstOutputMillis());
                    results.get(variant).assignedMillis().add(sample.assignedMillis());
                    System.out.printf("[cold-start] %s run %d: %d ms (partitions assigned at %d ms)%n", variant.name(), i + 1,
                            sample.firstOutputMillis(), sample.assignedMillis());
                } catch (RuntimeException e) {
                    results.get(variant).failures().add(e.getMessage());
                    System.out.printf("[cold-start] %s run %d failed: %s%n", variant.name(), i + 1, e.getMessage());
                }
            }
        }
        return List.copyOf(results.values());
    }

    /** @return milliseconds from the measured process's start to the CreateTime of its first output record */
    Sample measureOnce(Variant variant) {
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
        Path logs = work.resolve(run);

        if (variant.before() == Before.COMMITTED_OFFSETS) {
            OrderTraffic.produce(broker.bootstrapServers(), input, run + "-old", 0, 30, 0);
            commitToEnd(group, input);
        } else {
            OrderTraffic.produce(broker.bootstrapServers(), input, run + "-old", 0, 30, 0);
            try (PackagedApp previous = start("previous", variant.launch(), environment, logs.resolve("previous.log"))) {
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
        try (PackagedApp measured = start("measured", variant.launch(), environment, logs.resolve("measured.log"))) {
            Instant firstOutput = awaitOutput(measured, output, run + "-new", measured.started());
            measured.sigterm();
            measured.awaitExit(Duration.ofSeconds(30));
            return new Sample(Duration.between(measured.started(), firstOutput).toMillis(),
                    assignedAt(measured).map(at -> Duration.between(measured.started(), at).toMillis()).orElse(-1L));
        }
    }

    /** Every process starts in the app's directory, where {@code -XX:AOTCache=app.aot} finds the cache. */
    private PackagedApp start(String name, Launch launch, Map<String, String> environment, Path log) {
        Path program = programs.get(launch);
        PackagedApp.Builder app = switch (launch) {
            case NATIVE -> PackagedApp.nativeExecutable(program);
            case JVM -> PackagedApp.jar(program);
            case JVM_BUILD_TIME_AOT, JVM_TRAINED_AOT -> PackagedApp.jar(program)
                    .jvmOptions(List.of("-XX:AOTCache=" + AotCacheTraining.CACHE_FILE, "-XX:AOTMode=on"));
        };
        return app.name(name).environment(environment).workingDirectory(program.getParent()).log(log).start();
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

    /** The app's console log time stamps: local time, milliseconds. */
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    /** When the app's log says it got its first partitions (RebalanceLogger's line), if it says so. */
    private static Optional<Instant> assignedAt(PackagedApp app) {
        return app.output().lines().filter(line -> line.contains("Rebalance: assigned [") && !line.contains("assigned []"))
                .findFirst().filter(line -> line.length() > 23)
                .map(line -> LocalDateTime.parse(line.substring(0, 23), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant());
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
                .append("| Variant | median ms | min ms | max ms | median ÷ baseline | partitions assigned, median ms | failed runs |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Measurement m : results) {
            long min = m.millis().stream().mapToLong(Long::longValue).min().orElse(-1);
            long max = m.millis().stream().mapToLong(Long::longValue).max().orElse(-1);
            String ratio = m.median() < 0 || baseline <= 0 ? "–" : String.format("%.2f", (double) m.median() / baseline);
            out.append("| ").append(m.variant().name()).append(" | ").append(m.median()).append(" | ").append(min)
                    .append(" | ").append(max).append(" | ").append(ratio).append(" | ").append(Measurement.median(m.assignedMillis()))
                    .append(" | ").append(m.failures().size())
                    .append(m.failures().isEmpty() ? "" : " (" + m.failures().get(0).replace('|', '/') + ")")
                    .append(" |\n");
        }
        return out.toString();
    }

    /**
     * Arguments: runs, app jar, app jar with a build-time AOT cache ("none" to skip), native executable ("none" to
     * skip), results file, work dir. The app jar's directory must be a copy: the trained cache is written into it.
     */
    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        Path appJar = Path.of(args[1]).toAbsolutePath();
        Path buildTimeAotJar = Path.of(args[2]).toAbsolutePath();
        Path nativeExecutable = Path.of(args[3]).toAbsolutePath();
        Path results = Path.of(args[4]);
        Path work = Path.of(args[5]);

        Map<Launch, Path> programs = new EnumMap<>(Launch.class);
        List<String> notes = new ArrayList<>();
        programs.put(Launch.JVM, appJar);
        if (new AotCacheTraining(appJar, List.of(), AotCacheTraining.DEFAULT_RECORDS, System.out).run() == 0) {
            programs.put(Launch.JVM_TRAINED_AOT, appJar);
        } else {
            notes.add("trained-AOT variants skipped: the training run failed (see the output)");
        }
        if (Files.isRegularFile(buildTimeAotJar.resolveSibling(AotCacheTraining.CACHE_FILE))) {
            programs.put(Launch.JVM_BUILD_TIME_AOT, buildTimeAotJar);
        } else {
            notes.add("build-time AOT variant skipped: no " + buildTimeAotJar.resolveSibling(AotCacheTraining.CACHE_FILE));
        }
        if (Files.isExecutable(nativeExecutable)) {
            programs.put(Launch.NATIVE, nativeExecutable);
        } else {
            notes.add("native variant skipped: no native executable (no GraalVM/Mandrel here)");
        }
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder()
                .serverProperty("group.initial.rebalance.delay.ms", "3000")
                .consumerGroupTimings(BROKER_SESSION, BROKER_HEARTBEAT).build()) {
            broker.start();
            var benchmark = new ColdStartBenchmark(broker, programs, work);
            List<Measurement> measured = benchmark.run(variants(programs.keySet()), runs);
            String table = table(measured, runs, "broker group.initial.rebalance.delay.ms=3000 (Kafka's default), "
                    + "3 partitions, 30 records waiting" + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)));
            System.out.println(table);
            Files.writeString(results, (Files.exists(results) ? Files.readString(results) + "\n" : "") + table,
                    StandardCharsets.UTF_8);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
