package io.eventfn.kafka.local.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trains the JDK 25 AOT cache ({@code app.aot}, JEP 483/514/515) of the packaged app on the work it does at a cold
 * start: the app runs with {@code -XX:AOTCacheOutput} against a local broker until it has enriched and dead-lettered
 * a batch of orders and committed them, then gets SIGTERM and drains, and its JVM writes the cache at exit. A second
 * run with {@code -XX:AOTMode=on} proves the cache is usable (that JVM refuses to start otherwise).
 *
 * <p>Classes of the JVM's built-in class loaders are cached loaded and linked (JEP 483), those of Quarkus's fast-jar
 * class loader only parsed; hence function-app's {@code aot-jar} packaging, which puts every jar on the class path
 * (about 0.3 s less to the first output here, see verification/benchmarks/COLD-START.md). The cache must be used by the same
 * JDK build, with the same JVM options (the GC above all) and the same jars.
 */
public final class AotCacheTraining {

    /** The cache's file name beside {@code quarkus-run.jar}, as the app's image runs it: {@code -XX:AOTCache=app.aot}. */
    public static final String CACHE_FILE = "app.aot";
    public static final long DEFAULT_RECORDS = 20_000;
    private static final int VERIFY_RECORDS = 1_000;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Path appJar;
    private final List<String> jvmOptions;
    private final long records;
    private final PrintStream out;

    /**
     * @param appJar     the app's {@code quarkus-run.jar}; {@code null} finds it in this repository
     * @param jvmOptions the options the app will run with (they must match at run time), without any {@code -XX:AOT*}
     */
    public AotCacheTraining(Path appJar, List<String> jvmOptions, long records, PrintStream out) {
        if (jvmOptions.stream().anyMatch(option -> option.startsWith("-XX:AOT"))) {
            throw new IllegalArgumentException("Leave the -XX:AOT* options out of the JVM options: training sets them itself ("
                    + jvmOptions + ").");
        }
        this.appJar = appJar;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.records = records;
        this.out = out;
    }

    /** @return 0 when the cache was written and a JVM started with it; 1 otherwise, with the reason printed */
    public int run() throws Exception {
        Path jar = appJar != null ? OrdersDemo.requireAppJar(appJar).toAbsolutePath() : OrdersDemo.locateAppJar();
        Path cache = jar.getParent().resolve(CACHE_FILE);
        // A stale cache is never worth keeping: it no longer matches the jars beside it.
        Files.deleteIfExists(cache);

        out.printf(Locale.ROOT, "Training  the AOT cache %s on %,d orders%n", cache, records);
        long started = System.nanoTime();
        if (demo(jar, records, "-XX:AOTCacheOutput=" + CACHE_FILE) != 0) {
            out.println("FAILED: the training run did not process every order (see above); no cache written.");
            return 1;
        }
        if (!Files.isRegularFile(cache)) {
            out.printf(Locale.ROOT, "FAILED: the app's JVM wrote no %s at exit. It needs JDK 25 or newer (JAVA_HOME); see the app's"
                    + " log above.%n", cache);
            return 1;
        }
        out.printf(Locale.ROOT, "Trained   %s, %,d MB, in %.0f s%n", cache, Files.size(cache) / 1_000_000,
                (System.nanoTime() - started) / 1e9);

        out.printf(Locale.ROOT, "Checking  the cache: the app again, with -XX:AOTMode=on (its JVM refuses to start with an unusable cache)%n");
        if (demo(jar, VERIFY_RECORDS, "-XX:AOTCache=" + CACHE_FILE, "-XX:AOTMode=on") != 0) {
            out.printf(Locale.ROOT, "FAILED: the app did not run with %s (see above); deleting it.%n", cache);
            deleteQuietly(cache);
            return 1;
        }
        out.printf(Locale.ROOT, "OK        run the app from %s with: java -XX:AOTCache=%s %s-jar %s%n", jar.getParent(), CACHE_FILE,
                jvmOptions.isEmpty() ? "" : String.join(" ", jvmOptions) + " ", jar.getFileName());
        return 0;
    }

    private int demo(Path jar, long orders, String... aotOptions) throws Exception {
        List<String> options = new ArrayList<>(jvmOptions);
        options.addAll(List.of(aotOptions));
        return new OrdersDemo(new OrdersDemo.Settings(orders, OrdersDemo.Settings.DEFAULT_INVALID_PERCENT,
                OrdersDemo.Settings.DEFAULT_PARTITIONS, false, TIMEOUT, jar, options), out).run();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Reported by the caller's failure already; a leftover file is refused by the next -XX:AOTMode=on.
        }
    }
}
