package io.eventfn.faults;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
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
    static final String LIVE = "/q/health/live";
    static final String CONSUMER_PROTOCOL = "consumer";
    static final String CLASSIC_PROTOCOL = "classic";

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
    /**
     * KAFKA_GROUP_PROTOCOL of every instance: the app's default, consumer, unless -Dfault.group.protocol=classic. A
     * scenario that runs under both protocols sets its own ({@link #groupProtocol(String)}) and says so in its name.
     */
    static final String GROUP_PROTOCOL = System.getProperty("fault.group.protocol", CONSUMER_PROTOCOL);

    /** How the instances take part in their group, for RESULTS.md. */
    static String groupSetup() {
        String timings = "session timeout " + SESSION_TIMEOUT.toSeconds() + " s, heartbeat "
                + HEARTBEAT_INTERVAL.toSeconds() + " s";
        return GROUP_PROTOCOL.equals(CLASSIC_PROTOCOL) ? "group protocol classic, " + timings + " on the client"
                : "group protocol " + GROUP_PROTOCOL + " (KIP-848), " + timings + " on the broker"
                        + " (group.consumer.session.timeout.ms, group.consumer.heartbeat.interval.ms)";
    }

    private final LocalKafkaBroker broker;
    private final String scenario;
    private final String run;
    private final int inputPartitions;
    private final int outputPartitions;
    private final Path logs;
    private final ConsumerGroupLag lag;
    private final Admin admin;
    private final List<PackagedApp> instances = new ArrayList<>();
    private final List<OrderProducer> producers = new ArrayList<>();
    private final List<String> signals = new ArrayList<>();
    private final List<Duration> resumptions = new ArrayList<>();
    private final List<String> partitionProgress = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private String groupProtocol = GROUP_PROTOCOL;
    /** Watches the group's committed offsets all along: one that moves backwards is a bug, however it ends. */
    private final ScheduledExecutorService commitWatch = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "commit-watch");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<TopicPartition, Long> highestCommitted = new ConcurrentHashMap<>();
    private final List<String> commitsBackwards = new CopyOnWriteArrayList<>();

    FaultRun(LocalKafkaBroker broker, String scenario, int inputPartitions, int outputPartitions) {
        this(broker, scenario, inputPartitions, outputPartitions, Map.of(), Map.of());
    }

    /**
     * @param outputTopicConfig     settings of the output topic, e.g. a {@code max.message.bytes} of its own
     * @param deadLetterTopicConfig settings of the dead-letter topic
     */
    FaultRun(LocalKafkaBroker broker, String scenario, int inputPartitions, int outputPartitions,
            Map<String, String> outputTopicConfig, Map<String, String> deadLetterTopicConfig) {
        this.broker = broker;
        this.scenario = scenario;
        this.run = scenario + "-" + UUID.randomUUID().toString().substring(0, 6);
        this.inputPartitions = inputPartitions;
        this.outputPartitions = outputPartitions;
        this.logs = workDir().resolve(run);
        broker.createTopic(input(), inputPartitions);
        broker.createTopic(output(), outputPartitions, outputTopicConfig);
        broker.createTopic(deadLetter(), 1, deadLetterTopicConfig);
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, group() + "-lag-probe",
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        this.lag = ConsumerGroupLag.of(group(), input()).partitions(inputPartitions).connect(adminConfig);
        Map<String, Object> groupProbe = new HashMap<>(adminConfig);
        groupProbe.put(AdminClientConfig.CLIENT_ID_CONFIG, group() + "-group-probe");
        groupProbe.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        groupProbe.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        this.admin = Admin.create(groupProbe);
        commitWatch.scheduleWithFixedDelay(this::watchCommits, 250, 250, TimeUnit.MILLISECONDS);
    }

    private void watchCommits() {
        ConsumerGroupLag.Snapshot now;
        try {
            now = lag.read();
        } catch (RuntimeException brokerAway) {
            return;
        }
        String at = LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS).toString();
        for (ConsumerGroupLag.PartitionLag p : now.partitions()) {
            if (p.hasCommittedOffset()) {
                Long before = highestCommitted.get(p.partition());
                if (before != null && before > p.committedOffset()) {
                    commitsBackwards.add(p.partition() + " committed " + p.committedOffset() + " at " + at
                            + " after " + before);
                }
                highestCommitted.merge(p.partition(), p.committedOffset(), Math::max);
            }
        }
    }

    /** Every time a partition's committed offset was seen lower than before (it must only move forwards). */
    List<String> commitsBackwards() {
        return List.copyOf(commitsBackwards);
    }

    /**
     * Partitions whose committed offset carries no leader epoch (KIP-320's truncation detection then off for the next
     * owner). Offset 0 (a partition nothing was ever written to) has no record to take an epoch from.
     */
    List<String> committedWithoutLeaderEpoch() {
        return lag.read().partitions().stream()
                .filter(p -> p.committedOffset() > 0 && p.committedLeaderEpoch().isEmpty())
                .map(p -> p.partition() + "@" + p.committedOffset()).toList();
    }

    /** KAFKA_GROUP_PROTOCOL of the instances this run starts from now on: consumer or classic. */
    FaultRun groupProtocol(String protocol) {
        this.groupProtocol = protocol;
        return this;
    }

    String groupProtocol() {
        return groupProtocol;
    }

    /** Settings every instance of this run gets on top of the usual ones (PROCESSOR, DRAIN_TIMEOUT, KAFKA_*, ...). */
    FaultRun environment(Map<String, String> settings) {
        environment.putAll(settings);
        return this;
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
        return startInstance(guarantee, instanceId, Map.of());
    }

    /** {@link #startInstance(String, String)} with settings of its own on top of the run's. */
    PackagedApp startInstance(String guarantee, String instanceId, Map<String, String> ownSettings) {
        Map<String, String> environment = new HashMap<>();
        String groupProtocol = this.groupProtocol;
        environment.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        environment.put("KAFKA_GROUP_ID", group());
        environment.put("INPUT_TOPICS", input());
        environment.put("OUTPUT_TOPIC", output());
        environment.put("DLQ_TOPIC", deadLetter());
        environment.put("PROCESSING_GUARANTEE", guarantee);
        environment.put("INSTANCE_ID", instanceId);
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(LoopbackPort.free()));
        environment.put("KAFKA_GROUP_PROTOCOL", groupProtocol);
        if (groupProtocol.equals(CLASSIC_PROTOCOL)) {
            // The classic protocol takes the timings from the client; the consumer protocol from the broker, which
            // FaultInjectionIT starts with SESSION_TIMEOUT and HEARTBEAT_INTERVAL.
            environment.put("KAFKA_SESSION_TIMEOUT_MS", Long.toString(SESSION_TIMEOUT.toMillis()));
            environment.put("KAFKA_HEARTBEAT_INTERVAL_MS", Long.toString(HEARTBEAT_INTERVAL.toMillis()));
        }
        // Several instances, the broker and the test share two cores: a small heap and one GC thread each.
        environment.put("JAVA_TOOL_OPTIONS", "-Xmx384m -XX:+UseSerialGC");
        environment.putAll(this.environment);
        environment.putAll(ownSettings);
        String name = instanceId + "-" + (instances.size() + 1);
        PackagedApp app = PackagedApp.jar(AppUnderTest.jar()).name(name).environment(environment)
                .log(logs.resolve(name + ".log")).start();
        instances.add(app);
        event("start " + name);
        return app;
    }

    /** Starts an instance and waits until it reports ready, so that a stream produced next meets a running consumer. */
    PackagedApp startReadyInstance(String guarantee, String instanceId) {
        return startReadyInstance(guarantee, instanceId, Map.of());
    }

    PackagedApp startReadyInstance(String guarantee, String instanceId, Map<String, String> ownSettings) {
        PackagedApp app = startInstance(guarantee, instanceId, ownSettings);
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

    /**
     * Waits until the group has exactly {@code members} members, is stable, and every input partition is assigned to
     * one of them (with the consumer protocol: each member has reached its target assignment), twice in a row half a
     * second apart: the membership change is over, nothing is being revoked or assigned any more.
     */
    void awaitGroupSettled(int members, Duration atMost) {
        String[] last = { "not described yet" };
        boolean[] seenOnce = { false };
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .failFast("no app instance is running", () -> instances.stream().noneMatch(PackagedApp::isAlive))
                    .until(() -> {
                        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(group()))
                                .describedGroups().get(group()).get(5, TimeUnit.SECONDS);
                        last[0] = describe(group);
                        boolean settled = isSettled(group, members);
                        boolean twice = settled && seenOnce[0];
                        seenOnce[0] = settled;
                        return twice;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(scenario + ": the group did not settle with " + members + " members within "
                    + atMost + "; last seen: " + last[0] + "\n" + logExcerpt(), e);
        }
        event("group settled: " + last[0]);
    }

    private boolean isSettled(ConsumerGroupDescription group, int members) {
        if (group.groupState() != GroupState.STABLE || group.members().size() != members) {
            return false;
        }
        Set<TopicPartition> assigned = new HashSet<>();
        for (MemberDescription member : group.members()) {
            Set<TopicPartition> owned = member.assignment().topicPartitions();
            if (group.type() == GroupType.CONSUMER && !member.targetAssignment()
                    .map(target -> target.topicPartitions().equals(owned)).orElse(false)) {
                return false;
            }
            if (owned.isEmpty() && members <= inputPartitions) {
                return false;
            }
            assigned.addAll(owned);
        }
        return assigned.equals(Set.copyOf(ConsumerGroupLag.partitionsOf(input(), inputPartitions)));
    }

    private static String describe(ConsumerGroupDescription group) {
        StringBuilder text = new StringBuilder(group.groupState() + ", " + group.members().size() + " members");
        for (MemberDescription member : group.members()) {
            text.append(" [").append(member.assignment().topicPartitions().stream().map(TopicPartition::partition)
                    .sorted().toList()).append(']');
        }
        return text.toString();
    }

    /**
     * Asserts per partition that the group moves on: waits until every input partition's committed offset has moved
     * past where it was when this was called (or it was caught up and nothing arrived since: nothing to do there). A
     * partition that stands still while others move (the stuck partition a healthy total hides) fails the scenario,
     * naming it.
     *
     * @param after what just happened, for the notes and the failure message
     * @return how long the slowest partition took
     */
    Duration awaitEveryPartitionProgresses(String after, Duration atMost) {
        long start = System.nanoTime();
        ConsumerGroupLag.Snapshot before = lag.read();
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<TopicPartition, Long> endBefore = new HashMap<>();
        before.partitions().forEach(p -> {
            from.put(p.partition(), p.committedOffset());
            endBefore.put(p.partition(), p.endOffset());
        });
        Map<TopicPartition, Duration> movedAfter = new LinkedHashMap<>();
        AtomicReference<ConsumerGroupLag.Snapshot> last = new AtomicReference<>(before);
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .failFast("no app instance is running", () -> instances.stream().noneMatch(PackagedApp::isAlive))
                    .until(() -> {
                        ConsumerGroupLag.Snapshot now = lag.read();
                        last.set(now);
                        for (ConsumerGroupLag.PartitionLag p : now.partitions()) {
                            // Moved on, or nothing to do: caught up, and nothing arrived since.
                            if (!movedAfter.containsKey(p.partition()) && (p.committedOffset() > from.get(p.partition())
                                    || p.committedOffset() == p.endOffset()
                                            && p.endOffset() == endBefore.get(p.partition()))) {
                                movedAfter.put(p.partition(), Duration.ofNanos(System.nanoTime() - start));
                            }
                        }
                        return movedAfter.size() == inputPartitions;
                    });
        } catch (ConditionTimeoutException e) {
            List<String> stuck = new ArrayList<>();
            for (ConsumerGroupLag.PartitionLag p : last.get().partitions()) {
                if (!movedAfter.containsKey(p.partition())) {
                    stuck.add(p.partition() + " committed " + p.committedOffset() + " (was " + from.get(p.partition())
                            + "), end " + p.endOffset());
                }
            }
            throw new AssertionError(scenario + ": after " + after + ", partitions committed nothing within " + atMost
                    + ": " + stuck + "\n" + logExcerpt(), e);
        }
        Map.Entry<TopicPartition, Duration> slowest = movedAfter.entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow();
        partitionProgress.add(String.format(Locale.ROOT, "%s: all %d partitions committed ≤ %.1f s (slowest p%d)",
                after, inputPartitions, slowest.getValue().toMillis() / 1000.0, slowest.getKey().partition()));
        return slowest.getValue();
    }

    /** What {@link #awaitEveryPartitionProgresses} saw, one line per membership change, for the notes. */
    List<String> partitionProgress() {
        return List.copyOf(partitionProgress);
    }

    /**
     * The sum of the output topic's log-end offsets: every record written there, those of aborted transactions and the
     * transaction markers included (read_committed readers skip them, the log keeps them).
     */
    long outputLogEnd() {
        return lag.endOffsets(ConsumerGroupLag.partitionsOf(output(), outputPartitions)).values().stream()
                .mapToLong(Long::longValue).sum();
    }

    /** Every instance this run started, in start order (running or not). */
    List<PackagedApp> instances() {
        return List.copyOf(instances);
    }

    /** How an instance ended after SIGTERM: its exit code, and how long after the signal it exited. */
    record Exit(int code, Duration after) {
    }

    /** SIGTERM, then waits for the exit, measuring how long the instance took (its drain and shutdown). */
    Exit sigtermAndTime(PackagedApp app) {
        event("SIGTERM " + app.name());
        long signalled = System.nanoTime();
        app.sigterm();
        int code = app.awaitExit(EXIT_AFTER_SIGTERM);
        Exit exit = new Exit(code, Duration.ofNanos(System.nanoTime() - signalled));
        event(app.name() + " exited " + code + " after " + exit.after().toMillis() + " ms");
        return exit;
    }

    /** A broker outage as the app lived it: how long, when readiness noticed, when it came back. */
    record Outage(Duration length, Duration notReadyAfter, Duration readyAgainAfter) {

        String describe() {
            return String.format(Locale.ROOT, "broker down %.0f s", length.toMillis() / 1000.0);
        }

        String readiness() {
            return String.format(Locale.ROOT, "ready non-200 %.1f s after stop, 200 again %.1f s after start",
                    notReadyAfter.toMillis() / 1000.0, readyAgainAfter.toMillis() / 1000.0);
        }
    }

    /**
     * Stops the broker (SIGTERM) for {@code length}, asserting that {@code app} reports not ready meanwhile and stays
     * up all along (no restart), then starts it again and waits until {@code app} reports ready again by itself.
     */
    Outage brokerOutage(PackagedApp app, Duration length) {
        long stopped = System.nanoTime();
        Duration notReadyAfter;
        Duration outage;
        try {
            event("broker stop");
            broker.stop();
            awaitReadiness(app, status -> status != 200, length, "to report not ready while the broker is stopped");
            notReadyAfter = Duration.ofNanos(System.nanoTime() - stopped);
            Duration rest = length.minus(notReadyAfter);
            if (rest.isPositive()) {
                // The outage lasts its full length; the app must stay up (no restart) all along.
                await().during(rest).atMost(rest.plusSeconds(5)).until(app::isAlive);
            }
        } finally {
            broker.start();
            event("broker start");
            outage = Duration.ofNanos(System.nanoTime() - stopped);
        }
        long restarted = System.nanoTime();
        awaitReadiness(app, status -> status == 200, Duration.ofSeconds(90),
                "to report ready again after the broker came back");
        return new Outage(outage, notReadyAfter, Duration.ofNanos(System.nanoTime() - restarted));
    }

    /** SIGSTOP: the instance freezes, holding its partitions until the group's session timeout runs out. */
    void pause(PackagedApp app) {
        event("SIGSTOP " + app.name());
        app.pause();
    }

    /** SIGCONT: a paused instance runs on, and finds out that the group moved on without it. */
    void resume(PackagedApp app) {
        event("SIGCONT " + app.name());
        app.resume();
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

    /**
     * Waits until one of {@code partitions} (numbers of the input topic) commits past where it is now, polling often:
     * with a backlog, the instance that owns them has just finished a batch.
     *
     * @return the committed offset of every partition then
     */
    Map<Integer, Long> awaitNextCommitOn(Set<Integer> partitions, Duration atMost) {
        Map<Integer, Long> before = new HashMap<>();
        lag.read().partitions().forEach(p -> before.put(p.partition().partition(), p.committedOffset()));
        Map<Integer, Long> after = new HashMap<>();
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
                after.clear();
                lag.read().partitions().forEach(p -> after.put(p.partition().partition(), p.committedOffset()));
                return partitions.stream().anyMatch(p -> after.get(p) > before.get(p));
            });
            return after;
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(scenario + ": partitions " + partitions + " committed nothing within " + atMost
                    + "; lag: " + describeLag() + "\n" + logExcerpt(), e);
        }
    }

    /** /q/health/live of every running instance (200: up; 503: it gave up on something). */
    Map<String, Integer> liveness() {
        Map<String, Integer> statuses = new LinkedHashMap<>();
        instances.stream().filter(PackagedApp::isAlive).forEach(app -> statuses.put(app.name(), app.httpStatus(LIVE)));
        return statuses;
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
        return readLedger(producer, OutputLedger.Expect.ENRICHED).tally();
    }

    /** Everything the app wrote, checked against {@code expect}; see {@link OutputLedger}. */
    OutputLedger readLedger(OrderProducer producer, OutputLedger.Expect expect) {
        return OutputLedger.read(broker.bootstrapServers(), producer, input(), output(), deadLetter(), expect, Duration.ofMinutes(5));
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
    void event(String what) {
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
        commitWatch.shutdownNow();
        producers.forEach(OrderProducer::close);
        instances.forEach(PackagedApp::close);
        lag.close();
        admin.close(Duration.ofSeconds(5));
    }
}
