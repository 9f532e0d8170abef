package io.eventfn.faults;

import static io.eventfn.faults.FaultRun.AT_LEAST_ONCE;
import static io.eventfn.faults.FaultRun.CLASSIC_PROTOCOL;
import static io.eventfn.faults.FaultRun.CONSUMER_PROTOCOL;
import static io.eventfn.faults.FaultRun.EXACTLY_ONCE;
import static io.eventfn.faults.Scenarios.POISON_EVERY;
import static io.eventfn.faults.Scenarios.SIZES;
import static io.eventfn.faults.Scenarios.abortsPerInstance;
import static io.eventfn.faults.Scenarios.assertAtMostOneAbortPerRebalance;
import static io.eventfn.faults.Scenarios.assertIntact;
import static io.eventfn.faults.Scenarios.assertNoDuplicates;
import static io.eventfn.faults.Scenarios.atEvenlySpacedProgress;
import static io.eventfn.faults.Scenarios.check;
import static io.eventfn.faults.Scenarios.count;
import static io.eventfn.faults.Scenarios.finish;
import static io.eventfn.faults.Scenarios.mode;
import static io.eventfn.faults.Scenarios.recordingFailure;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.eventfn.kafka.local.LocalKafkaBroker;
import io.eventfn.kafka.local.PackagedApp;

/**
 * Instances joining and leaving the group under a live stream, with each group protocol: the consumer protocol
 * (KIP-848), where the broker moves a member's epoch on without any rebalance callback, and the classic protocol with
 * the cooperative-sticky assignor. Asserted per partition (each one commits again within
 * {@link Sizes#partitionProgressLimit()} once a membership change settled) and per instance (at most one aborted
 * transaction per rebalance it took part in), besides the totals.
 */
@ExtendWith(FaultSuite.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScalingFaultsIT {

    /** Enough input keys that each of the six input partitions gets some (16 can leave one empty). */
    private static final int KEYS = 48;

    private final LocalKafkaBroker broker = FaultSuite.broker();

    /**
     * 1 → 3 → 1 under load, as KEDA scales out and in: two instances join at a third of the input, both leave by
     * SIGTERM at two thirds. Revoked partitions are finished and committed before they move, so nothing comes out
     * twice in either guarantee.
     */
    @ParameterizedTest(name = "{0}, {1} protocol")
    @CsvSource({ AT_LEAST_ONCE + "," + CONSUMER_PROTOCOL, EXACTLY_ONCE + "," + CONSUMER_PROTOCOL,
            EXACTLY_ONCE + "," + CLASSIC_PROTOCOL, AT_LEAST_ONCE + "," + CLASSIC_PROTOCOL })
    @Order(4)
    void losesNothingWhileInstancesJoinAndLeaveUnderLoad(String guarantee, String protocol) {
        String scenario = "4. 1→3→1 instances under load (" + protocol + " protocol)";
        String faults = SIZES.scalingCycles() + " × (2 join, 2 SIGTERM)";
        recordingFailure(scenario, guarantee, faults, () -> {
            try (FaultRun run = new FaultRun(broker, "s4-scaling-" + mode(guarantee) + "-" + protocol, 6, 3)
                    .groupProtocol(protocol)) {
                run.startReadyInstance(guarantee, "a");
                OrderProducer producer = run.produce(run.orders(KEYS, POISON_EVERY), SIZES.scalingRecords(),
                        SIZES.scalingPerSecond(), null);
                List<PackagedApp> extra = new ArrayList<>();
                List<Integer> exitCodes = new ArrayList<>();
                atEvenlySpacedProgress(run, producer, 2 * SIZES.scalingCycles(), step -> {
                    if (step % 2 == 1) { // 1 -> 3
                        extra.add(run.startInstance(guarantee, "b"));
                        extra.add(run.startInstance(guarantee, "c"));
                        extra.forEach(run::awaitReady);
                        run.awaitGroupSettled(3, SIZES.progressLimit());
                        run.awaitEveryPartitionProgresses("1→3 (cycle " + (step + 1) / 2 + ")",
                                SIZES.partitionProgressLimit());
                    } else { // 3 -> 1, as a scale-in does it: SIGTERM to both at once
                        exitCodes.addAll(run.sigtermTogether(extra).values());
                        extra.clear();
                        run.awaitGroupSettled(1, SIZES.progressLimit());
                        run.awaitEveryPartitionProgresses("3→1 (cycle " + step / 2 + ")",
                                SIZES.partitionProgressLimit());
                    }
                });
                Scenarios.Finished end = finish(run, producer);
                check(run, scenario, guarantee, faults, end, abortsPerInstance(run), () -> {
                    assertIntact(end);
                    assertThat(exitCodes).as("exit codes of the instances that left").containsOnly(0);
                    // Revoked partitions are drained and committed before they move: nothing twice, in either mode.
                    assertThat(end.tally().duplicates()).as("duplicates while the group rebalanced").isZero();
                    if (guarantee.equals(EXACTLY_ONCE)) {
                        assertNoDuplicates(end);
                        assertAtMostOneAbortPerRebalance(run);
                    }
                });
            }
        });
    }

    /**
     * The reproduction of issue 10: instance A alone on six partitions, instance B joins; once the group is stable
     * with both owning partitions, orders are produced. Every partition, those A kept included, must commit within
     * seconds: with the consumer protocol a member's epoch moves when its revocation completes, without any callback,
     * and a transaction that carried the epoch cached at the last callback was refused and rewound forever.
     */
    @ParameterizedTest(name = "{0} protocol")
    @ValueSource(strings = { CONSUMER_PROTOCOL, CLASSIC_PROTOCOL })
    @Order(8)
    void exactlyOnceCommitsOnEveryPartitionAfterAnInstanceJoined(String protocol) {
        String scenario = "8. exactly-once, stream after an instance joined (" + protocol + " protocol)";
        String faults = "1 join (1→2), then " + count(SIZES.scaleOutRecords()) + " orders";
        recordingFailure(scenario, EXACTLY_ONCE, faults, () -> {
            try (FaultRun run = new FaultRun(broker, "s8-eos-scale-out-" + protocol, 6, 3).groupProtocol(protocol)) {
                run.startReadyInstance(EXACTLY_ONCE, "a");
                run.awaitGroupSettled(1, SIZES.progressLimit());
                run.startReadyInstance(EXACTLY_ONCE, "b");
                run.awaitGroupSettled(2, SIZES.progressLimit());
                OrderProducer producer = run.produce(run.orders(KEYS, POISON_EVERY), SIZES.scaleOutRecords(),
                        SIZES.perSecond(), null);
                run.awaitEveryPartitionProgresses("stream after b joined", SIZES.partitionProgressLimit());
                Scenarios.Finished end = finish(run, producer);
                long outputLogEnd = run.outputLogEnd();
                check(run, scenario, EXACTLY_ONCE, faults, end, abortsPerInstance(run) + "; output log end "
                        + count(outputLogEnd) + " offsets (aborted records and transaction markers included)", () -> {
                            assertIntact(end);
                            assertNoDuplicates(end);
                            assertAtMostOneAbortPerRebalance(run);
                            // Aborted writes stay in the log: the stall wrote 550,000 records for 25,000.
                            assertThat(outputLogEnd).as("offsets on the output topic, for %s outputs",
                                    end.tally().outputRecords()).isLessThan(end.tally().outputRecords() * 3 / 2);
                        });
            }
        });
    }
}
