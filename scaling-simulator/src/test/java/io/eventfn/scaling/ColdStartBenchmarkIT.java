package io.eventfn.scaling;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        // A copy of its own: the benchmark trains the AOT cache into the app's directory.
        var app = AppJar.copy("scaling.app.jar", "cold-start-app");
        var buildTimeAot = System.getProperty("scaling.aot.app.jar", "none");
        if (new java.io.File(buildTimeAot).isFile()) {
            buildTimeAot = AppJar.copy("scaling.aot.app.jar", "cold-start-build-time-aot-app").toString();
        }
        ColdStartBenchmark.main(new String[] { Integer.toString(runs), app.toString(), buildTimeAot,
                System.getProperty("scaling.native.executable", "none"),
                System.getProperty("cold-start.results", "COLD-START.md"),
                AppJar.workDir().resolve("cold-start").toString() });
    }
}
