package io.eventfn.kafka.local;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import io.eventfn.kafka.local.demo.AotCacheTraining;
import io.eventfn.kafka.local.demo.OrdersDemo;

/**
 * {@code java -jar verification/local-kafka/target/local-kafka.jar start|demo|aot-train [options]}: a local broker for
 * trying the consumer app by hand, the end-to-end demo, and the training run of the app's AOT cache.
 */
public final class LocalKafkaCli {

    private static final String USAGE = """
            Usage: java -jar verification/local-kafka/target/local-kafka.jar COMMAND [OPTIONS]

            Commands:
              start [--port N] [--data-dir DIR]
                  Start a single-node Kafka broker on 127.0.0.1 and run it until Ctrl-C.
                  Prints bootstrap.servers=127.0.0.1:N. Without --data-dir the data lives in a temp dir deleted at exit.
              demo [--records N] [--invalid-percent P] [--partitions K] [--keep-running]
                   [--timeout-seconds S] [--app-jar PATH]
                  Start a broker, produce N orders (default 100000, about P % invalid, default 2) to 'orders'
                  (K partitions, default 3), run the consumer app (function-app/target/quarkus-app/quarkus-run.jar)
                  against it and report progress until every order is enriched or dead-lettered (timeout default 300 s).
                  --keep-running leaves broker and app running afterwards, until Ctrl-C.
              aot-train [--app-jar PATH] [--records N] [--jvm-args-file FILE]
                  Train the app's JDK 25 AOT cache: run the demo with N orders (default 20000) and the app's JVM writing
                  app.aot beside quarkus-run.jar, then check it with a second run (-XX:AOTMode=on). FILE holds the JVM
                  options the app will run with (java @FILE); the cache is only used with the same options and JDK.
                  Run the app with it: cd function-app/target/quarkus-app && java -XX:AOTCache=app.aot -jar quarkus-run.jar
              help
                  Show this text.
            """;

    private LocalKafkaCli() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out, System.err);
        } catch (Exception e) {
            System.err.println("FAILED: " + e);
            e.printStackTrace();
            status = 1;
        }
        // Explicit, because Kafka clients can leave non-daemon threads behind after a failure;
        // exiting also runs the shutdown hooks that stop what was started.
        System.exit(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        try {
            return switch (command) {
                case "start" -> start(CommandLineOptions.parse(command, args, 1, Set.of("--port", "--data-dir"), Set.of()), out);
                case "demo" -> demo(CommandLineOptions.parse(command, args, 1,
                        Set.of("--records", "--invalid-percent", "--partitions", "--timeout-seconds", "--app-jar"), Set.of("--keep-running")), out);
                case "aot-train" -> aotTrain(CommandLineOptions.parse(command, args, 1,
                        Set.of("--app-jar", "--records", "--jvm-args-file"), Set.of()), out);
                case "help", "--help", "-h" -> {
                    out.print(USAGE);
                    yield 0;
                }
                default -> {
                    err.println("Unknown command '" + command + "'.");
                    err.print(USAGE);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (IllegalStateException | BrokerStartException e) {
            err.println("FAILED: " + e.getMessage());
            return 1;
        }
    }

    private static int start(CommandLineOptions options, PrintStream out) throws InterruptedException {
        LocalKafkaBroker.Builder builder = LocalKafkaBroker.builder();
        int port = options.integer("--port", 0, 0, 65535);
        if (port != 0) {
            builder.port(port);
        }
        if (options.path("--data-dir") != null) {
            builder.dataDir(options.path("--data-dir"));
        }
        LocalKafkaBroker broker = builder.build();
        // Ctrl-C and SIGTERM run this hook: a clean stop, so a reused --data-dir needs no log recovery.
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "local-kafka-stop"));
        broker.start();
        out.println("bootstrap.servers=" + broker.bootstrapServers());
        out.println("Broker pid " + broker.pid() + ", data dir " + broker.dataDir() + ", log " + broker.logFile());
        out.println("Press Ctrl-C to stop.");
        new CountDownLatch(1).await();
        return 0;
    }

    private static int demo(CommandLineOptions options, PrintStream out) throws Exception {
        OrdersDemo.Settings settings = new OrdersDemo.Settings(
                options.number("--records", OrdersDemo.Settings.DEFAULT_RECORDS, 1, 100_000_000),
                options.integer("--invalid-percent", OrdersDemo.Settings.DEFAULT_INVALID_PERCENT, 0, 100),
                options.integer("--partitions", OrdersDemo.Settings.DEFAULT_PARTITIONS, 1, 1000),
                options.has("--keep-running"),
                Duration.ofSeconds(options.number("--timeout-seconds", OrdersDemo.Settings.DEFAULT_TIMEOUT.toSeconds(), 1, 86_400)),
                options.path("--app-jar"));
        return new OrdersDemo(settings, out).run();
    }

    private static int aotTrain(CommandLineOptions options, PrintStream out) throws Exception {
        Path argsFile = options.path("--jvm-args-file");
        if (argsFile != null && !Files.isRegularFile(argsFile)) {
            throw new IllegalArgumentException("--jvm-args-file " + argsFile + " does not exist.");
        }
        List<String> jvmOptions = argsFile == null ? List.of() : List.of("@" + argsFile.toAbsolutePath());
        return new AotCacheTraining(options.path("--app-jar"), jvmOptions,
                options.number("--records", AotCacheTraining.DEFAULT_RECORDS, 1, 10_000_000), out).run();
    }
}
