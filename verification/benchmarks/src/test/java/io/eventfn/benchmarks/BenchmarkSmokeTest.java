package io.eventfn.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.eventfn.kafka.local.RepositoryRoot;

/**
 * The whole benchmark, small: every variant (the reference loops and the app) consumes every record and gets a report
 * line with its ratio to the reference of its guarantee, and the latency phase yields percentiles. Speed is not
 * asserted here; the numbers of a full run go to RESULTS.md.
 */
class BenchmarkSmokeTest {

    private static final int RECORDS = 20_000;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyVariantConsumesEverythingAndIsReported() throws IOException {
        Path workDir = Path.of(System.getProperty("benchmark.work.dir", "target/smoke"));
        Path results = workDir.resolve("RESULTS.md");
        Files.deleteIfExists(results);
        BenchmarkOptions options = BenchmarkOptions.parse(
                "--records", Integer.toString(RECORDS),
                "--rate", "5000",
                "--warmup-seconds", "1",
                "--latency-seconds", "2",
                "--timeout-seconds", "120",
                "--app-jar", System.getProperty("benchmark.app.jar", RepositoryRoot.packagedAppJar().toString()),
                "--results", results.toString(),
                "--work-dir", workDir.toString());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

        BenchmarkReport report = new ThroughputBenchmark(options, new TeeStream(out, System.out)).run();
        ResultsTable.append(results, ResultsTable.section(report));

        assertThat(report.results()).extracting(VariantResult::variant).containsExactly(Variant.values());
        for (VariantResult result : report.results()) {
            assertThat(result.consumedAll()).as("%s committed every input offset", result.variant()).isTrue();
            assertThat(result.outputs()).as("%s outputs", result.variant()).isGreaterThanOrEqualTo(RECORDS);
            assertThat(result.recordsPerSecond()).as("%s records/s", result.variant()).isPositive();
            assertThat(result.cpuSecondsTotal()).as("%s CPU", result.variant()).isPositive();
            assertThat(result.peakRssBytes()).as("%s peak RSS", result.variant()).isPositive();
        }
        for (Variant measured : new Variant[] { Variant.BASELINE, Variant.APP }) {
            LatencyPhase.Latency latency = report.latency(measured);
            assertThat(latency).as("latency of %s", measured).isNotNull();
            assertThat(latency.records()).isEqualTo(5_000L * 2);
            assertThat(latency.p50()).isNotNegative().isLessThanOrEqualTo(latency.p99());
            assertThat(latency.p99()).isLessThanOrEqualTo(latency.p999());
        }
        String markdown = Files.readString(results);
        for (Variant variant : Variant.values()) {
            assertThat(markdown).as("report line of %s", variant).contains("| " + variant.label() + " | ");
        }
        assertThat(markdown).contains("p99.9 ms").contains("Targets:")
                .contains("(b) ≥ 0.90 × (a)").contains("(c) ≥ 0.75 × (e)");
        assertThat(markdown).as("the exactly-once app is divided by the exactly-once reference")
                .containsPattern("\\| \\(c\\) app, exactly once \\|[^\\n]*× \\(e\\)");
    }

    /** Prints to the console too, so that a slow CI run shows where it is. */
    private static final class TeeStream extends PrintStream {

        private final PrintStream second;

        TeeStream(PrintStream first, PrintStream second) {
            super(first, true, StandardCharsets.UTF_8);
            this.second = second;
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            super.write(buf, off, len);
            second.write(buf, off, len);
        }
    }
}
