package io.eventfn.faults;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.core.ConditionTimeoutException;

import io.eventfn.kafka.local.ConsumerGroupLag;
import io.eventfn.kafka.local.LocalKafkaBroker;
import io.eventfn.kafka.local.LoopbackPort;
import io.eventfn.kafka.local.PackagedApp;

/**
 * One scenario's world: its own input, output and dead-letter topics and consumer group on the shared broker, the app
 * instances it started (each stopped by its handle at the end, whatever happened), and the probes that say how far
 * the group got.
 */
final class FaultRun implements AutoCloseable {

    static final String AT_LEAST_ONCE = "at-least-once";
    static final String EXACTLY_ONCE = "exactly-once";
    static final String READY = "/q/health/ready";

    /** SIGTERM drains for at most DRAIN_TIMEOUT (10 s by default); the JVM then needs a moment to exit. */
    static final Duration EXIT_AFTER_SIGTERM = Duration.ofSeconds(30);
    static final Duration EXIT_AFTER_SIGKILL = Duration.ofSeconds(10);

    /**
     * The broker's group.consumer.session.timeout.ms: a killed member holds its partitions until its session expires,
     * and 6 s rather than Kafka's 45 s keeps a crash scenario short.
     */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    /**
     * The broker's group.consumer.heartbeat.interval.ms: keeps the session alive on a busy machine, and is how soon a
     * member learns that partitions move (Kafka's 5 s would slow every rebalance).
     */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /** KAFKA_GROUP_PROTOCOL of every instance: the app's default, consumer, unless -Dfault.group.protocol=classic. */
    static final String GROUP_PROTOCOL = System.getProperty("fault.group.protocol", "consumer");

    /** How the instances take part in their group, for RESULTS.md. */
    static String groupSetup() {
        String timings = "session timeout " + SESSION_TIMEOUT.toSeconds() + " s, heartbeat "
                + HEARTBEAT_INTERVAL.toSeconds() + " s";
        return GROUP_PROTOCOL.equals("classic") ? "group protocol classic, " + timings + " on the client"
                : "group protocol " + GROUP_PROTOCOL + " (KIP-848), " + timings + " on the broker"
                        + " (group.consumer.session.timeout.ms, group.consumer.heartbeat.interval.ms)";
    }

    private final LocalKafkaBroker broker;
    private final String scenario;
    private final String run;
    private final int outputPartitions;
    private final Path logs;
    private final ConsumerGroupLag lag;
    private final List<PackagedApp> instances = new ArrayList<>();
    private final List<OrderProducer> producers = new ArrayList<>();
    private final List<String> signals = new ArrayList<>();
    private final List<Duration> resumptions = new ArrayList<>();

