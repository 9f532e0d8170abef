package io.eventfn.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.eventfn.kafka.local.PackagedApp;
import io.eventfn.kafka.local.RepositoryRoot;

/**
 * Runs {@link ColdStartBenchmark} when asked ({@code -Dcold-start.runs=5}); skipped otherwise, so that a verify does
 * not pay minutes of process starts. The table is appended to COLD-START.md.
 */
class ColdStartBenchmarkIT {

    @Test
    void measuresColdStartOfEveryVariant() throws Exception {
        int runs = Integer.getInteger("cold-start.runs", 0);
        assumeTrue(runs > 0, "cold-start benchmark not requested (-Dcold-start.runs=5)");
        Path work = Path.of(System.getProperty("cold-start.work", "target/cold-start")).toAbsolutePath();
        // A copy of its own: the benchmark trains the AOT cache into the app's directory.
        String packaged = System.getProperty("benchmark.app.jar");
        Path app = PackagedApp.freshCopyOf(packaged != null ? Path.of(packaged) : RepositoryRoot.packagedAppJar(),
                work.resolve("app"));
        String buildTimeAot = System.getProperty("benchmark.aot.app.jar", "none");
        if (Files.isRegularFile(Path.of(buildTimeAot))) {
            buildTimeAot = PackagedApp.freshCopyOf(Path.of(buildTimeAot), work.resolve("build-time-aot-app")).toString();
        }
        Path results = Path.of(System.getProperty("cold-start.results", "COLD-START.md"));
        long before = Files.exists(results) ? Files.size(results) : 0;

        ColdStartBenchmark.main(new String[] { Integer.toString(runs), app.toString(), buildTimeAot,
                System.getProperty("benchmark.native.executable", "none"), results.toString(),
                work.resolve("runs").toString() });

        // The run appended its table, with the baseline measured: every ratio has its denominator from this run.
        byte[] all = Files.readAllBytes(results);
        String appended = new String(all, (int) before, all.length - (int) before, StandardCharsets.UTF_8);
        assertThat(appended).contains("| JVM, classic group protocol (baseline) | ")
                .doesNotContain("| JVM, classic group protocol (baseline) | -1 |");
    }
}
