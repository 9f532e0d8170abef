package io.eventfn.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import io.eventfn.kafka.local.MachineLoad;
import io.eventfn.kafka.local.RepositoryRoot;

/** Writes a run as a dated Markdown section: the environment, one line per variant, the latencies, the targets. */
final class ResultsTable {

    /** (b) ÷ (a) and (c) ÷ (e): the app against the reference loop of its guarantee. */
    static final double APP_TARGET = 0.9;
    static final double EXACTLY_ONCE_TARGET = 0.75;
    static final double RSS_TARGET_MB = 200;
    /** p99 end-to-end latency of the app at the latency phase's rate. */
    static final long LATENCY_P99_TARGET_MS = 12;

    private static final String HEADER = """
            # Benchmark results

            Written by `benchmarks` (`io.eventfn.benchmarks.BenchmarkMain`); each run appends a dated section below, older
            ones are kept. How to run and what each column means: `verification/benchmarks/README.md`.
            """;

    private ResultsTable() {
    }

    static String section(BenchmarkReport report) {
        BenchmarkOptions options = report.options();
        StringBuilder md = new StringBuilder();
        md.append(format("%n## %s — %,d orders, %d partitions, %d round%s%n%n",
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(report.started()),
                options.records(), options.partitions(), options.repeat(), options.repeat() == 1 ? "" : "s"));
        md.append(format("- JDK: %s %s (%s); %d cores (`availableProcessors`), %s; %s%n",
                System.getProperty("java.vm.vendor"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(), MachineLoad.cpuModel().orElse("CPU model unknown"),
                System.getProperty("os.name") + " " + System.getProperty("os.version")));
        java.nio.file.Path cache = ThroughputBenchmark.appAotCache(options);
        md.append(format("- JVM options of every variant: `%s`; the app also `-XX:AOTCache` (%s); broker: "
                + "`LocalKafkaBroker` (KRaft, one node, same host, -Xmx1g); commit: %s%n",
                String.join(" ", options.jvmOptions()), cache == null ? "no trained cache beside the jar: not used"
                        : "trained by aot-train", gitCommit()));
        md.append(format("- Input: %,d valid orders, %.0f bytes on average (150–200), produced once in %.1f s; "
                + "each variant: fresh group, fresh output topic (LogAppendTime), its own JVM, run alone; "
                + "rounds interleaved, each variant reported by its median round%n",
                report.input().records(), report.input().averageValueBytes(), report.input().seconds()));
        md.append(format("- Command: `java -jar verification/benchmarks/target/benchmarks.jar --records %d --partitions %d "
                + "--repeat %d --rate %d --warmup-seconds %d --latency-seconds %d%s`%n%n", options.records(),
                options.partitions(), options.repeat(), options.rate(), options.warmupSeconds(),
                options.latencySeconds(),
                options.appEnvironment().isEmpty() ? "" : " --app-env " + options.appEnvironment().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).sorted()
                        .collect(java.util.stream.Collectors.joining(","))));
        md.append("| variant | outputs | records/s (median) | rounds' range | × reference | CPU s processing | "
                + "CPU µs/record | CPU s total | peak RSS MB | start → first output s | highest load avg before |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Variant variant : report.variants()) {
            md.append(line(report.result(variant), report.result(variant.reference()), report.rounds(variant)))
                    .append('\n');
        }
        md.append("\nrecords/s: outputs ÷ (LogAppendTime of the last output − of the first). × reference: ÷ the "
                + "median of (a) for at-least-once variants, of (e) for exactly-once ones. CPU: utime+stime of the "
                + "process (`/proc/<pid>/stat`), processing = from the first output to the commit of the last input. "
                + "Peak RSS: VmHWM (`/proc/<pid>/status`). Load above the core count before a round marks it "
                + "disturbed.\n");
        boolean anyLatency = report.variants().stream().anyMatch(v -> report.latency(v) != null);
        if (anyLatency) {
            md.append(format("%nEnd-to-end latency at %,d records/s offered for %d s after %d s of warm-up, on the "
                    + "warm process right after its first throughput round: output LogAppendTime (broker clock) − "
                    + "input CreateTime (set by the benchmark's producer just before send; same host clock, 1 ms "
                    + "resolution).%n%n", options.rate(), options.latencySeconds(), options.warmupSeconds()));
            md.append("| variant | records | achieved rate/s | p50 ms | p99 ms | p99.9 ms | max ms |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|\n");
            for (Variant variant : report.variants()) {
                LatencyPhase.Latency latency = report.latency(variant);
                if (latency != null) {
                    md.append(format("| %s | %,d | %,.0f | %d | %d | %d | %d |%n", variant.label(),
                            latency.records(), latency.achievedRate(), latency.p50(), latency.p99(), latency.p999(),
                            latency.max()));
                }
            }
        }
        md.append('\n').append(targets(report)).append('\n');
        return md.toString();
    }

