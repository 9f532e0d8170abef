package io.eventfn.app.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.kafka.KafkaConsumer;

/**
 * At least once: commits each partition's acknowledged prefix asynchronously on the consumer's polling thread, one
 * commit in flight at a time; prefixes that move while a commit is in flight ride on the next one. The offsets are
 * chosen on the polling thread, where rebalances run, so a partition revoked in between is never committed.
 */
final class OffsetCommits {

    private static final Logger LOG = Logger.getLogger(OffsetCommits.class);

    private final KafkaConsumer<?, ?> consumer;
    private final Map<TopicPartition, PartitionLedger> ledgers;
    private final PolledPositions positions;
    private final java.util.function.Consumer<Consumer<?, ?>> idlePositions;
    private final AtomicBoolean requested = new AtomicBoolean();
    // Touched on the polling thread only (commit callbacks run there too).
    private boolean inFlight;
    private boolean again;

    /** @param idlePositions learns the positions of partitions nothing was polled from, on the polling thread */
    OffsetCommits(KafkaConsumer<?, ?> consumer, Map<TopicPartition, PartitionLedger> ledgers,
            PolledPositions positions, java.util.function.Consumer<Consumer<?, ?>> idlePositions) {
        this.idlePositions = idlePositions;
        this.consumer = consumer;
        this.ledgers = ledgers;
        this.positions = positions;
    }

    /** A prefix moved (or a poll skipped past a marker): commit soon. Callable from any thread. */
    void request() {
        if (!requested.compareAndSet(false, true)) {
            return;
        }
        consumer.runOnPollingThread(kafka -> {
            requested.set(false);
            commit(kafka);
        }).subscribe().with(ignored -> {
        }, failure -> {
            requested.set(false);
            LOG.debugf("Could not schedule a commit (the consumer is closing?): %s", failure);
        });
    }

    private void commit(Consumer<?, ?> kafka) {
        if (inFlight) {
            again = true;
            return;
        }
        idlePositions.accept(kafka);
        Map<TopicPartition, PartitionLedger> current = new HashMap<>(ledgers);
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(current, positions);
        if (offsets.isEmpty()) {
            return;
        }
        inFlight = true;
        LOG.debugf("Committing %s", describe(offsets));
        kafka.commitAsync(offsets, (done, failure) -> {
            inFlight = false;
            LOG.debugf("Commit of %s answered: %s", describe(offsets), failure == null ? "ok" : failure);
            if (failure == null) {
                offsets.forEach((partition, offset) -> current.get(partition).committed(offset));
            } else {
                LOG.warnf("Commit of %s failed (retried with the next): %s", describe(offsets), failure);
            }
            if (again) {
                again = false;
                request();
            }
        });
    }

    /** For each partition, the offset to commit when it is past the last one committed. */
    static Map<TopicPartition, OffsetAndMetadata> committable(Map<TopicPartition, PartitionLedger> ledgers,
            PolledPositions positions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        ledgers.forEach((partition, ledger) -> {
            OffsetAndMetadata offset = positions.committable(partition, ledger.acknowledged());
            OffsetAndMetadata committed = ledger.committed();
            if (offset != null && (committed == null || offset.offset() > committed.offset())) {
                offsets.put(partition, offset);
            }
        });
        return offsets;
    }

    static String describe(Map<TopicPartition, OffsetAndMetadata> offsets) {
        StringBuilder text = new StringBuilder();
        offsets.forEach((partition, offset) -> text.append(text.isEmpty() ? "" : ", ")
                .append(partition).append('@').append(offset.offset())
                .append(offset.leaderEpoch().map(epoch -> " (leader epoch " + epoch + ")").orElse("")));
        return text.toString();
    }
}
