package io.eventfn.faults;

import static io.eventfn.faults.FaultRun.AT_LEAST_ONCE;
import static io.eventfn.faults.FaultRun.EXACTLY_ONCE;
import static io.eventfn.faults.Scenarios.KEYS;
import static io.eventfn.faults.Scenarios.POISON_EVERY;
import static io.eventfn.faults.Scenarios.SIZES;
import static io.eventfn.faults.Scenarios.assertIntact;
import static io.eventfn.faults.Scenarios.atEvenlySpacedProgress;
import static io.eventfn.faults.Scenarios.check;
import static io.eventfn.faults.Scenarios.count;
import static io.eventfn.faults.Scenarios.finish;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.eventfn.faults.Scenarios.Finished;
import io.eventfn.kafka.local.LocalKafkaBroker;
import io.eventfn.kafka.local.PackagedApp;

/**
 * The packaged app under real faults: instances killed and stopped mid-stream, the broker taken away, exactly-once
 * instances killed, transactional input with aborted transactions, poison records. Every scenario counts what was
 * produced, output, lost, duplicated and dead-lettered, writes a row to {@code RESULTS.md}, and then asserts the
 * product's promises. Sizes: {@link Sizes}; one broker for every fault class ({@link FaultSuite}). Instances joining and
 * leaving: {@link ScalingFaultsIT}; records at the size limits: {@link SizeLimitFaultsIT}; faults that outlast a
 * timeout: {@link TimeoutFaultsIT}.
 */
@ExtendWith(FaultSuite.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

    private final LocalKafkaBroker broker = FaultSuite.broker();

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
            FaultRun.Outage outage = run.brokerOutage(app, SIZES.outage());
            Finished end = finish(run, producer);
            check(run, "3. broker stopped mid-stream", AT_LEAST_ONCE,
                    outage.describe(), end, outage.readiness(),
                    () -> {
                        assertIntact(end);
                        assertThat(end.exitCodes()).as("the one instance ran throughout").containsOnlyKeys(
                                app.name());
                        assertThat(app.pid()).isEqualTo(pid);
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
            Finished end = new Finished(run, drain, run.ledger(producer), exitCodes);
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
}
