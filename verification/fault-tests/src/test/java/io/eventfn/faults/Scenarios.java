package io.eventfn.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * The steps and verdicts every scenario shares: faults at evenly spaced progress, the drain and final SIGTERM, the
 * promises every mode keeps, and the row each scenario writes to {@code RESULTS.md} whatever its verdict.
 */
final class Scenarios {

    static final Sizes SIZES = Sizes.current();
    /** Input message keys: records of one key share a partition, so their order is observable (see Orders). */
    static final int KEYS = 16;
    /** Every 50th record is poison, so that dead-lettering is exercised under every fault. */
    static final int POISON_EVERY = 50;

    private Scenarios() {
    }

    /**
     * How a scenario ended: the drain, the tally of all outputs, the exit codes of the final SIGTERM, each time a
     * committed offset was seen to move backwards, and the committed offsets left without a leader epoch.
     */
    record Finished(FaultRun.Drain drain, OutputLedger.Tally tally, Map<String, Integer> exitCodes,
            List<String> commitsBackwards, List<String> withoutLeaderEpoch) {

        Finished(FaultRun run, FaultRun.Drain drain, OutputLedger.Tally tally, Map<String, Integer> exitCodes) {
            this(drain, tally, exitCodes, run.commitsBackwards(), run.committedWithoutLeaderEpoch());
        }
    }

    /**
     * Injects {@code faults} faults, the i-th once the group committed i/(faults+1) of the input, and after each one
     * waits for the group to commit again (measuring how long consumption stood still).
     */
    static void atEvenlySpacedProgress(FaultRun run, OrderProducer producer, int faults, IntConsumer fault) {
        for (int i = 1; i <= faults; i++) {
            run.awaitCommitted(producer.total() * i / (faults + 1), SIZES.progressLimit());
            long faultAt = System.nanoTime();
            fault.accept(i);
            run.awaitResumed(faultAt, SIZES.progressLimit());
        }
    }

    /** Waits for lag 0, stops every running instance with SIGTERM, and reads everything that came out. */
    static Finished finish(FaultRun run, OrderProducer producer) {
        return finish(run, producer, OutputLedger.Expect.ENRICHED);
    }

    static Finished finish(FaultRun run, OrderProducer producer, OutputLedger.Expect expect) {
        FaultRun.Drain drain = run.awaitDrained(producer, SIZES.drainLimit());
        Map<String, Integer> exitCodes = run.stopRunningInstances();
        return new Finished(run, drain, run.readLedger(producer, expect).tally(), exitCodes);
    }

    /** The promises of every mode: drained to lag 0, nothing lost, nothing wrong on the output or dead-letter topic. */
    static void assertIntact(Finished end) {
        assertThat(end.tally().orderViolations()).as("orders of one key out of input order: %s",
                end.tally().problems()).isZero();
        assertIntactInAnyFirstCopyOrder(end);
    }

    /**
     * {@link #assertIntact} where writes may fail after the producer's own retries (a lowered
     * {@code KAFKA_DELIVERY_TIMEOUT_MS}): records written again after a failure come after later ones of the same key
     * that got through, so only the last copies must be in input order.
     */
    static void assertIntactInAnyFirstCopyOrder(Finished end) {
        assertThat(end.tally().lastCopyOrderViolations()).as("last copies of one key's orders out of input order")
                .isZero();
        assertIntactOrderAside(end);
    }

    /**
     * {@link #assertIntact} where an instance may wake from a freeze with writes still in its producer (at least
     * once): they land after the new owner's copies of the same records, so only the first copies must be in input
     * order.
     */
    static void assertIntactInAnyLastCopyOrder(Finished end) {
        assertThat(end.tally().orderViolations()).as("orders of one key out of input order: %s",
                end.tally().problems()).isZero();
        assertIntactOrderAside(end);
    }

    private static void assertIntactOrderAside(Finished end) {
        OutputLedger.Tally tally = end.tally();
        assertThat(end.drain().drained()).as("lag 0 on every input partition; last seen: %s", end.drain().lastLag())
                .isTrue();
        assertThat(tally.lost()).as("valid orders lost, e.g. %s", tally.lostExamples()).isZero();
        assertThat(tally.abortedOutputs()).as("records of aborted input transactions that came out").isZero();
        assertThat(tally.poisonOutputs()).as("poison records that came out on the output topic").isZero();
        assertThat(tally.poisonNotDeadLettered()).as("poison records never dead-lettered").isZero();
        assertThat(tally.problemCount() - tally.orderViolations()).as("wrong records on the output or dead-letter"
                + " topic: %s", tally.problems()).isZero();
        assertThat(end.exitCodes()).as("exit codes after the final SIGTERM").allSatisfy((name, code) ->
                assertThat(code).as(name).isZero());
        assertThat(end.commitsBackwards()).as("committed offsets that moved backwards").isEmpty();
        assertThat(end.withoutLeaderEpoch()).as("committed offsets without the leader epoch of their record (KIP-320)")
                .isEmpty();
    }

