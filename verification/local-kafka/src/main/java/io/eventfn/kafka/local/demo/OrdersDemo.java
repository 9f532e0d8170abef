package io.eventfn.kafka.local.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.eventfn.kafka.local.ConsumerGroupLag;
import io.eventfn.kafka.local.GeneratedOrder;
import io.eventfn.kafka.local.InvalidOrderKind;
import io.eventfn.kafka.local.LocalKafkaBroker;
import io.eventfn.kafka.local.LoopbackPort;
import io.eventfn.kafka.local.OrderGenerator;
import io.eventfn.kafka.local.PacedProducer;
import io.eventfn.kafka.local.PackagedApp;

/**
 * The end-to-end demo: a local broker, a batch of orders (a few of them broken), the consumer app
 * enriching them, and a progress line per second until every order is either enriched or
 * dead-lettered. Exits non-zero when the counts do not match what was produced.
 */
public final class OrdersDemo {

    public static final String INPUT_TOPIC = "orders";
    public static final String OUTPUT_TOPIC = "orders-enriched";
    public static final String DEAD_LETTER_TOPIC = "orders-dlq";
    public static final String GROUP_ID = "order-enricher";
    /** The same orders at every run, so two runs can be compared. */
    private static final long SEED = 42;
    private static final int LOG_LINES_ON_FAILURE = 40;
    /**
     * How long the app may take to exit after SIGTERM before SIGKILL, and then how long to wait for its exit: its drain
     * is bounded by DRAIN_TIMEOUT (10 s), but a JVM writing an AOT cache at exit (aot-train) takes a few seconds more.
     */
    private static final Duration APP_STOP_TIMEOUT = Duration.ofMinutes(2);

    /**
     * @param records        how many orders to produce
     * @param invalidPercent roughly how many of them, in percent, are broken
     * @param partitions     partitions of {@code orders} and {@code orders-enriched}
     * @param keepRunning    leave broker and app running after the summary, until Ctrl-C
     * @param timeout        how long the app may take to process every order
     * @param appJar         the app's {@code quarkus-run.jar}; {@code null} finds it in this repository
     * @param jvmOptions     options for the app's JVM, before {@code -jar}
     */
    public record Settings(long records, int invalidPercent, int partitions, boolean keepRunning, Duration timeout, Path appJar,
            List<String> jvmOptions) {

        public static final long DEFAULT_RECORDS = 100_000;
        public static final int DEFAULT_INVALID_PERCENT = 2;
        public static final int DEFAULT_PARTITIONS = 3;
        public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

        public Settings {
            jvmOptions = List.copyOf(jvmOptions);
        }

        public Settings(long records, int invalidPercent, int partitions, boolean keepRunning, Duration timeout, Path appJar) {
            this(records, invalidPercent, partitions, keepRunning, timeout, appJar, List.of());
        }
    }

    private final Settings settings;
    private final PrintStream out;
    private final Object stopLock = new Object();
    // Read by the shutdown hook too.
    private volatile LocalKafkaBroker broker;
    private volatile PackagedApp app;
    private String healthUrl;

    public OrdersDemo(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs the demo; returns the process exit status: 0 when every order ended up where it should. */
    public int run() throws Exception {
        Path appJar = settings.appJar() != null ? requireAppJar(settings.appJar()) : locateAppJar();
        Thread stopOnExit = new Thread(this::stopAll, "orders-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            startBroker();
            ProducedOrders produced = produceOrders();
            startApp(appJar);
            int status = awaitProcessing(produced);
            if (settings.keepRunning()) {
                keepRunningUntilInterrupted();
            }
            return status;
        } finally {
            stopAll();
            removeShutdownHook(stopOnExit);
        }
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting and runs the hook anyway; stopAll() does nothing twice.
        }
    }

    private void startBroker() {
        broker = LocalKafkaBroker.builder().build();
        long started = System.nanoTime();
        broker.start();
        out.printf(Locale.ROOT, "Broker    %s started in %.1f s (log: %s)%n", broker.bootstrapServers(), seconds(System.nanoTime() - started),
                broker.logFile());
        broker.createTopic(INPUT_TOPIC, settings.partitions());
        broker.createTopic(OUTPUT_TOPIC, settings.partitions());
        broker.createTopic(DEAD_LETTER_TOPIC, 1);
        out.printf(Locale.ROOT, "Topics    %s (%d partitions), %s (%d), %s (1)%n", INPUT_TOPIC, settings.partitions(), OUTPUT_TOPIC,
                settings.partitions(), DEAD_LETTER_TOPIC);
    }

    /** What was produced, for the final check. */
    private record ProducedOrders(long total, long valid, long invalid) {
    }

