package io.eventfn.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one benchmark run does; every size is an argument so that the smoke test runs the same code, smaller.
 *
 * @param records          orders produced once to the input topic, consumed by every variant
 * @param partitions       partitions of every topic
 * @param variants         the variants to measure, in this order; the baseline first gives the others their ratio
 * @param latencyVariants  the variants whose latency is measured, right after their throughput run
 * @param rate             offered rate of the latency phase, records/s
 * @param warmupSeconds    latency phase: seconds at {@code rate} not counted
 * @param latencySeconds   latency phase: seconds at {@code rate} counted
 * @param jvmOptions       JVM options of the baseline's and the app's JVMs, the same for both
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
     * A small fixed heap, the same for every variant so that their memory compares: the serial collector is what the
     * JVM picks by itself with one CPU or less (and what {@code src-native/Dockerfile.jvm} pins), 128 MB its default
     * heap in a 512 MiB container.
     */
    static final String DEFAULT_JVM_OPTIONS = "-XX:+UseSerialGC -Xmx128m";

    static final String USAGE = """
            Usage: java -jar benchmarks/target/benchmarks.jar [OPTIONS]   (from the repository root, after
                   ./mvnw -B -pl benchmarks -am package -DskipTests)

              --records N            orders produced once, consumed by every variant (default 1000000)
              --partitions N         partitions of every topic (default 6)
              --variants LIST        comma-separated, in order (default baseline,app,app-exactly-once,app-noop)
              --latency-variants L   variants whose end-to-end latency is measured (default baseline,app; none for none)
              --rate N               offered rate of the latency phase, records/s (default 10000)
              --warmup-seconds N     latency phase, not counted (default 10)
              --latency-seconds N    latency phase, counted (default 30)
              --jvm-options "..."    JVM options of the baseline and the app (default "%s")
              --app-jar PATH         default function-app/target/quarkus-app/quarkus-run.jar
              --results PATH         Markdown file to append the results to (default benchmarks/RESULTS.md; none: print only)
              --work-dir PATH        child processes' logs (default benchmarks/target/benchmark-run)
              --timeout-seconds N    the longest one variant may take (default 900)
              --app-env "K=V,..."    extra environment of the app variants, e.g. KAFKA_MAX_POLL_RECORDS=1000
            Variants: baseline (plain KafkaConsumer + KafkaProducer, same OrderEnricher), app (at least once),
            app-exactly-once, app-noop (PROCESSOR=noop).
            """.formatted(DEFAULT_JVM_OPTIONS);

    private static final Set<String> KEYS = Set.of("--records", "--partitions", "--variants", "--latency-variants",
            "--rate", "--warmup-seconds", "--latency-seconds", "--jvm-options", "--app-jar", "--results", "--work-dir",
            "--timeout-seconds", "--app-env");

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
        Path root = RepositoryLayout.root();
        String results = values.getOrDefault("--results", root.resolve("benchmarks/RESULTS.md").toString());
        return new BenchmarkOptions(
                positive(values, "--records", 1_000_000),
                positive(values, "--partitions", 6),
                variants(values.getOrDefault("--variants", "baseline,app,app-exactly-once,app-noop")),
                variants(values.getOrDefault("--latency-variants", "baseline,app")),
                positive(values, "--rate", 10_000),
                nonNegative(values, "--warmup-seconds", 10),
                positive(values, "--latency-seconds", 30),
                List.of(values.getOrDefault("--jvm-options", DEFAULT_JVM_OPTIONS).trim().split("\\s+")),
                Path.of(values.getOrDefault("--app-jar",
                        root.resolve("function-app/target/quarkus-app/quarkus-run.jar").toString())).toAbsolutePath(),
                results.equals("none") ? null : Path.of(results).toAbsolutePath(),
                Path.of(values.getOrDefault("--work-dir", root.resolve("benchmarks/target/benchmark-run").toString()))
                        .toAbsolutePath(),
                positive(values, "--timeout-seconds", 900),
                environment(values.getOrDefault("--app-env", "")));
    }

    /** Fails early, naming the option, rather than minutes into a run. */
    void check() {
        if (!Files.isRegularFile(appJar)) {
            throw new IllegalArgumentException("The app is not packaged: " + appJar + " is missing. Run "
                    + "./mvnw -B -pl benchmarks -am package -DskipTests first, or pass --app-jar.");
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
