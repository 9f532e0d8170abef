package io.eventfn.scaling;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * Runs {@link ColdStartBenchmark} when asked ({@code -Dcold-start.runs=5}); skipped otherwise, so that a verify does
 * not pay minutes of process starts. The table is appended to COLD-START.md.
 */
class ColdStartBenchmarkIT {

    @Test
    void measuresColdStartOfEveryVariant() throws Exception {
        int runs = Integer.getInteger("cold-start.runs", 0);
        assumeTrue(runs > 0, "cold-start benchmark not requested (-Dcold-start.runs=5)");
        Path app = AppJar.copy("scaling.app.jar", "cold-start-app");
        Path aot = Path.of(System.getProperty("scaling.aot.app.jar", "none"));
        if (aot.toFile().isFile()) {
            aot = AppJar.copy("scaling.aot.app.jar", "cold-start-aot-app");
        }
        ColdStartBenchmark.main(new String[] { Integer.toString(runs), app.toString(), aot.toString(),
                System.getProperty("cold-start.results", "COLD-START.md"),
                AppJar.workDir().resolve("cold-start").toString() });
    }
}
