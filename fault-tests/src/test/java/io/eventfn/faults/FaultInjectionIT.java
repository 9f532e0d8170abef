package io.eventfn.faults;

import static io.eventfn.faults.FaultRun.AT_LEAST_ONCE;
import static io.eventfn.faults.FaultRun.EXACTLY_ONCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.eventfn.kafka.local.LocalKafkaBroker;
import io.eventfn.kafka.local.PackagedApp;

/**
 * The packaged app under real faults: instances killed and stopped mid-stream, the broker taken away, instances
 * joining and leaving, transactional input with aborted transactions, poison records. Every scenario counts what was
 * produced, output, lost, duplicated and dead-lettered, writes a row to {@code RESULTS.md}, and then asserts the
 * product's promises. Sizes: {@link Sizes}; one broker for the whole class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

    /** Input message keys: records of one key share a partition, so their order is observable (see Orders). */
    private static final int KEYS = 16;
    /** Every 50th record is poison, so that dead-lettering is exercised under every fault. */
    private static final int POISON_EVERY = 50;
    private static final Sizes SIZES = Sizes.current();

    private static LocalKafkaBroker broker;
    private static ResultsTable results;
    private static long suiteStarted;

    @BeforeAll
    static void startBroker() {
        suiteStarted = System.nanoTime();
        results = new ResultsTable(Sizes.soak(), FaultRun.groupSetup());
        broker = LocalKafkaBroker.builder()
                .consumerGroupTimings(FaultRun.SESSION_TIMEOUT, FaultRun.HEARTBEAT_INTERVAL).build();
        broker.start();
    }

    @AfterAll
    static void writeResultsAndStopBroker() {
        try {
            results.writeTo(Path.of(System.getProperty("fault.results", "RESULTS.md")),
                    Duration.ofNanos(System.nanoTime() - suiteStarted));
        } finally {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void losesNothingWhenInstancesAreKilledMidStream() {
        try (FaultRun run = new FaultRun(broker, "s1-sigkill", 3, 3)) {
            PackagedApp[] app = { run.startReadyInstance(AT_LEAST_ONCE, "a") };
            OrderProducer producer = run.produce(run.orders(KEYS, POISON_EVERY), SIZES.sigkillRecords(),
                    SIZES.perSecond(), null);
            atEvenlySpacedProgress(run, producer, SIZES.sigkills(), fault -> {
                run.sigkill(app[0]);
                app[0] = run.startInstance(AT_LEAST_ONCE, "a");
            });
            Finished end = finish(run, producer);
            check(run, "1. SIGKILL mid-stream", AT_LEAST_ONCE, SIZES.sigkills() + " × SIGKILL + restart", end,
                    () -> assertIntact(end));
        }
    }

    /**
     * The output topic has a single partition here, so that all outputs of one input key are in one log and their
     * order is fully observable: it must be the input order (orderIds carry the input sequence, see Orders).
     */
    @Test
    @Order(2)
    void losesAndDuplicatesNothingAndKeepsOrderWhenInstancesAreStoppedMidStream() {
        try (FaultRun run = new FaultRun(broker, "s2-sigterm", 3, 1)) {
            PackagedApp[] app = { run.startReadyInstance(AT_LEAST_ONCE, "a") };
            OrderProducer producer = run.produce(run.orders(KEYS, POISON_EVERY), SIZES.sigtermRecords(),
                    SIZES.perSecond(), null);
            List<Integer> exitCodes = new ArrayList<>();
            atEvenlySpacedProgress(run, producer, SIZES.sigterms(), fault -> {
                exitCodes.add(run.sigterm(app[0]));
                app[0] = run.startInstance(AT_LEAST_ONCE, "a");
            });
            Finished end = finish(run, producer);
            check(run, "2. SIGTERM mid-stream (+ order per key)", AT_LEAST_ONCE,
                    SIZES.sigterms() + " × SIGTERM + restart", end, () -> {
                        assertIntact(end);
                        assertThat(exitCodes).as("exit codes after mid-stream SIGTERM").containsOnly(0);
                        assertThat(end.tally().duplicates()).as("duplicates after SIGTERM").isZero();
                    });
        }
    }

    /**
     * Duplicates are allowed here and reported: an outage longer than the session timeout (the broker's, 6 s in these
     * tests) makes the restarted coordinator forget the member, so its partitions are lost rather than revoked, the
     * commits of what it processed meanwhile fail, and those records are consumed again.
     */
    @Test
    @Order(3)
    void keepsRunningAndLosesNothingWhileTheBrokerIsAway() {
        try (FaultRun run = new FaultRun(broker, "s3-broker-stop", 3, 3)) {
            PackagedApp app = run.startReadyInstance(AT_LEAST_ONCE, "a");
            long pid = app.pid();
            OrderProducer producer = run.produce(run.orders(KEYS, POISON_EVERY), SIZES.outageRecords(),
                    SIZES.perSecond(), null);
            run.awaitCommitted(producer.total() / 3, SIZES.progressLimit());
            long stopped = System.nanoTime();
            Duration notReadyAfter;
            Duration outage;
            try {
                broker.stop();
                run.awaitReadiness(app, status -> status != 200, SIZES.outage(),
                        "to report not ready while the broker is stopped");
                notReadyAfter = Duration.ofNanos(System.nanoTime() - stopped);
                Duration rest = SIZES.outage().minus(notReadyAfter);
                if (rest.isPositive()) {
                    // The outage lasts its full length; the app must stay up (no restart) all along.
                    await().during(rest).atMost(rest.plusSeconds(5)).until(app::isAlive);
                }
            } finally {
                broker.start();
                outage = Duration.ofNanos(System.nanoTime() - stopped);
            }
            long restarted = System.nanoTime();
            run.awaitReadiness(app, status -> status == 200, Duration.ofSeconds(90),
                    "to report ready again after the broker came back");
            Duration readyAgainAfter = Duration.ofNanos(System.nanoTime() - restarted);
            Finished end = finish(run, producer);
            check(run, "3. broker stopped mid-stream", AT_LEAST_ONCE,
                    String.format("broker down %.0f s", outage.toMillis() / 1000.0), end,
                    String.format("ready non-200 %.1f s after stop, 200 again %.1f s after start",
                            notReadyAfter.toMillis() / 1000.0, readyAgainAfter.toMillis() / 1000.0),
                    () -> {
                        assertIntact(end);
                        assertThat(end.exitCodes()).as("the one instance ran throughout").containsOnlyKeys(
                                app.name());
                        assertThat(app.pid()).isEqualTo(pid);
                    });
        }
    }

    /** Exactly-once too: every join and leave changes the group's assignment while transactions are in flight. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { AT_LEAST_ONCE, EXACTLY_ONCE })
    @Order(4)
    void losesNothingWhileInstancesJoinAndLeaveUnderLoad(String guarantee) {
        String mode = guarantee.equals(EXACTLY_ONCE) ? "eos" : "alos";
        try (FaultRun run = new FaultRun(broker, "s4-scaling-" + mode, 6, 3)) {
            run.startReadyInstance(guarantee, "a");
            OrderProducer producer = run.produce(run.orders(KEYS, POISON_EVERY), SIZES.scalingRecords(),
                    SIZES.perSecond(), null);
            List<PackagedApp> extra = new ArrayList<>();
            List<Integer> exitCodes = new ArrayList<>();
            atEvenlySpacedProgress(run, producer, 2 * SIZES.scalingCycles(), step -> {
                if (step % 2 == 1) { // 1 -> 3
                    extra.add(run.startInstance(guarantee, "b"));
                    extra.add(run.startInstance(guarantee, "c"));
                    extra.forEach(run::awaitReady);
                } else { // 3 -> 1, as a scale-in does it: SIGTERM to both at once
                    exitCodes.addAll(run.sigtermTogether(extra).values());
                    extra.clear();
                }
            });
            Finished end = finish(run, producer);
            check(run, "4. 1→3→1 instances under load", guarantee,
                    SIZES.scalingCycles() + " × (2 join, 2 SIGTERM)", end, () -> {
                        assertIntact(end);
                        assertThat(exitCodes).as("exit codes of the instances that left").containsOnly(0);
                        // Revoked partitions are drained and committed before they move: nothing twice, in
                        // either mode.
                        assertThat(end.tally().duplicates()).as("duplicates while the group rebalanced").isZero();
                    });
        }
    }

    @Test
    @Order(5)
    void outputsEachOrderExactlyOnceWhenTransactionalInstancesAreKilled() {
        try (FaultRun run = new FaultRun(broker, "s5-eos-sigkill", 3, 3)) {
            PackagedApp[] app = { run.startReadyInstance(EXACTLY_ONCE, "eos-1") };
            OrderProducer producer = run.produce(run.orders(KEYS, POISON_EVERY), SIZES.exactlyOnceRecords(),
                    SIZES.perSecond(), null);
            atEvenlySpacedProgress(run, producer, SIZES.exactlyOnceKills(), fault -> {
                run.sigkill(app[0]);
                // Same INSTANCE_ID: the new transactional producer fences the killed one's open transaction.
                app[0] = run.startInstance(EXACTLY_ONCE, "eos-1");
            });
            Finished end = finish(run, producer);
            check(run, "5. exactly-once, SIGKILL mid-stream", EXACTLY_ONCE,
                    SIZES.exactlyOnceKills() + " × SIGKILL + restart (same INSTANCE_ID)", end, () -> {
                        assertIntact(end);
                        assertThat(end.tally().duplicates()).as("read_committed duplicates").isZero();
                        assertThat(end.tally().deadLetterDuplicates()).as("read_committed dead-letter duplicates")
                                .isZero();
                    });
        }
    }

    /**
     * Input written in transactions, every third one aborted and so is the last one, which leaves an abort marker at
     * the end of every partition: lag must still reach exactly 0, and nothing of an aborted transaction may come out.
     * Then, once the app has drained, one more aborted transaction arrives on the idle topic: the app polls no record
     * at all, only a new position, and the lag must still return to exactly 0.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { AT_LEAST_ONCE, EXACTLY_ONCE })
    @Order(6)
    void reachesLagZeroOnTransactionalInputAndSkipsAbortedRecords(String guarantee) {
        String mode = guarantee.equals(EXACTLY_ONCE) ? "eos" : "alos";
        try (FaultRun run = new FaultRun(broker, "s6-tx-input-" + mode, 3, 3)) {
            run.startReadyInstance(guarantee, "tx-1");
            OrderProducer producer = run.produce(run.orders(KEYS, POISON_EVERY), SIZES.transactionalRecords(),
                    SIZES.perSecond(), new OrderProducer.Transactions(SIZES.transactionSize(), 3));
            FaultRun.Drain drain = run.awaitDrained(producer, SIZES.drainLimit());
            int late = 30;
            Orders lateOrders = new Orders(run.input() + "-late", KEYS, 0);
            FaultRun.Drain afterLateAbort = drain;
            if (drain.drained()) {
                producer.abortLateTransaction(lateOrders, late);
                afterLateAbort = run.awaitDrained(producer, Duration.ofSeconds(30));
            }
            Map<String, Integer> exitCodes = run.stopRunningInstances();
            Finished end = new Finished(drain, run.ledger(producer), exitCodes);
            FaultRun.Drain idle = afterLateAbort;
            check(run, "6. transactional input, aborts, lag 0", guarantee,
                    producer.transactionCount() + " input transactions, " + count(producer.abortedCount())
                            + " records aborted (the last transaction too), then 1 aborted transaction of " + late
                            + " on the idle topic",
                    end, idle.drained() ? "lag 0 after the idle-time abort too"
                            : "lag after the idle-time abort: " + idle.lastLag(),
                    () -> {
                        assertIntact(end);
                        assertThat(idle.drained())
                                .as("lag 0 (committed == log-end on every partition) 30 s after an aborted "
                                        + "transaction on the idle topic; last seen: %s", idle.lastLag())
                                .isTrue();
                        // Revoked partitions are drained and committed before they move: nothing twice, in
                        // either mode.
                        assertThat(end.tally().duplicates()).as("duplicates while the group rebalanced").isZero();
                    });
        }
    }

    @Test
    @Order(7)
    void deadLettersEveryPoisonRecordAndKeepsThePartitionMoving() {
        long total = SIZES.poisonRecords();
        try (FaultRun run = new FaultRun(broker, "s7-poison", 3, 3)) {
            run.startReadyInstance(AT_LEAST_ONCE, "a");
            // A fifth of the records poison, plus a run of 300 consecutive poison records in mid-stream.
            OrderProducer producer = run.produce(run.orders(KEYS, 5, total / 2, 300), total, SIZES.perSecond(), null);
            Finished end = finish(run, producer);
            check(run, "7. poison records mixed in", AT_LEAST_ONCE, "20 % poison (10 kinds) + a run of 300", end,
                    () -> {
                        assertIntact(end);
                        assertThat(end.tally().deadLettered()).as("distinct poison records dead-lettered")
                                .isGreaterThanOrEqualTo(total / 5);
                    });
        }
    }

    // ---- the parts every scenario shares ----

    /** How a scenario ended: the drain, the tally of all outputs, and the exit codes of the final SIGTERM. */
    record Finished(FaultRun.Drain drain, OutputLedger.Tally tally, Map<String, Integer> exitCodes) {
    }

    /**
     * Injects {@code faults} faults, the i-th once the group committed i/(faults+1) of the input, and after each one
     * waits for the group to commit again (measuring how long consumption stood still).
     */
    private static void atEvenlySpacedProgress(FaultRun run, OrderProducer producer, int faults, IntConsumer fault) {
        for (int i = 1; i <= faults; i++) {
            run.awaitCommitted(producer.total() * i / (faults + 1), SIZES.progressLimit());
            long faultAt = System.nanoTime();
            fault.accept(i);
            run.awaitResumed(faultAt, SIZES.progressLimit());
        }
    }

    /** Waits for lag 0, stops every running instance with SIGTERM, and reads everything that came out. */
    private static Finished finish(FaultRun run, OrderProducer producer) {
        FaultRun.Drain drain = run.awaitDrained(producer, SIZES.drainLimit());
        Map<String, Integer> exitCodes = run.stopRunningInstances();
        return new Finished(drain, run.ledger(producer), exitCodes);
    }

    /** The promises of every mode: drained to lag 0, nothing lost, nothing wrong on the output or dead-letter topic. */
    private static void assertIntact(Finished end) {
        OutputLedger.Tally tally = end.tally();
        assertThat(end.drain().drained()).as("lag 0 on every input partition; last seen: %s", end.drain().lastLag())
                .isTrue();
        assertThat(tally.lost()).as("valid orders lost, e.g. %s", tally.lostExamples()).isZero();
        assertThat(tally.abortedOutputs()).as("records of aborted input transactions that came out").isZero();
        assertThat(tally.poisonOutputs()).as("poison records that came out on the output topic").isZero();
        assertThat(tally.poisonNotDeadLettered()).as("poison records never dead-lettered").isZero();
        assertThat(tally.orderViolations()).as("orders of one key out of input order: %s", tally.problems())
                .isZero();
        assertThat(tally.problemCount()).as("wrong records on the output or dead-letter topic: %s", tally.problems())
                .isZero();
        assertThat(end.exitCodes()).as("exit codes after the final SIGTERM").allSatisfy((name, code) ->
                assertThat(code).as(name).isZero());
    }

    private static void check(FaultRun run, String scenario, String guarantee, String faults, Finished end,
            Runnable assertions) {
        check(run, scenario, guarantee, faults, end, "", assertions);
    }

    /** Writes the scenario's row (whatever the verdict), then fails with the details and the apps' logs if needed. */
    private static void check(FaultRun run, String scenario, String guarantee, String faults, Finished end,
            String notes, Runnable assertions) {
        OutputLedger.Tally tally = end.tally();
        List<String> allNotes = new ArrayList<>();
        if (!notes.isEmpty()) {
            allNotes.add(notes);
        }
        if (!run.longestResumption().isZero()) {
            allNotes.add(String.format(Locale.ROOT, "commits resumed ≤ %.1f s after a fault",
                    run.longestResumption().toMillis() / 1000.0));
        }
        allNotes.add("order violations " + tally.orderViolations());
        if (tally.deadLetterDuplicates() > 0) {
            allNotes.add("dead letters repeated " + tally.deadLetterDuplicates());
        }
        if (tally.aborted() > 0) {
            allNotes.add("aborted input records output: " + tally.abortedOutputs());
        }
        if (tally.duplicates() > 0) {
            // Where the duplicates came from, next to the app logs' timeline (UTC), for whoever has to explain them.
            System.out.println(scenario + " (" + guarantee + "): " + tally.duplicates() + " duplicates; by input "
                    + "partition:\n  " + String.join("\n  ", tally.duplicateSources()) + "\n  signals: "
                    + run.signals() + "\n  logs: " + run.logs());
        }
        try {
            assertions.run();
            results.add(new ResultsTable.Row(scenario, guarantee, faults, tally, end.drain(),
                    String.join("; ", allNotes), "pass"));
        } catch (AssertionError failure) {
            String firstLine = failure.getMessage() == null ? "failed" : failure.getMessage().strip().lines()
                    .findFirst().orElse("failed");
            results.add(new ResultsTable.Row(scenario, guarantee, faults, tally, end.drain(),
                    String.join("; ", allNotes), "FAIL: " + firstLine));
            throw new AssertionError(scenario + " failed: " + failure.getMessage() + "\ntally: " + tally
                    + "\nsignals: " + run.signals() + "\nlag now: " + run.describeLag() + "\napp logs in "
                    + run.logs() + "\n" + run.logExcerpt(), failure);
        }
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