    FaultRun(LocalKafkaBroker broker, String scenario, int inputPartitions, int outputPartitions) {
        this.broker = broker;
        this.scenario = scenario;
        this.run = scenario + "-" + UUID.randomUUID().toString().substring(0, 6);
        this.outputPartitions = outputPartitions;
        this.logs = workDir().resolve(run);
        broker.createTopic(input(), inputPartitions);
        broker.createTopic(output(), outputPartitions);
        broker.createTopic(deadLetter(), 1);
        this.lag = ConsumerGroupLag.of(group(), input()).partitions(inputPartitions).connect(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, group() + "-lag-probe",
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
    }

    static Path workDir() {
        return Path.of(System.getProperty("fault.work", "target/fault-work")).toAbsolutePath();
    }

    String input() {
        return run + "-orders";
    }

    String output() {
        return run + "-enriched";
    }

    String deadLetter() {
        return run + "-dlq";
    }

    String group() {
        return run + "-group";
    }

    Orders orders(int keys, int poisonEvery) {
        return new Orders(run, keys, poisonEvery);
    }

    Orders orders(int keys, int poisonEvery, long burstStart, long burstLength) {
        return new Orders(run, keys, poisonEvery, burstStart, burstLength);
    }

    OrderProducer produce(Orders orders, long total, int perSecond, OrderProducer.Transactions transactions) {
        OrderProducer producer = new OrderProducer(broker.bootstrapServers(), input(), orders, total, perSecond,
                transactions);
        producers.add(producer);
        return producer.start();
    }

    /**
     * Starts one more instance of the app. {@code instanceId} names its transactional producer in exactly-once mode:
     * a restarted instance keeps its id, so that the new producer fences the old one's open transaction.
     */
    PackagedApp startInstance(String guarantee, String instanceId) {
        Map<String, String> environment = new HashMap<>();
        environment.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        environment.put("KAFKA_GROUP_ID", group());
        environment.put("INPUT_TOPICS", input());
        environment.put("OUTPUT_TOPIC", output());
        environment.put("DLQ_TOPIC", deadLetter());
        environment.put("PROCESSING_GUARANTEE", guarantee);
        environment.put("INSTANCE_ID", instanceId);
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(LoopbackPort.free()));
        environment.put("KAFKA_GROUP_PROTOCOL", GROUP_PROTOCOL);
        if (GROUP_PROTOCOL.equals("classic")) {
            // The classic protocol takes the timings from the client; the consumer protocol from the broker, which
            // FaultInjectionIT starts with SESSION_TIMEOUT and HEARTBEAT_INTERVAL.
            environment.put("KAFKA_SESSION_TIMEOUT_MS", Long.toString(SESSION_TIMEOUT.toMillis()));
            environment.put("KAFKA_HEARTBEAT_INTERVAL_MS", Long.toString(HEARTBEAT_INTERVAL.toMillis()));
        }
        // Several instances, the broker and the test share two cores: a small heap and one GC thread each.
        environment.put("JAVA_TOOL_OPTIONS", "-Xmx384m -XX:+UseSerialGC");
        String name = instanceId + "-" + (instances.size() + 1);
        PackagedApp app = PackagedApp.jar(AppUnderTest.jar()).name(name).environment(environment)
                .log(logs.resolve(name + ".log")).start();
        instances.add(app);
        event("start " + name);
        return app;
    }

    /** Starts an instance and waits until it reports ready, so that a stream produced next meets a running consumer. */
    PackagedApp startReadyInstance(String guarantee, String instanceId) {
        PackagedApp app = startInstance(guarantee, instanceId);
        awaitReady(app);
        return app;
    }

    void awaitReady(PackagedApp app) {
        awaitReadiness(app, status -> status == 200, Duration.ofSeconds(60), "to report ready");
    }

