package io.eventfn.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Writes a run as a dated Markdown section: the environment, one line per variant, the latencies, the targets. */
final class ResultsTable {

    static final double APP_TARGET = 0.8;
    static final double EXACTLY_ONCE_TARGET = 0.5;
    static final double RSS_TARGET_MB = 200;

    private static final String HEADER = """
            # Benchmark results

            Written by `benchmarks` (`io.eventfn.benchmarks.BenchmarkMain`); each run appends a dated section below, older
            ones are kept. How to run and what each column means: `benchmarks/README.md`.
            """;

    private ResultsTable() {
    }

    static String section(BenchmarkReport report) {
        BenchmarkOptions options = report.options();
        StringBuilder md = new StringBuilder();
        md.append(format("%n## %s — %,d orders, %d partitions%n%n",
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(report.started()),
                options.records(), options.partitions()));
        md.append(format("- JDK: %s %s (%s); %d cores (`availableProcessors`), %s; %s%n",
                System.getProperty("java.vm.vendor"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(), cpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.version")));
        md.append(format("- JVM options of (a)–(d): `%s`; broker: `LocalKafkaBroker` (KRaft, one node, same host, "
                + "-Xmx1g); commit: %s%n", String.join(" ", options.jvmOptions()), gitCommit()));
        md.append(format("- Input: %,d valid orders, %.0f bytes on average (150–200), produced once in %.1f s; "
                + "each variant: fresh group, fresh output topic (LogAppendTime), its own JVM, run alone%n",
                report.input().records(), report.input().averageValueBytes(), report.input().seconds()));
        md.append(format("- Command: `java -jar benchmarks/target/benchmarks.jar --records %d --partitions %d "
                + "--rate %d --warmup-seconds %d --latency-seconds %d%s`%n%n", options.records(), options.partitions(),
                options.rate(), options.warmupSeconds(), options.latencySeconds(),
                options.appEnvironment().isEmpty() ? "" : " --app-env " + options.appEnvironment().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).sorted()
                        .collect(java.util.stream.Collectors.joining(","))));
        md.append("| variant | outputs | records/s | × (a) | CPU s processing | CPU µs/record | CPU s total | "
                + "peak RSS MB | start → first output s | load avg before |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (VariantResult result : report.results()) {
            md.append(line(result, report.baseline())).append('\n');
        }
        md.append("\nrecords/s: outputs ÷ (LogAppendTime of the last output − of the first). CPU: utime+stime of the "
                + "process (`/proc/<pid>/stat`), processing = from the first output to the commit of the last input. "
                + "Peak RSS: VmHWM (`/proc/<pid>/status`).\n");
        boolean anyLatency = report.results().stream().anyMatch(r -> r.latency() != null);
        if (anyLatency) {
            md.append(format("%nEnd-to-end latency at %,d records/s offered for %d s after %d s of warm-up, on the "
                    + "warm process right after its throughput run: output LogAppendTime (broker clock) − input "
                    + "CreateTime (set by the benchmark's producer just before send; same host clock, 1 ms "
                    + "resolution).%n%n", options.rate(), options.latencySeconds(), options.warmupSeconds()));
            md.append("| variant | records | achieved rate/s | p50 ms | p99 ms | p99.9 ms | max ms |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|\n");
            for (VariantResult result : report.results()) {
                LatencyPhase.Latency latency = result.latency();
                if (latency != null) {
                    md.append(format("| %s | %,d | %,.0f | %d | %d | %d | %d |%n", result.variant().label(),
                            latency.records(), latency.achievedRate(), latency.p50(), latency.p99(), latency.p999(),
                            latency.max()));
                }
            }
        }
        md.append('\n').append(targets(report)).append('\n');
        return md.toString();
    }

    static String line(VariantResult result, VariantResult baseline) {
        double ratio = baseline == null ? Double.NaN : result.recordsPerSecond() / baseline.recordsPerSecond();
        return format("| %s | %,d%s | %,.0f | %s | %.1f | %.1f | %.1f | %.0f | %.1f | %.2f |", result.variant().label(),
                result.outputs(), result.consumedAll() ? "" : " (NOT ALL CONSUMED)", result.recordsPerSecond(),
                Double.isNaN(ratio) ? "–" : format("%.2f", ratio), result.cpuSecondsProcessing(),
                result.outputs() == 0 ? Double.NaN : result.cpuSecondsProcessing() * 1e6 / result.outputs(),
                result.cpuSecondsTotal(), result.peakRssMegabytes(), result.secondsToFirstOutput(),
                result.loadAverageBefore());
    }

    static String targets(BenchmarkReport report) {
        VariantResult baseline = report.baseline();
        StringBuilder text = new StringBuilder("Targets: ");
        text.append(ratioTarget(report.result(Variant.APP), baseline, APP_TARGET)).append("; ");
        text.append(ratioTarget(report.result(Variant.APP_EXACTLY_ONCE), baseline, EXACTLY_ONCE_TARGET)).append("; ");
        double maxRss = report.results().stream().filter(r -> r.variant().isApp())
                .mapToDouble(VariantResult::peakRssMegabytes).max().orElse(Double.NaN);
        text.append(Double.isNaN(maxRss) ? "app RSS not measured"
                : format("app peak RSS ≤ %.0f MB: %s (%.0f MB)", RSS_TARGET_MB, maxRss <= RSS_TARGET_MB ? "met"
                        : "NOT met", maxRss));
        return text.append('.').toString();
    }

    private static String ratioTarget(VariantResult result, VariantResult baseline, double target) {
        if (result == null || baseline == null) {
            return format("≥ %.1f×(a) not measured", target);
        }
        double ratio = result.recordsPerSecond() / baseline.recordsPerSecond();
        return format("%s ≥ %.1f×(a): %s (%.2f)", result.variant().label().substring(0, 3), target,
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

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: leave it out
        }
        return "CPU model unknown";
    }

    private static String gitCommit() {
        try {
            Process git = new ProcessBuilder("git", "-C", RepositoryLayout.root().toString(), "describe", "--always",
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
