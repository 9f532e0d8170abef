package io.eventfn.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.eventfn.kafka.local.RepositoryRoot;

/**
 * What one benchmark run does; every size is an argument so that the smoke test runs the same code, smaller.
 *
 * @param records          orders produced once to the input topic, consumed by every variant
 * @param partitions       partitions of every topic
 * @param variants         the variants to measure, in this order, in every round
 * @param repeat           rounds: every variant is measured this many times, the rounds interleaved, and reported
 *                         by its median
 * @param latencyVariants  the variants whose latency is measured, right after their throughput run
 * @param rate             offered rate of the latency phase, records/s
 * @param warmupSeconds    latency phase: seconds at {@code rate} not counted
 * @param latencySeconds   latency phase: seconds at {@code rate} counted
 * @param jvmOptions       JVM options of every variant's JVM, the same for all (the app also gets its trained AOT
 *                         cache when {@code app.aot} lies beside the jar, as in the JVM image)
 * @param appJar           the packaged app, {@code function-app/target/quarkus-app/quarkus-run.jar}
 * @param results          the Markdown file to append a section to; null to print only
 * @param workDir          child processes' logs
 * @param timeoutSeconds   the longest a variant may take to consume everything
 * @param appEnvironment   extra environment variables of the app variants (tuning experiments), e.g.
 *                         {@code KAFKA_MAX_POLL_RECORDS=1000}
 */
