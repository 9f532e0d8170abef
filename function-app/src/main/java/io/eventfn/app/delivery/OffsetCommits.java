package io.eventfn.app.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.kafka.KafkaConsumer;

/**
 * At least once: commits each partition's acknowledged prefix asynchronously on the consumer's polling thread, one
 * commit in flight at a time; prefixes that move while a commit is in flight ride on the next one. The offsets are
 * chosen on the polling thread, where rebalances run, so a partition revoked in between is never committed. A commit
 * that fails (a rebalance in progress, a coordinator away) is tried again after a backoff even if nothing new is
 * acknowledged: a partition the member keeps must not wait for its next record to have its offset committed.
 */
final class OffsetCommits {

    private static final Logger LOG = Logger.getLogger(OffsetCommits.class);
    private static final long FIRST_RETRY_MILLIS = 500;
    private static final long MAX_RETRY_MILLIS = 10_000;

    private final KafkaConsumer<?, ?> consumer;
    private final Map<TopicPartition, PartitionLedger> ledgers;
    private final PolledPositions positions;
    private final java.util.function.Consumer<Consumer<?, ?>> idlePositions;
    private final AtomicBoolean requested = new AtomicBoolean();
    // Touched on the polling thread only (commit callbacks run there too).
    private boolean inFlight;
    private boolean again;
    private long retryMillis = FIRST_RETRY_MILLIS;

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

    private void requestAgain() {
        try {
            request();
        } catch (RuntimeException closed) {
            LOG.debugf("Could not schedule a commit again (the consumer is closed?): %s", closed);
        }
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
                retryMillis = FIRST_RETRY_MILLIS;
                offsets.forEach((partition, offset) -> current.get(partition).committed(offset));
            } else {
                LOG.warnf("Commit of %s failed (tried again in %d ms, or with the next): %s", describe(offsets),
                        retryMillis, failure);
                CompletableFuture.delayedExecutor(retryMillis, TimeUnit.MILLISECONDS).execute(this::requestAgain);
                retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
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
