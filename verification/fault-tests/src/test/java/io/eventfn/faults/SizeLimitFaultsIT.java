package io.eventfn.faults;

import static io.eventfn.faults.FaultRun.AT_LEAST_ONCE;
import static io.eventfn.faults.FaultRun.EXACTLY_ONCE;
import static io.eventfn.faults.Scenarios.KEYS;
import static io.eventfn.faults.Scenarios.POISON_EVERY;
import static io.eventfn.faults.Scenarios.SIZES;
import static io.eventfn.faults.Scenarios.assertIntact;
import static io.eventfn.faults.Scenarios.assertNoDuplicates;
import static io.eventfn.faults.Scenarios.check;
import static io.eventfn.faults.Scenarios.count;
import static io.eventfn.faults.Scenarios.mode;
import static io.eventfn.faults.Scenarios.recordingFailure;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.eventfn.faults.OutputLedger.DeadLetterForm;
import io.eventfn.faults.Orders.Kind;
import io.eventfn.faults.Orders.Sized;
import io.eventfn.kafka.local.LocalKafkaBroker;

/**
 * Records at the size limits, in both guarantees: no record may stop its partition. A record whose output or dead
 * letter cannot be written whole is accounted for by a smaller dead letter (without the value, then without key and
 * source headers), and the partition moves on; a record that fits is never shrunk.
 */
