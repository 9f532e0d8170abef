package io.eventfn.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The acknowledged prefix of one partition: what may be committed, in order, and what is written again. */
class PartitionLedgerTest {

    private static final TopicPartition PARTITION = new TopicPartition("orders", 3);

    private final PartitionLedger ledger = new PartitionLedger(PARTITION);

    @Test
    void commitsARunOnlyWhenItAndEveryRunBeforeItAreAcknowledged() {
        PartitionLedger.Segment first = append(0, 10, "a", "b");
        PartitionLedger.Segment second = append(10, 20, "c");

        assertThat(ledger.settled(second, 0, null)).isEqualTo(PartitionLedger.Next.NOTHING);
        assertThat(ledger.acknowledged()).isNull();
        ledger.settled(first, 0, null);
        assertThat(ledger.acknowledged()).isNull();

        assertThat(ledger.settled(first, 1, null)).isEqualTo(PartitionLedger.Next.COMMIT);
        assertThat(ledger.acknowledged().offset()).isEqualTo(20);
        assertThat(ledger.takeReleased()).containsExactly(first, second);
    }

    @Test
    void keepsTheLeaderEpochOfTheOffsetToCommit() {
        PartitionLedger.Segment run = ledger.append(0, new OffsetAndMetadata(7, java.util.Optional.of(4), ""),
                sends("a"), 1);
        ledger.handedOver();
        ledger.settled(run, 0, null);

        assertThat(ledger.acknowledged().leaderEpoch()).contains(4);
    }

    @Test
    void aRunWithNothingToWriteIsAcknowledgedOnceHandedOver() {
        PartitionLedger.Segment skipped = ledger.append(0, new OffsetAndMetadata(5), List.of(), 5);

        assertThat(ledger.handedOver()).isEqualTo(PartitionLedger.Next.COMMIT);
        assertThat(ledger.acknowledged().offset()).isEqualTo(5);
        assertThat(ledger.takeReleased()).containsExactly(skipped);
    }

    @Test
    void aRecordRefusedForItsContentIsReplacedAtItsPlaceAndTheRunWaitsForTheReplacement() {
        PartitionLedger.Segment run = append(0, 2, "a", "b");
        ledger.settled(run, 0, null);

        assertThat(ledger.settled(run, 1, new RecordTooLargeException("too big")))
                .isEqualTo(PartitionLedger.Next.REPLACE);
        assertThat(ledger.acknowledged()).isNull();
        Send replacement = send("dead letter of b");
        assertThat(ledger.replace(run, 1, replacement)).isTrue();
        assertThat(run.sends[1]).isSameAs(replacement);

        assertThat(ledger.settled(run, 1, null)).isEqualTo(PartitionLedger.Next.COMMIT);
        assertThat(ledger.acknowledged().offset()).isEqualTo(2);
        assertThat(ledger.isBlocked()).isFalse();
    }

    @Test
    void aFailedWriteBlocksThePartitionAndEverythingFromItOnIsWrittenAgainInOrder() {
        PartitionLedger.Segment first = append(0, 3, "a", "b", "c");
        PartitionLedger.Segment second = append(3, 4, "d");
        ledger.settled(first, 0, null);
        ledger.settled(first, 1, new TimeoutException("delivery timed out"));
        ledger.settled(first, 2, null);
        assertThat(ledger.isBlocked()).isTrue();

        // The last write in flight settles: now the partition is quiet and can be written again.
        assertThat(ledger.settled(second, 0, null)).isEqualTo(PartitionLedger.Next.RESEND);
        PartitionLedger.Segment queued = ledger.append(4, new OffsetAndMetadata(5), sends("e"), 1);
        assertThat(ledger.sendNow(queued)).isFalse();

        List<PartitionLedger.Write> resend = ledger.takeResend();
        // b failed; c and d were written after it and are written again so that no key's output goes backwards.
        assertThat(values(resend)).containsExactly("b", "c", "d", "e");
        assertThat(ledger.handedOver()).isEqualTo(PartitionLedger.Next.NOTHING);
        assertThat(ledger.takeQueued()).isEmpty();
        assertThat(ledger.isBlocked()).isFalse();

        for (PartitionLedger.Write write : resend) {
            ledger.settled(write.segment(), write.index(), null);
        }
        assertThat(ledger.acknowledged().offset()).isEqualTo(5);
        assertThat(ledger.failedAttempts()).isZero();
    }