    /** One variant's line: its median round, and the range over all its rounds. */
    static String line(VariantResult result, VariantResult reference, List<VariantResult> rounds) {
        double ratio = reference == null || reference == result ? Double.NaN
                : result.recordsPerSecond() / reference.recordsPerSecond();
        double slowest = rounds.stream().mapToDouble(VariantResult::recordsPerSecond).min().orElse(Double.NaN);
        double fastest = rounds.stream().mapToDouble(VariantResult::recordsPerSecond).max().orElse(Double.NaN);
        double load = rounds.stream().mapToDouble(VariantResult::loadAverageBefore).max().orElse(Double.NaN);
        boolean disturbed = load > Runtime.getRuntime().availableProcessors();
        return format("| %s | %,d%s | %,.0f | %s | %s | %.1f | %.1f | %.1f | %.0f | %.1f | %.2f%s |",
                result.variant().label(), result.outputs(), result.consumedAll() ? "" : " (NOT ALL CONSUMED)",
                result.recordsPerSecond(), rounds.size() < 2 ? "–" : format("%,.0f–%,.0f", slowest, fastest),
                Double.isNaN(ratio) ? "–" : format("%.2f × %s", ratio, reference.variant().letter()),
                result.cpuSecondsProcessing(),
                result.outputs() == 0 ? Double.NaN : result.cpuSecondsProcessing() * 1e6 / result.outputs(),
                result.cpuSecondsTotal(), result.peakRssMegabytes(), result.secondsToFirstOutput(), load,
                disturbed ? " (disturbed)" : "");
    }

    static String targets(BenchmarkReport report) {
        StringBuilder text = new StringBuilder("Targets: ");
        text.append(ratioTarget(report.result(Variant.APP), report.result(Variant.BASELINE), APP_TARGET))
                .append("; ");
        text.append(ratioTarget(report.result(Variant.APP_EXACTLY_ONCE), report.result(Variant.BASELINE_EXACTLY_ONCE),
                EXACTLY_ONCE_TARGET)).append("; ");
        LatencyPhase.Latency latency = report.latency(Variant.APP);
        text.append(latency == null ? "app latency not measured"
                : format("(b) p99 latency ≤ %d ms: %s (%d ms)", LATENCY_P99_TARGET_MS,
                        latency.p99() <= LATENCY_P99_TARGET_MS ? "met" : "NOT met", latency.p99()))
                .append("; ");
        double maxRss = report.variants().stream().filter(Variant::isApp).map(report::result)
                .mapToDouble(VariantResult::peakRssMegabytes).max().orElse(Double.NaN);
        text.append(Double.isNaN(maxRss) ? "app RSS not measured"
                : format("app peak RSS ≤ %.0f MB: %s (%.0f MB)", RSS_TARGET_MB, maxRss <= RSS_TARGET_MB ? "met"
                        : "NOT met", maxRss));
        return text.append('.').toString();
    }

    private static String ratioTarget(VariantResult result, VariantResult reference, double target) {
        if (result == null || reference == null) {
            return format("%s ≥ %.2f × reference: not measured", result == null ? "app" : result.variant().letter(),
                    target);
        }
        double ratio = result.recordsPerSecond() / reference.recordsPerSecond();
        return format("%s ≥ %.2f × %s: %s (%.2f)", result.variant().letter(), target, reference.variant().letter(),
                ratio >= target ? "met" : "NOT met", ratio);
    }

    /** Appends the section, creating the file with its header first. */
    static void append(Path file, String section) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!Files.exists(file)) {
                Files.writeString(file, HEADER, StandardCharsets.UTF_8);
            }
            Files.writeString(file, section, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static String gitCommit() {
        try {
            Process git = new ProcessBuilder("git", "-C", RepositoryRoot.find().toString(), "describe", "--always",
                    "--dirty").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (git.waitFor(5, TimeUnit.SECONDS) && git.exitValue() == 0) {
                return "`" + out + "`";
            }
        } catch (IOException e) {
            // no git: leave it out
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }

    private static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