@ExtendWith(FaultSuite.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SizeLimitFaultsIT {

    /** The producer's {@code max.request.size} (Kafka's default, which the app keeps). */
    static final int MAX_REQUEST_SIZE = 1_048_576;
    /** The broker's {@code message.max.bytes} (Kafka's default, which the local broker keeps). */
    static final int MESSAGE_MAX_BYTES = 1_048_588;
    /** The issue's record: fits the broker, but its dead letter (the same bytes plus headers) not the producer. */
    static final int ISSUE_RECORD_BYTES = 1_048_300;
    /** How far under the producer's limit the sweep's input records are, as the producer sizes them. */
    static final int[] SWEEP_UNDER_LIMIT = { 1_200, 1_000, 800, 700, 600, 500, 450, 400, 350, 300, 250, 200, 150,
            100, 50, 20, 1 };

    /** A few thousand small records drain in seconds: a partition that stops shows within this. */
    static final java.time.Duration DRAIN_LIMIT = java.time.Duration.ofSeconds(60);

    static final int OUTPUT_TOPIC_LIMIT = 20_000;
    static final int DEAD_LETTER_TOPIC_LIMIT = 60_000;

    private final LocalKafkaBroker broker = FaultSuite.broker();

    /**
     * Invalid orders of about 1 MiB among ordinary ones: one exactly at the broker's {@code message.max.bytes}, the
     * issue's record of {@value #ISSUE_RECORD_BYTES} bytes, and a sweep across the point where the dead letter (the
     * source plus its {@code dead-letter-*} headers) stops fitting the producer's {@code max.request.size}. Each is
     * dead-lettered whole when it fits and without its value when it does not; the records after them are processed.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { AT_LEAST_ONCE, EXACTLY_ONCE })
    @Order(9)
    void deadLettersRecordsAtTheProducersSizeLimitAndMovesOn(String guarantee) {
        String scenario = "9. records at the producer's size limit";
        String faults = (2 + SWEEP_UNDER_LIMIT.length) + " invalid records of about 1 MiB (at message.max.bytes, "
                + count(ISSUE_RECORD_BYTES) + " bytes, a sweep across max.request.size for their dead letters)";
        recordingFailure(scenario, guarantee, faults, () -> {
            try (FaultRun run = new FaultRun(broker, "s9-request-size-" + mode(guarantee), 3, 3)) {
                Orders plain = run.orders(KEYS, POISON_EVERY);
                long total = SIZES.sizeLimitRecords();
                // The large records in the first half, a few indexes apart (other keys, other partitions), so that
                // each partition has ordinary orders after them.
                long first = total / 5;
                long atBrokerLimit = first;
                long issueRecord = first + 3;
                Map<Long, Sized> sized = new LinkedHashMap<>();
                sized.put(atBrokerLimit, new Sized(Kind.NOT_JSON, RecordBytes.valueLengthFor(MESSAGE_MAX_BYTES,
                        length -> RecordBytes.batchOfOne(plain.key(atBrokerLimit), length,
                                headers(plain, atBrokerLimit, 0))), 0));
                sized.put(issueRecord, new Sized(Kind.NOT_JSON, ISSUE_RECORD_BYTES, 0));
                List<Long> sweep = new ArrayList<>();
                for (int i = 0; i < SWEEP_UNDER_LIMIT.length; i++) {
                    long index = first + 6 + 3L * i;
                    sweep.add(index);
                    sized.put(index, new Sized(Kind.NOT_JSON, RecordBytes.valueLengthFor(
                            MAX_REQUEST_SIZE - SWEEP_UNDER_LIMIT[i],
                            length -> RecordBytes.upperBound(plain.key(index), length, headers(plain, index, 0))), 0));
                }
                Orders orders = plain.withSized(sized);
                run.startReadyInstance(guarantee, "a");
                OrderProducer producer = run.produce(orders, total, SIZES.perSecond(), null);
                FaultRun.Drain drain = run.awaitDrained(producer, DRAIN_LIMIT);
                Map<String, Integer> live = run.liveness();
                Map<String, Integer> exitCodes = run.stopRunningInstances();
                OutputLedger ledger = run.readLedger(producer, OutputLedger.Expect.ENRICHED);
                Scenarios.Finished end = new Scenarios.Finished(run, drain, ledger.tally(), exitCodes);
                List<DeadLetterForm> sweepForms = sweep.stream().map(ledger::deadLetterForm).toList();
                check(run, scenario, guarantee, faults, end, formsNote(end.tally()) + String.format(Locale.ROOT,
                        "; largest whole dead letter %,d bytes, smallest one left without its value would have been"
                                + " %,d (max.request.size %,d)", ledger.largestWholeDeadLetter(),
                        ledger.smallestWholeOfAShrunkDeadLetter(), MAX_REQUEST_SIZE), () -> {
                            assertIntact(end);
                            assertThat(live).as("/q/health/live of each instance at the end").allSatisfy(
                                    (name, status) -> assertThat(status).as(name).isEqualTo(200));
                            assertThat(ledger.deadLetterForm(atBrokerLimit))
                                    .as("dead letter of the record at message.max.bytes").isEqualTo(
                                            DeadLetterForm.WITHOUT_VALUE);
                            assertThat(ledger.deadLetterForm(issueRecord))
                                    .as("dead letter of the issue's %s-byte record", ISSUE_RECORD_BYTES)
                                    .isEqualTo(DeadLetterForm.WITHOUT_VALUE);
                            assertThat(sweepForms).as("the sweep crosses the limit: whole dead letters below it,"
                                    + " ones without the value above it").contains(DeadLetterForm.WHOLE,
                                            DeadLetterForm.WITHOUT_VALUE).doesNotContain(DeadLetterForm.BARE);
                            assertThat(ledger.largestWholeDeadLetter()).as("largest whole dead letter")
                                    .isLessThanOrEqualTo(MAX_REQUEST_SIZE);
                            assertThat(ledger.smallestWholeOfAShrunkDeadLetter())
                                    .as("no dead letter that would have fitted whole was shrunk")
                                    .isGreaterThan(MAX_REQUEST_SIZE);
                            if (guarantee.equals(EXACTLY_ONCE)) {
                                assertNoDuplicates(end);
                            }
                        });
            }
        });
    }

    /**
     * {@code PROCESSOR=noop} (every input comes out unchanged) with an output topic that takes batches of at most
     * {@value #OUTPUT_TOPIC_LIMIT} bytes and a dead-letter topic of {@value #DEAD_LETTER_TOPIC_LIMIT}: an output one
     * byte over the output topic's limit is refused by the broker and its source dead-lettered
     * ({@code output-rejected}); one exactly at it comes out; a source too large for the dead-letter topic is
     * dead-lettered without its value, and one whose headers alone are too large without key, value and headers.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { AT_LEAST_ONCE, EXACTLY_ONCE })
    @Order(9)
    void deadLettersOutputsTheirTopicsRefuseAndMovesOn(String guarantee) {
        String scenario = "9. outputs over the output and dead-letter topics' max.message.bytes (noop)";
        String faults = "output topic " + count(OUTPUT_TOPIC_LIMIT) + " B, dead-letter topic "
                + count(DEAD_LETTER_TOPIC_LIMIT) + " B; 3 × (output at the limit, 1 B over, 40 kB, 70 kB, 30 kB + 70 kB"
                + " header)";
        recordingFailure(scenario, guarantee, faults, () -> {
            try (FaultRun run = new FaultRun(broker, "s9-topic-size-" + mode(guarantee), 3, 3,
                    Map.of("max.message.bytes", Integer.toString(OUTPUT_TOPIC_LIMIT)),
                    Map.of("max.message.bytes", Integer.toString(DEAD_LETTER_TOPIC_LIMIT)))
                    .environment(Map.of("PROCESSOR", "noop"))) {
                Orders plain = run.orders(KEYS, 0);
                long total = SIZES.sizeLimitRecords();
                Map<Long, Sized> sized = new LinkedHashMap<>();
                Map<Long, DeadLetterForm> expected = new LinkedHashMap<>();
                for (int round = 0; round < 3; round++) {
                    long base = total / 5 + round * 40L;
                    long atLimit = base;
                    // The output is the input's key and value, without headers: its batch alone is what the topic
                    // checks.
                    sized.put(atLimit, new Sized(Kind.VALID, RecordBytes.valueLengthFor(OUTPUT_TOPIC_LIMIT,
                            length -> RecordBytes.batchOfOne(plain.key(atLimit), length, new Header[0])), 0));
                    expected.put(atLimit, null);
                    long overLimit = base + 5;
                    sized.put(overLimit, new Sized(Kind.OUTPUT_REFUSED, RecordBytes.valueLengthFor(
                            OUTPUT_TOPIC_LIMIT + 1,
                            length -> RecordBytes.batchOfOne(plain.key(overLimit), length, new Header[0])), 0));
                    expected.put(overLimit, DeadLetterForm.WHOLE);
                    sized.put(base + 10, new Sized(Kind.OUTPUT_REFUSED, 40_000, 0));
                    expected.put(base + 10, DeadLetterForm.WHOLE);
                    sized.put(base + 15, new Sized(Kind.OUTPUT_REFUSED, 70_000, 0));
                    expected.put(base + 15, DeadLetterForm.WITHOUT_VALUE);
                    sized.put(base + 20, new Sized(Kind.OUTPUT_REFUSED, 30_000, 70_000));
                    expected.put(base + 20, DeadLetterForm.BARE);
                }
                run.startReadyInstance(guarantee, "a");
                OrderProducer producer = run.produce(plain.withSized(sized), total, SIZES.perSecond(), null);
                FaultRun.Drain drain = run.awaitDrained(producer, DRAIN_LIMIT);
                Map<String, Integer> live = run.liveness();
                Map<String, Integer> exitCodes = run.stopRunningInstances();
                OutputLedger ledger = run.readLedger(producer, OutputLedger.Expect.UNCHANGED);
                Scenarios.Finished end = new Scenarios.Finished(run, drain, ledger.tally(), exitCodes);
                Map<Long, DeadLetterForm> actual = new LinkedHashMap<>();
                expected.keySet().forEach(index -> actual.put(index, ledger.deadLetterForm(index)));
                check(run, scenario, guarantee, faults, end, formsNote(end.tally()), () -> {
                    assertIntact(end);
                    assertThat(live).as("/q/health/live of each instance at the end").allSatisfy(
                            (name, status) -> assertThat(status).as(name).isEqualTo(200));
                    assertThat(actual).as("dead letter per sized record (none: it came out)")
                            .containsExactlyEntriesOf(expected);
                    if (guarantee.equals(EXACTLY_ONCE)) {
                        assertNoDuplicates(end);
                    }
                });
            }
        });
    }

    private static Header[] headers(Orders orders, long index, int paddingHeaderBytes) {
        return OrderProducer.headers(orders.withSized(Map.of(index, new Sized(Kind.NOT_JSON, 100,
                paddingHeaderBytes))), index);
    }

    private static String formsNote(OutputLedger.Tally tally) {
        return "dead letters " + count(tally.deadLettered() - tally.deadLetteredWithoutValue()
                - tally.deadLetteredBare()) + " whole, " + count(tally.deadLetteredWithoutValue()) + " without value, "
                + count(tally.deadLetteredBare()) + " bare";
    }
}
