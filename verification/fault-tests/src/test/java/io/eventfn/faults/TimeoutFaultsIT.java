package io.eventfn.faults;

import static io.eventfn.faults.FaultRun.AT_LEAST_ONCE;
import static io.eventfn.faults.FaultRun.EXACTLY_ONCE;
import static io.eventfn.faults.Scenarios.KEYS;
import static io.eventfn.faults.Scenarios.POISON_EVERY;
import static io.eventfn.faults.Scenarios.SIZES;
import static io.eventfn.faults.Scenarios.abortsPerInstance;
import static io.eventfn.faults.Scenarios.assertIntact;
import static io.eventfn.faults.Scenarios.assertNoDuplicates;
import static io.eventfn.faults.Scenarios.check;
import static io.eventfn.faults.Scenarios.mode;
import static io.eventfn.faults.Scenarios.recordingFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.eventfn.kafka.local.ConsumerGroupLag;
import io.eventfn.kafka.local.LocalKafkaBroker;
import io.eventfn.kafka.local.PackagedApp;

/**
 * Faults that outlast a timeout: a broker outage longer than the clients' timeouts (the producer's delivery timeout,
 * {@code max.block.ms}, the transaction timeout), a processor whose batch outlives {@code DRAIN_TIMEOUT}, an instance
 * frozen past the group's session timeout. In each, the app must recover by itself and account for every record.
 */