    private ProducedOrders produceOrders() throws Exception {
        Map<String, Object> config = new LinkedHashMap<>(broker.clientProperties());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "orders-demo-producer");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        OrderGenerator generator = new OrderGenerator(SEED, settings.invalidPercent());
        Map<InvalidOrderKind, Long> invalidByKind = new EnumMap<>(InvalidOrderKind.class);
        long[] valid = { 0 };
        PacedProducer.Sent sent;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            sent = PacedProducer.of(producer, settings.records(), i -> {
                GeneratedOrder order = generator.next("o-" + (i + 1));
                if (order.valid()) {
                    valid[0]++;
                } else {
                    invalidByKind.merge(order.defect().orElseThrow(), 1L, Long::sum);
                }
                return new ProducerRecord<>(INPUT_TOPIC, order.orderId().getBytes(StandardCharsets.UTF_8), order.payload());
            }).send();
        }
        double elapsed = sent.seconds();
        long bytes = sent.valueBytes();
        long invalid = settings.records() - valid[0];
        out.printf(Locale.ROOT, "Produced  %,d orders to %s in %.1f s (%,.0f records/s, %.1f MB/s, %d bytes on average)%n", settings.records(),
                INPUT_TOPIC, elapsed, settings.records() / elapsed, bytes / elapsed / 1_000_000, bytes / settings.records());
        out.printf(Locale.ROOT, "          %,d valid, %,d invalid %s%n", valid[0], invalid, invalidByKind);
        return new ProducedOrders(settings.records(), valid[0], invalid);
    }

    private void startApp(Path appJar) throws IOException {
        int httpPort = LoopbackPort.free();
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        environment.put("KAFKA_GROUP_ID", GROUP_ID);
        environment.put("INPUT_TOPICS", INPUT_TOPIC);
        environment.put("OUTPUT_TOPIC", OUTPUT_TOPIC);
        environment.put("DLQ_TOPIC", DEAD_LETTER_TOPIC);
        environment.put("PROCESSING_GUARANTEE", "at-least-once");
        environment.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        environment.put("KAFKA_AUTO_OFFSET_RESET", "earliest");
        Path logFile = demoDirectory().resolve("function-app.log");
        try {
            // The demo itself may run on an older java from the PATH; the app needs 21+.
            // From the jar's directory: an AOT cache named by a relative path (app.aot) is written and read there.
            app = PackagedApp.jar(appJar).name("the consumer app").java(PackagedApp.javaFromJavaHome())
                    .jvmOptions(settings.jvmOptions()).workingDirectory(appJar.toAbsolutePath().getParent())
                    .inheritEnvironment().environment(environment).log(logFile).start();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        healthUrl = "http://127.0.0.1:" + httpPort + "/q/health";
        out.printf(Locale.ROOT, "App       %s started as pid %d (health %s, log %s)%n", appJar, app.pid(), healthUrl, logFile);
        out.printf(Locale.ROOT, "          with %s%s%n", environment, settings.jvmOptions().isEmpty() ? "" : " and JVM options " + settings.jvmOptions());
    }

    /** Prints progress every second until the group has processed every order; returns the exit status. */
    private int awaitProcessing(ProducedOrders produced) throws Exception {
        try (ConsumerGroupLag lag = ConsumerGroupLag.of(GROUP_ID, INPUT_TOPIC).partitions(settings.partitions())
                .timeout(Duration.ofSeconds(10)).connect(broker.clientProperties())) {
            long started = System.nanoTime();
            long deadline = started + settings.timeout().toNanos();
            long previousAt = started;
            long previousCommitted = 0;
            long previousWritten = 0;
            long firstWrittenAt = 0;
            long allWrittenAt = 0;
            long nextTick = started;
            String lastProgress = "no progress read yet";
            while (true) {
                nextTick += Duration.ofSeconds(1).toNanos();
                // Waiting on the app's exit, so a crash shows at once instead of as a stalled lag.
                if (app.waitFor(Duration.ofNanos(Math.max(0, nextTick - System.nanoTime())))) {
                    out.printf(Locale.ROOT, "FAILED: the consumer app exited with status %d. Last lines of %s:%n%s%n", app.exitValue(),
                            app.log(), app.logTail(LOG_LINES_ON_FAILURE));
                    return 1;
                }
                try {
                    Progress progress = progress(lag);
                    long now = System.nanoTime();
                    long written = progress.outputs() + progress.deadLettered();
                    double interval = Math.max(1e-9, seconds(now - previousAt));
                    lastProgress = String.format(Locale.ROOT, "committed %,d | lag %,d | enriched %,d | dead-lettered %,d",
                            progress.committed(), progress.lag(), progress.outputs(), progress.deadLettered());
                    // Commits come in steps (the app commits every few seconds); what it writes shows the steady rate.
                    out.printf(Locale.ROOT, "[%5.1f s] %,9.0f records/s committed, %,9.0f written | %s%n", seconds(now - started),
                            (progress.committed() - previousCommitted) / interval, (written - previousWritten) / interval, lastProgress);
                    if (firstWrittenAt == 0 && written > 0) {
                        firstWrittenAt = previousAt;
                    }
                    if (allWrittenAt == 0 && written >= produced.total()) {
                        allWrittenAt = now;
                    }
                    previousAt = now;
                    previousCommitted = progress.committed();
                    previousWritten = written;
                    if (progress.lag() == 0 && progress.committed() >= produced.total() && written >= produced.total()) {
                        printSummary(produced, progress, seconds(now - started), seconds(allWrittenAt - firstWrittenAt));
                        return progress.outputs() == produced.valid() && progress.deadLettered() == produced.invalid() ? 0 : 1;
                    }
                } catch (IllegalStateException e) {
                    // Retried at the next tick; the timeout below still bounds the wait.
                    out.printf(Locale.ROOT, "[%5.1f s] could not read the group's progress: %s%n", seconds(System.nanoTime() - started), e);
                }
                if (System.nanoTime() > deadline) {
                    out.printf(Locale.ROOT, "FAILED: not every one of the %,d orders was processed within %s (%s). Last lines of %s:%n%s%n",
                            produced.total(), settings.timeout(), lastProgress, app.log(), app.logTail(LOG_LINES_ON_FAILURE));
                    return 1;
                }
            }
        }
    }

    /** How far the group got at one moment: committed input offsets and lag, records in the output and dead letter topics. */
    private record Progress(long committed, long lag, long outputs, long deadLettered) {
    }

    private Progress progress(ConsumerGroupLag lag) {
        ConsumerGroupLag.Snapshot input = lag.read();
        List<TopicPartition> outputs = ConsumerGroupLag.partitionsOf(OUTPUT_TOPIC, settings.partitions());
        List<TopicPartition> deadLetters = ConsumerGroupLag.partitionsOf(DEAD_LETTER_TOPIC, 1);
        List<TopicPartition> written = new ArrayList<>(outputs);
        written.addAll(deadLetters);
        Map<TopicPartition, Long> ends = lag.endOffsets(written);
        return new Progress(input.committed(), input.total(), outputs.stream().mapToLong(ends::get).sum(),
                deadLetters.stream().mapToLong(ends::get).sum());
    }

    private void printSummary(ProducedOrders produced, Progress progress, double elapsed, double writing) {
        long skipped = produced.total() - progress.outputs() - progress.deadLettered();
        out.println();
        out.println("Summary");
        out.printf(Locale.ROOT, "  in             %,12d%n", produced.total());
        out.printf(Locale.ROOT, "  enriched       %,12d   expected %,d (valid orders)  %s%n", progress.outputs(), produced.valid(),
                progress.outputs() == produced.valid() ? "OK" : "MISMATCH");
        out.printf(Locale.ROOT, "  dead-lettered  %,12d   expected %,d (invalid orders)  %s%n", progress.deadLettered(), produced.invalid(),
                progress.deadLettered() == produced.invalid() ? "OK" : "MISMATCH");
        out.printf(Locale.ROOT, "  skipped        %,12d%n", skipped);
        out.printf(Locale.ROOT, "  lag            %,12d%n", progress.lag());
        out.printf(Locale.ROOT, "  elapsed        %12.1f s from the app's launch (its start-up and last commit included)%n", elapsed);
        out.printf(Locale.ROOT, "  average        %,12.0f records/s over the elapsed time%n", produced.total() / elapsed);
        out.printf(Locale.ROOT, "  processing     %,12.0f records/s while the app was writing (about %.0f s, to the second)%n",
                produced.total() / writing, writing);
    }

    private void keepRunningUntilInterrupted() throws InterruptedException {
        out.println();
        out.printf(Locale.ROOT, "Still running. Kafka: bootstrap.servers=%s   App health: %s%n", broker.bootstrapServers(), healthUrl);
        out.printf(Locale.ROOT, "App log: %s   Broker log: %s%n", app.log(), broker.logFile());
        out.println("Press Ctrl-C to stop both.");
        // The shutdown hook stops both; this thread only has to stay alive until then.
        new CountDownLatch(1).await();
    }

    /** Stops what the demo started, each by the handle it holds; safe to call twice and from the shutdown hook. */
    private void stopAll() {
        synchronized (stopLock) {
            if (app != null && app.isAlive()) {
                try {
                    app.stop(APP_STOP_TIMEOUT);
                    out.printf(Locale.ROOT, "Stopped   the consumer app (exit status %d)%n", app.exitValue());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (broker != null) {
                boolean wasRunning = broker.isRunning();
                broker.close();
                if (wasRunning) {
                    out.println("Stopped   the broker and deleted its data dir");
                }
            }
        }
    }

    static Path locateAppJar() {
        Path start = ownLocation();
        for (Path dir = start.getParent(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("function-app"))) {
                return requireAppJar(dir.resolve("function-app/target/quarkus-app/quarkus-run.jar"));
            }
        }
        throw new IllegalStateException("Cannot find the repository (a directory with pom.xml and function-app/) above " + start
                + "; pass the consumer app's jar with --app-jar PATH.");
    }

    static Path requireAppJar(Path appJar) {
        if (!Files.isRegularFile(appJar)) {
            throw new IllegalStateException("The consumer app is not built: " + appJar + " does not exist."
                    + " Build it: run ./mvnw -B -DskipTests package first.");
        }
        return appJar;
    }

    /** {@code verification/local-kafka/target/demo}: beside the jar, so the app's log outlives the demo. */
    private static Path demoDirectory() {
        return ownLocation().getParent().resolve("demo");
    }

    private static Path ownLocation() {
        try {
            return Path.of(OrdersDemo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot tell where the local-kafka classes were loaded from", e);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