    /** Exactly once as read_committed sees it: every output and every dead letter once. */
    static void assertNoDuplicates(Finished end) {
        assertThat(end.tally().duplicates()).as("read_committed duplicates").isZero();
        assertThat(end.tally().deadLetterDuplicates()).as("read_committed dead-letter duplicates").isZero();
    }

    /**
     * Per instance: at most one aborted transaction for each rebalance it took part in (exactly-once). More means
     * transactions fail in steady state, as with a stale group epoch, which a healthy total can hide.
     */
    static void assertAtMostOneAbortPerRebalance(FaultRun run) {
        for (AppLog log : AppLog.of(run)) {
            assertThat(log.abortedTransactions()).as("aborted transactions of %s, which took part in %d rebalances",
                    log.instance(), log.rebalances()).isLessThanOrEqualTo(log.rebalances());
        }
    }

    /** "aborted transactions/rebalances per instance: a-1 0/3, b-2 1/2". */
    static String abortsPerInstance(FaultRun run) {
        return "aborted transactions/rebalances per instance: "
                + AppLog.of(run).stream().map(AppLog::abortsPerRebalances).collect(Collectors.joining(", "));
    }

    /**
     * Runs a scenario; when it fails before it wrote its row (a group that never settles, a partition that commits
     * nothing), writes a FAIL row saying what failed, so that RESULTS.md shows every scenario that ran.
     */
    static void recordingFailure(String scenario, String guarantee, String faults, Runnable body) {
        try {
            body.run();
        } catch (AssertionError | RuntimeException failure) {
            ResultsTable results = FaultSuite.results();
            if (!results.has(scenario, guarantee)) {
                String firstLine = firstLine(failure);
                results.add(new ResultsTable.Row(scenario, guarantee, faults, OutputLedger.Tally.none(),
                        new FaultRun.Drain(false, java.time.Duration.ZERO, null), "",
                        "FAIL before the end: " + firstLine));
            }
            throw failure;
        }
    }

    static void check(FaultRun run, String scenario, String guarantee, String faults, Finished end,
            Runnable assertions) {
        check(run, scenario, guarantee, faults, end, "", assertions);
    }

    /** Writes the scenario's row (whatever the verdict), then fails with the details and the apps' logs if needed. */
    static void check(FaultRun run, String scenario, String guarantee, String faults, Finished end, String notes,
            Runnable assertions) {
        OutputLedger.Tally tally = end.tally();
        List<String> allNotes = new ArrayList<>();
        if (!notes.isEmpty()) {
            allNotes.add(notes);
        }
        if (!run.longestResumption().isZero()) {
            allNotes.add(String.format(Locale.ROOT, "commits resumed ≤ %.1f s after a fault",
                    run.longestResumption().toMillis() / 1000.0));
        }
        allNotes.addAll(run.partitionProgress());
        // Last copies matter where records were written again after a failure (with those after them), not where
        // a fenced instance's late writes repeat old records.
        allNotes.add(tally.orderViolations() == 0 || tally.orderViolations() == tally.lastCopyOrderViolations()
                ? "order violations " + tally.orderViolations()
                : "order violations " + tally.orderViolations() + " (first copies), " + tally.lastCopyOrderViolations()
                        + " (last copies)");
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
        ResultsTable results = FaultSuite.results();
        try {
            assertions.run();
            results.add(new ResultsTable.Row(scenario, guarantee, faults, tally, end.drain(),
                    String.join("; ", allNotes), "pass"));
        } catch (AssertionError failure) {
            String firstLine = firstLine(failure);
            results.add(new ResultsTable.Row(scenario, guarantee, faults, tally, end.drain(),
                    String.join("; ", allNotes), "FAIL: " + firstLine));
            throw new AssertionError(scenario + " failed: " + failure.getMessage() + "\ntally: " + tally
                    + "\nsignals: " + run.signals() + "\nlag now: " + run.describeLag() + "\napp logs in "
                    + run.logs() + "\n" + run.logExcerpt(), failure);
        }
    }

    /** A failure's first line, at most 300 characters: enough for the results table. */
    private static String firstLine(Throwable failure) {
        String line = failure.getMessage() == null ? failure.toString()
                : failure.getMessage().strip().lines().findFirst().orElse("failed");
        return line.length() <= 300 ? line : line.substring(0, 300) + " …";
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String mode(String guarantee) {
        return guarantee.equals(FaultRun.EXACTLY_ONCE) ? "eos" : "alos";
    }
}