@ExtendWith(FaultSuite.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TimeoutFaultsIT {

    /**
     * Exactly once, short suite: the transaction timeout below the outage, so that it runs out in a short run too
     * (the soak keeps the app's 30 s and a longer outage).
     */
    private static final Duration SHORT_TRANSACTION_TIMEOUT = Duration.ofSeconds(6);
    /**
     * Scenario 11: instance a takes 1 s per record and 5 records per poll, so each of its batches takes 5 s, longer
     * than DRAIN_TIMEOUT; the instance that joins is fast, so that the rest drains in seconds once a has left.
     */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration PROCESSING_DELAY = Duration.ofSeconds(1);
    private static final int MAX_POLL_RECORDS = 5;
    /** SIGTERM to exit: one DRAIN_TIMEOUT and the JVM's shutdown, less than two DRAIN_TIMEOUTs. */
    private static final Duration EXIT_AFTER_DRAIN = DRAIN_TIMEOUT.plusSeconds(3);

    private final LocalKafkaBroker broker = FaultSuite.broker();

    /**
     * The broker stops for longer than the clients wait. At least once: with no broker left, Kafka's producer drops its
     * metadata and blocks {@code send} until it can fetch it again, for at most {@code KAFKA_MAX_BLOCK_MS=5000}; writes
     * fail that way or after the producer's own retries ({@code KAFKA_DELIVERY_TIMEOUT_MS=4000}), and the delivery
     * writes everything from the first failure on again, in order: the last copy of each key's outputs is in order.
     * Exactly once: transactional calls or sends run out of {@code KAFKA_MAX_BLOCK_MS=2000}; a timed-out call is
     * repeated, a transaction that cannot commit is aborted and its producer replaced, and the records are written
     * again in a new one. Nothing lost, exactly once without duplicates,
     * the same process recovers by itself.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { AT_LEAST_ONCE, EXACTLY_ONCE })
    @Order(10)
    void recoversByItselfFromABrokerOutageLongerThanTheClientsTimeouts(String guarantee) {
        Map<String, String> timeouts = new LinkedHashMap<>();
        timeouts.put("PROCESSING_DELAY", "1ms");
        if (guarantee.equals(AT_LEAST_ONCE)) {
            timeouts.put("KAFKA_REQUEST_TIMEOUT_MS", "2000");
            timeouts.put("KAFKA_DELIVERY_TIMEOUT_MS", "4000");
            // Shorter than the outage, so a send blocked for metadata fails while the broker is away; long enough that
            // the five attempts to write again (1 + 2 + 4 + 8 s apart) outlast the soak's 45 s outage.
            timeouts.put("KAFKA_MAX_BLOCK_MS", "5000");
        } else {
            timeouts.put("KAFKA_MAX_BLOCK_MS", "2000");
            if (!Sizes.soak()) {
                timeouts.put("KAFKA_TRANSACTION_TIMEOUT_MS",
                        Long.toString(SHORT_TRANSACTION_TIMEOUT.toMillis()));
            }
        }
        Duration length = SIZES.longOutage();
        String scenario = "10. broker stopped longer than the clients' timeouts";
        String faults = String.format(Locale.ROOT, "broker down ≥ %d s; %s", length.toSeconds(), timeouts.entrySet()
                .stream().map(e -> e.getKey() + "="
                        + e.getValue()).toList());
        recordingFailure(scenario, guarantee, faults, () -> {
            try (FaultRun run = new FaultRun(broker, "s10-long-outage-" + mode(guarantee), 3, 3)
                    .environment(timeouts)) {
                PackagedApp app = run.startReadyInstance(guarantee, "a");
                long pid = app.pid();
                // The app processes slower than the input arrives (PROCESSING_DELAY), so when the broker stops it
                // still has fetched records in hand, and writes them while the broker is away.
                OrderProducer producer = run.produce(run.orders(KEYS, POISON_EVERY), SIZES.outageRecords(),
                        SIZES.perSecond(), null);
                run.awaitCommitted(producer.total() / 3, SIZES.progressLimit());
                FaultRun.Outage outage = run.brokerOutage(app, length);
                FaultRun.Drain drain = run.awaitDrained(producer, SIZES.drainLimit());
                Map<String, Integer> live = run.liveness();
                Map<String, Integer> exitCodes = run.stopRunningInstances();
                Scenarios.Finished end = new Scenarios.Finished(run, drain, run.ledger(producer), exitCodes);
                AppLog log = AppLog.of(app);
                String evidence = guarantee.equals(AT_LEAST_ONCE)
                        ? "writes sent again " + log.resends() + " times"
                        : "transactional calls timed out " + timedOutCalls(app) + " times, producer replaced "
                                + log.producerReplacements() + " times, " + abortsPerInstance(run);
                check(run, scenario, guarantee, outage.describe() + "; " + faults.substring(faults.indexOf(';') + 2),
                        end, outage.readiness() + "; " + evidence, () -> {
                            if (guarantee.equals(AT_LEAST_ONCE)) {
                                // Writes that failed after the producer's retries are written again after later
                                // ones of the same key that got through: the last copies are in order (README).
                                Scenarios.assertIntactInAnyFirstCopyOrder(end);
                            } else {
                                assertIntact(end);
                            }
                            assertThat(end.exitCodes()).as("the one instance ran throughout").containsOnlyKeys(
                                    app.name());
                            assertThat(app.pid()).isEqualTo(pid);
                            assertThat(live).as("/q/health/live after the recovery").containsEntry(app.name(), 200);
                            if (guarantee.equals(AT_LEAST_ONCE)) {
                                assertThat(log.resends()).as("writes that failed after the producer's retries and"
                                        + " were sent again (else the outage did not outlast the delivery timeout)")
                                        .isPositive();
                            } else {
                                assertNoDuplicates(end);
                                // Which call meets the outage first is timing: a transactional call that runs out
                                // of max.block.ms, or a send that does (its transaction then cannot commit and the
                                // producer is replaced).
                                assertThat(timedOutCalls(app) + log.producerReplacements()).as("transactional calls"
                                        + " that ran out of max.block.ms plus producers replaced (else the outage did"
                                        + " not outlast max.block.ms)").isPositive();
                            }
                        });
            }
        });
    }

    /**
     * A slow processor on a backlog, each of its batches longer than {@code DRAIN_TIMEOUT}: an instance joins while it
     * is in the middle of one (the rebalance does not wait for the processing: a record of a revoked partition is left
     * to its new owner), then it gets SIGTERM inside a batch begun after its last commit: it waits DRAIN_TIMEOUT once,
     * says that work was still in flight, and exits 0; the group moves on, nothing is lost.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { AT_LEAST_ONCE, EXACTLY_ONCE })
    @Order(11)
    void slowBatchPastDrainTimeoutNeitherStallsTheGroupNorLosesRecords(String guarantee) {
        String scenario = "11. slow processor, batch longer than DRAIN_TIMEOUT";
        String faults = String.format(Locale.ROOT, "a: PROCESSING_DELAY=%dms; KAFKA_MAX_POLL_RECORDS=%d,"
                + " DRAIN_TIMEOUT=%ds; b joins, then SIGTERM to a mid-batch", PROCESSING_DELAY.toMillis(),
                MAX_POLL_RECORDS, DRAIN_TIMEOUT.toSeconds());
        recordingFailure(scenario, guarantee, faults, () -> {
            try (FaultRun run = new FaultRun(broker, "s11-slow-" + mode(guarantee), 3, 3).environment(Map.of(
                    "KAFKA_MAX_POLL_RECORDS", Integer.toString(MAX_POLL_RECORDS),
                    "DRAIN_TIMEOUT", DRAIN_TIMEOUT.toSeconds() + "s"))) {
                PackagedApp a = run.startReadyInstance(guarantee, "a",
                        Map.of("PROCESSING_DELAY", PROCESSING_DELAY.toMillis() + "ms"));
                // A backlog, so that every poll is a full, slow batch.
                OrderProducer producer = run.produce(run.orders(KEYS, POISON_EVERY), SIZES.slowRecords(),
                        SIZES.perSecond(), null);
                run.awaitCommitted(1, SIZES.progressLimit());
                run.startReadyInstance(guarantee, "b");
                run.awaitGroupSettled(2, SIZES.progressLimit());
                // SIGTERM just after a committed a batch: it has begun the next, which takes longer than
                // DRAIN_TIMEOUT (the commit is seen within 50 ms, the next poll is already fetched).
                Set<Integer> owned = AppLog.ownedPartitions(a, run.input());
                run.awaitNextCommitOn(owned, SIZES.progressLimit());
                FaultRun.Exit exit = run.sigtermAndTime(a);
                long left = run.lag().partitions().stream().filter(p -> owned.contains(p.partition().partition()))
                        .mapToLong(ConsumerGroupLag.PartitionLag::lag).sum();
                run.awaitGroupSettled(1, SIZES.progressLimit());
                run.awaitEveryPartitionProgresses("b joined while a was mid-batch, then a stopped mid-batch",
                        SIZES.partitionProgressLimit());
                Scenarios.Finished end = Scenarios.finish(run, producer);
                boolean drainTimedOut = a.output().contains("after DRAIN_TIMEOUT");
                check(run, scenario, guarantee, faults, end, String.format(Locale.ROOT,
                        "a exited %d %.1f s after SIGTERM with %d records left on its partitions%s; %s", exit.code(),
                        exit.after().toMillis() / 1000.0, left,
                        drainTimedOut ? " (its batch outlived DRAIN_TIMEOUT)" : "", abortsPerInstance(run)), () -> {
                            assertIntact(end);
                            assertThat(exit.code()).as("exit code after SIGTERM mid-batch").isZero();
                            assertThat(exit.after()).as("SIGTERM to exit: one DRAIN_TIMEOUT (%s) and the shutdown,"
                                    + " not two", DRAIN_TIMEOUT).isLessThanOrEqualTo(EXIT_AFTER_DRAIN);
                            // SIGTERM came while a was processing a batch begun after its last commit, which takes
                            // longer than DRAIN_TIMEOUT: the drain must wait for it, then say it gave up.
                            assertThat(drainTimedOut).as("a, stopped just after it began a batch of up to %d"
                                    + " records × %s, logged that work was still in flight after DRAIN_TIMEOUT (exited"
                                    + " after %s)", MAX_POLL_RECORDS, PROCESSING_DELAY, exit.after()).isTrue();
                            if (guarantee.equals(EXACTLY_ONCE)) {
                                assertNoDuplicates(end);
                            }
                        });
            }
        });
    }

    /**
     * An instance frozen (SIGSTOP) past the group's session timeout, as by a long GC pause or a starved container,
     * then let go (SIGCONT): its partitions move to the other instance while it is frozen; when it runs on it finds it
     * was fenced ({@code Rebalance: lost}), drops what it had in flight and rejoins. Nothing is lost; exactly once
     * writes nothing twice (the frozen instance's open transaction cannot commit). At least once, what the frozen
     * instance's producer held is sent when it wakes, after the new owner wrote the same records: the first copies are
     * in input order, the last ones need not be.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { AT_LEAST_ONCE, EXACTLY_ONCE })
    @Order(12)
    void losesNothingWhenAnInstanceIsFrozenPastItsSessionTimeout(String guarantee) {
        String scenario = "12. instance paused past its session timeout";
        String faults = "SIGSTOP until the group moved on, then SIGCONT";
        recordingFailure(scenario, guarantee, faults, () -> {
            try (FaultRun run = new FaultRun(broker, "s12-paused-" + mode(guarantee), 3, 3)) {
                run.startReadyInstance(guarantee, "a");
                PackagedApp b = run.startReadyInstance(guarantee, "b");
                run.awaitGroupSettled(2, SIZES.progressLimit());
                // Slow enough that the stream outlasts the pause.
                OrderProducer producer = run.produce(run.orders(KEYS, POISON_EVERY), SIZES.pausedRecords(),
                        SIZES.perSecond() / 10, null);
                run.awaitCommitted(producer.total() / 5, SIZES.progressLimit());
                long paused = System.nanoTime();
                run.pause(b);
                run.awaitGroupSettled(1, SIZES.progressLimit());
                Duration movedAfter = Duration.ofNanos(System.nanoTime() - paused);
                run.resume(b);
                run.awaitEveryPartitionProgresses("b paused past the session timeout", SIZES.partitionProgressLimit());
                // The frozen instance learns that it was fenced: its partitions are reported lost, or (when it
                // tries to commit first) the group refuses its commit.
                try {
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                            .until(() -> AppLog.of(b).losses() + AppLog.of(b).fencedCommits() > 0);
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError("b logged neither 'Rebalance: lost' nor a commit refused for fencing"
                            + " within 60 s of SIGCONT:\n" + b.logTail(40), e);
                }
                run.awaitGroupSettled(2, SIZES.progressLimit());
                Scenarios.Finished end = Scenarios.finish(run, producer);
                AppLog bLog = AppLog.of(b);
                check(run, scenario, guarantee, faults, end, String.format(Locale.ROOT,
                        "b's partitions moved %.1f s after SIGSTOP; after SIGCONT b logged Rebalance: lost %d times,"
                                + " a commit refused for fencing %d times, and rejoined; %s",
                        movedAfter.toMillis() / 1000.0, bLog.losses(), bLog.fencedCommits(), abortsPerInstance(run)),
                        () -> {
                            if (guarantee.equals(EXACTLY_ONCE)) {
                                assertIntact(end);
                                assertNoDuplicates(end);
                            } else {
                                // What b's producer held when it froze is sent when it wakes, after a's copies.
                                Scenarios.assertIntactInAnyLastCopyOrder(end);
                            }
                        });
            }
        });
    }

    private static long timedOutCalls(PackagedApp app) {
        return app.output().lines().filter(line -> line.contains("of the transactional producer")
                && line.contains("timed out (attempt")).count();
    }
}