    @Test
    void runsTakenWhileTheResendIsHandedOverAreWrittenAfterIt() {
        PartitionLedger.Segment first = append(0, 1, "a");
        assertThat(ledger.settled(first, 0, new NotEnoughReplicasException("not enough replicas")))
                .isEqualTo(PartitionLedger.Next.RESEND);
        List<PartitionLedger.Write> resend = ledger.takeResend();
        PartitionLedger.Segment meanwhile = ledger.append(1, new OffsetAndMetadata(2), sends("b"), 1);
        assertThat(ledger.sendNow(meanwhile)).isFalse();
        ledger.handedOver();

        assertThat(values(ledger.takeQueued())).containsExactly("b");
        assertThat(ledger.isBlocked()).isTrue();
        ledger.handedOver();
        assertThat(ledger.takeQueued()).isEmpty();
        assertThat(ledger.isBlocked()).isFalse();
        assertThat(values(resend)).containsExactly("a");
    }

    @Test
    void countsFailedAttemptsUntilTheFailedRecordsAreAcknowledged() {
        PartitionLedger.Segment run = append(0, 1, "a");
        ledger.settled(run, 0, new TimeoutException("1"));
        List<PartitionLedger.Write> again = ledger.takeResend();
        ledger.handedOver();
        ledger.settled(again.get(0).segment(), 0, new TimeoutException("2"));
        assertThat(ledger.failedAttempts()).isEqualTo(1);
        again = ledger.takeResend();
        ledger.handedOver();
        assertThat(ledger.failedAttempts()).isEqualTo(2);
        ledger.takeQueued();

        ledger.settled(again.get(0).segment(), 0, null);
        assertThat(ledger.failedAttempts()).isZero();
        assertThat(ledger.acknowledged().offset()).isEqualTo(1);
    }

    @Test
    void ignoresAcknowledgementsThatArriveAfterItWasDropped() {
        PartitionLedger.Segment run = append(0, 1, "a");
        ledger.close();
        assertThat(ledger.append(1, new OffsetAndMetadata(2), sends("b"), 1)).isNull();
        ledger.dropUnacknowledged();

        assertThat(ledger.settled(run, 0, null)).isEqualTo(PartitionLedger.Next.NOTHING);
        assertThat(ledger.acknowledged()).isNull();
        assertThat(ledger.takeReleased()).containsExactly(run);
    }

    @Test
    void aClosedLedgerStillCountsAcknowledgementsOfWhatItHolds() throws Exception {
        PartitionLedger.Segment run = append(0, 1, "a");
        ledger.close();
        CompletableFuture<Boolean> drained = CompletableFuture
                .supplyAsync(() -> ledger.awaitAcknowledged(Duration.ofSeconds(30)));

        ledger.settled(run, 0, null);

        assertThat(drained.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ledger.acknowledged().offset()).isEqualTo(1);
    }

    @Test
    void awaitingAcknowledgementsEndsAtTheTimeout() {
        append(0, 1, "a");

        assertThat(ledger.awaitAcknowledged(Duration.ofMillis(50))).isFalse();
    }

    @Test
    void theCommittedOffsetNeverMovesBackwards() {
        ledger.committed(new OffsetAndMetadata(20));
        ledger.committed(new OffsetAndMetadata(10));

        assertThat(ledger.committed().offset()).isEqualTo(20);
    }

    private PartitionLedger.Segment append(long first, long next, String... values) {
        PartitionLedger.Segment segment = ledger.append(first, new OffsetAndMetadata(next), sends(values),
                (int) (next - first));
        assertThat(ledger.sendNow(segment)).isTrue();
        ledger.handedOver();
        return segment;
    }

    static List<Send> sends(String... values) {
        List<Send> sends = new ArrayList<>();
        for (String value : values) {
            sends.add(send(value));
        }
        return sends;
    }

    static Send send(String value) {
        ConsumerRecord<byte[], byte[]> source = new ConsumerRecord<>("orders", 3, 0, null, value.getBytes());
        return Send.output(new ProducerRecord<>("orders-enriched", null, value.getBytes()), source);
    }

    private static List<String> values(List<PartitionLedger.Write> writes) {
        return writes.stream().map(write -> new String(write.send().record().value())).toList();
    }
}
