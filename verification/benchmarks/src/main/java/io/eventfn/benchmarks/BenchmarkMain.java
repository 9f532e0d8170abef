package io.eventfn.benchmarks;

/**
 * {@code java -jar verification/benchmarks/target/benchmarks.jar [--records N] ...}: runs the benchmark, prints the results and
 * appends them to {@code verification/benchmarks/RESULTS.md}. {@code --help} lists the options.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(BenchmarkOptions.USAGE);
            return;
        }
        int status;
        try {
            BenchmarkOptions options = BenchmarkOptions.parse(args);
            BenchmarkReport report = new ThroughputBenchmark(options, System.out).run();
            String section = ResultsTable.section(report);
            System.out.print(section);
            if (options.results() != null) {
                ResultsTable.append(options.results(), section);
                System.out.println("Appended to " + options.results());
            }
            status = 0;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(BenchmarkOptions.USAGE);
            status = 2;
        } catch (RuntimeException e) {
            System.err.println("FAILED: " + e);
            e.printStackTrace();
            status = 1;
        }
        // Kafka clients can leave non-daemon threads behind after a failure; exiting runs the shutdown hooks.
        System.exit(status);
    }
}