    /** Waits until the app's readiness status is one {@code accepted}; fails with the app's log otherwise. */
    void awaitReadiness(PackagedApp app, IntPredicate accepted, Duration atMost, String what) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(200))
                    .failFast(app.name() + " exited", () -> !app.isAlive())
                    .until(() -> accepted.test(app.httpStatus(READY)));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(scenario + ": " + app + " did not manage " + what + " within " + atMost
                    + " (last status " + app.httpStatus(READY) + ")\n" + app.logTail(40), e);
        }
    }

    /** Waits until the group has committed at least {@code records} input offsets; fails fast when no instance runs. */
    void awaitCommitted(long records, Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .failFast("no app instance is running", () -> instances.stream().noneMatch(PackagedApp::isAlive))
                    .until(() -> lag.read().committed() >= records);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(scenario + ": the group did not commit " + records + " input records within "
                    + atMost + "; lag: " + describeLag() + "\n" + logExcerpt(), e);
        }
    }

    /**
     * Called right after a fault (the old instance gone, the new one started): if input is waiting, waits until the
     * group commits again, and remembers how long that took since {@code faultNanos}.
     */
    void awaitResumed(long faultNanos, Duration atMost) {
        ConsumerGroupLag.Snapshot atFault = lag.read();
        if (atFault.total() == 0) {
            return;
        }
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .failFast("no app instance is running", () -> instances.stream().noneMatch(PackagedApp::isAlive))
                    .until(() -> lag.read().committed() > atFault.committed());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(scenario + ": the group committed nothing within " + atMost + " after "
                    + signals.get(signals.size() - 1) + "; lag: " + describeLag() + "\n" + logExcerpt(), e);
        }
        resumptions.add(Duration.ofNanos(System.nanoTime() - faultNanos));
    }

    /** The longest time from a fault to the group's next commit; zero when no fault found input waiting. */
    Duration longestResumption() {
        return resumptions.stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }

    void sigkill(PackagedApp app) {
        event("SIGKILL " + app.name());
        app.sigkill();
        app.awaitExit(EXIT_AFTER_SIGKILL);
    }

    /** @return the exit code after SIGTERM */
    int sigterm(PackagedApp app) {
        event("SIGTERM " + app.name());
        app.sigterm();
        return app.awaitExit(EXIT_AFTER_SIGTERM);
    }

    /** How a run ended: whether the lag reached 0 on every partition, when, and the last lag seen. */
    record Drain(boolean drained, Duration timeToDrain, ConsumerGroupLag.Snapshot lastLag) {
    }

    /**
     * Waits until the producer is done and committed == log-end on every input partition. Time to drain counts from
     * the first record produced.
     */
    Drain awaitDrained(OrderProducer producer, Duration atMost) {
        AtomicReference<ConsumerGroupLag.Snapshot> last = new AtomicReference<>();
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .failFast("no app instance is running", () -> instances.stream().noneMatch(PackagedApp::isAlive))
                    .until(() -> {
                        if (!producer.isDone()) {
                            return false;
                        }
                        last.set(lag.read());
                        return last.get().isZeroEverywhere();
                    });
            return new Drain(true, Duration.ofNanos(System.nanoTime() - producer.firstSendNanos()), last.get());
        } catch (ConditionTimeoutException e) {
            producer.completion().join(); // a failed input write is the test's fault: say so rather than blame the app
            return new Drain(false, Duration.ofNanos(System.nanoTime() - producer.firstSendNanos()), last.get());
        }
    }

    /** SIGTERM to every instance still running; @return their names and exit codes */
    Map<String, Integer> stopRunningInstances() {
        List<PackagedApp> running = instances.stream().filter(PackagedApp::isAlive).toList();
        // An instance restarted after the last fault may still be booting when the input is already drained; a
        // SIGTERM before its JVM installed the app's handler ends it with 143 and says nothing about the drain.
        running.forEach(this::awaitReady);
        return sigtermTogether(running);
    }

    /** SIGTERM to all of {@code apps} at once, as a scale-in does; @return their names and exit codes */
    Map<String, Integer> sigtermTogether(List<PackagedApp> apps) {
        apps.forEach(app -> {
            event("SIGTERM " + app.name());
            app.sigterm();
        });
        Map<String, Integer> exitCodes = new HashMap<>();
        apps.forEach(app -> exitCodes.put(app.name(), app.awaitExit(EXIT_AFTER_SIGTERM)));
        return exitCodes;
    }

    OutputLedger.Tally ledger(OrderProducer producer) {
        return OutputLedger.read(broker.bootstrapServers(), producer, input(), output(), outputPartitions,
                deadLetter(), Duration.ofMinutes(5)).tally();
    }

    ConsumerGroupLag.Snapshot lag() {
        return lag.read();
    }

    String describeLag() {
        try {
            return lag.read().toString();
        } catch (RuntimeException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Remembers what the test did when (UTC, as in the apps' logs), for failure messages and bug reports. */
    private void event(String what) {
        signals.add(LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS) + " " + what);
    }

    List<String> signals() {
        return List.copyOf(signals);
    }

    /** The tail of every instance's log, for a failure message. */
    String logExcerpt() {
        StringBuilder text = new StringBuilder();
        for (PackagedApp app : instances) {
            text.append("---- ").append(app).append(", log ").append(app.log()).append(" (tail):\n")
                    .append(app.logTail(25)).append('\n');
        }
        return text.toString();
    }

    Path logs() {
        return logs;
    }

    @Override
    public void close() {
        producers.forEach(OrderProducer::close);
        instances.forEach(PackagedApp::close);
        lag.close();
    }
}