public record BenchmarkOptions(
        int records,
        int partitions,
        List<Variant> variants,
        int repeat,
        List<Variant> latencyVariants,
        int rate,
        int warmupSeconds,
        int latencySeconds,
        List<String> jvmOptions,
        Path appJar,
        Path results,
        Path workDir,
        int timeoutSeconds,
        Map<String, String> appEnvironment) {

    /**
     * The JVM image's flags ({@code src-native/jvm.args}: the serial collector, a quarter of the container's memory
     * for the heap) in the JVM pod's 320 MiB memory limit ({@code -XX:MaxRAM} stands in for the container's limit).
     */
    static final String CONTAINER_MEMORY = "-XX:MaxRAM=320m";
    static final String FALLBACK_JVM_OPTIONS = "-XX:+UseSerialGC -XX:MinRAMPercentage=25 -XX:MaxRAMPercentage=25 "
            + CONTAINER_MEMORY;
    static final String DEFAULT_VARIANTS = "baseline,baseline-exactly-once,baseline-flush,app,app-exactly-once,app-noop";

    static final String USAGE = """
            Usage: java -jar verification/benchmarks/target/benchmarks.jar [OPTIONS]   (from the repository root, after
                   ./mvnw -B -pl verification/benchmarks -am package -DskipTests)

              --records N            orders produced once, consumed by every variant (default 1000000)
              --partitions N         partitions of every topic (default 6)
              --variants LIST        comma-separated, in order (default %s)
              --repeat N             rounds, interleaved; each variant reported by its median round (default 1)
              --latency-variants L   variants whose end-to-end latency is measured (default baseline,app; none for none)
              --rate N               offered rate of the latency phase, records/s (default 10000)
              --warmup-seconds N     latency phase, not counted (default 10)
              --latency-seconds N    latency phase, counted (default 30)
              --jvm-options "..."    JVM options of every variant (default: the -XX flags of src-native/jvm.args
                                     and %s)
              --app-jar PATH         default function-app/target/quarkus-app/quarkus-run.jar
              --results PATH         Markdown file to append the results to (default verification/benchmarks/RESULTS.md; none: print only)
              --work-dir PATH        child processes' logs (default verification/benchmarks/target/benchmark-run)
              --timeout-seconds N    the longest one variant may take (default 900)
              --app-env "K=V,..."    extra environment of the app variants, e.g. KAFKA_MAX_POLL_RECORDS=1000
            Variants: baseline (pipelined plain-client loop, the reference at least once), baseline-exactly-once
            (plain-client loop, a transaction per 100 ms: the reference exactly once), baseline-flush (plain-client
            loop that waits for the broker after every poll), app (at least once), app-exactly-once, app-noop
            (PROCESSOR=noop).
            """.formatted(DEFAULT_VARIANTS, CONTAINER_MEMORY);

    private static final Set<String> KEYS = Set.of("--records", "--partitions", "--variants", "--latency-variants",
            "--rate", "--warmup-seconds", "--latency-seconds", "--jvm-options", "--app-jar", "--results", "--work-dir",
            "--timeout-seconds", "--app-env", "--repeat");

    public static BenchmarkOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String key = args[i];
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("Unknown option '" + key + "'.");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(key + " needs a value.");
            }
            values.put(key, args[++i]);
        }
        Path root = RepositoryRoot.find();
        String results = values.getOrDefault("--results", root.resolve("verification/benchmarks/RESULTS.md").toString());
        return new BenchmarkOptions(
                positive(values, "--records", 1_000_000),
                positive(values, "--partitions", 6),
                variants(values.getOrDefault("--variants", DEFAULT_VARIANTS)),
                positive(values, "--repeat", 1),
                variants(values.getOrDefault("--latency-variants", "baseline,app")),
                positive(values, "--rate", 10_000),
                nonNegative(values, "--warmup-seconds", 10),
                positive(values, "--latency-seconds", 30),
                List.of(values.getOrDefault("--jvm-options", defaultJvmOptions(root)).trim().split("\\s+")),
                Path.of(values.getOrDefault("--app-jar",
                        root.resolve("function-app/target/quarkus-app/quarkus-run.jar").toString())).toAbsolutePath(),
                results.equals("none") ? null : Path.of(results).toAbsolutePath(),
                Path.of(values.getOrDefault("--work-dir", root.resolve("verification/benchmarks/target/benchmark-run").toString()))
                        .toAbsolutePath(),
                positive(values, "--timeout-seconds", 900),
                environment(values.getOrDefault("--app-env", "")));
    }

    /** The {@code -XX} flags of the JVM image ({@code src-native/jvm.args}) in the JVM pod's memory limit. */
    static String defaultJvmOptions(Path root) {
        Path jvmArgs = root.resolve("src-native/jvm.args");
        if (!Files.isRegularFile(jvmArgs)) {
            return FALLBACK_JVM_OPTIONS;
        }
        try {
            List<String> flags = new ArrayList<>();
            for (String line : Files.readAllLines(jvmArgs)) {
                String flag = line.trim();
                if (flag.startsWith("-XX:")) {
                    flags.add(flag);
                }
            }
            flags.add(CONTAINER_MEMORY);
            return String.join(" ", flags);
        } catch (java.io.IOException e) {
            return FALLBACK_JVM_OPTIONS;
        }
    }

    /** Fails early, naming the option, rather than minutes into a run. */
    void check() {
        if (!Files.isRegularFile(appJar)) {
            throw new IllegalArgumentException("The app is not packaged: " + appJar + " is missing. Run "
                    + "./mvnw -B -pl verification/benchmarks -am package -DskipTests first, or pass --app-jar.");
        }
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("--variants names no variant.");
        }
    }

    private static Map<String, String> environment(String list) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String pair : list.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("--app-env takes NAME=VALUE pairs separated by commas, not '"
                        + pair + "'");
            }
            environment.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return Map.copyOf(environment);
    }

    private static List<Variant> variants(String list) {
        if (list.isBlank() || list.equals("none")) {
            return List.of();
        }
        List<Variant> variants = new ArrayList<>();
        for (String name : list.split(",")) {
            variants.add(Variant.named(name.trim()));
        }
        return List.copyOf(variants);
    }

    private static int positive(Map<String, String> values, String key, int otherwise) {
        int value = integer(values, key, otherwise);
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, not " + value);
        }
        return value;
    }

    private static int nonNegative(Map<String, String> values, String key, int otherwise) {
        int value = integer(values, key, otherwise);
        if (value < 0) {
            throw new IllegalArgumentException(key + " must not be negative, not " + value);
        }
        return value;
    }

    private static int integer(Map<String, String> values, String key, int otherwise) {
        String value = values.get(key);
        if (value == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
        }
    }
}
