package io.eventfn.app.binding;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.eventfn.app.config.ConsumerSettings;
import io.eventfn.app.config.ProcessingGuarantee;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.vertx.mutiny.core.Vertx;

/**
 * Commits that keep duplicates to what Kafka forces and bring the lag to exactly 0.
 * <ul>
 * <li>After every acknowledged batch, the next offset of each of its partitions is committed (asynchronously,
 * coalesced): a crash re-delivers at most the batches in flight.</li>
 * <li>On revocation, the batches of the revoked partitions are finished and their offsets committed synchronously
 * before the partitions move, so the next owner starts exactly where this one stopped.</li>
 * <li>On shutdown, no new batch starts, the ones in flight finish (bounded by {@code DRAIN_TIMEOUT}), and the offsets
 * are committed before the consumer leaves the group.</li>
 * </ul>
 * Acknowledgements of partitions this instance no longer owns are ignored: committing them could move another
 * owner's position. In exactly-once mode the transaction commits the offsets, so acknowledgements commit nothing;
 * revocation and shutdown still wait for the batch in flight.
 * <p>
 * When the consumer has been idle for a while, its position can be past the last record it handed over: the commit
 * marker of a transaction on the input topic, or records of an aborted transaction, are skipped without ever being
 * delivered. Committing that position is what lets the lag reach exactly 0 (and KEDA scale to zero). It is only done
 * when the position has not moved for two idle ticks with no batch started in between: then every record before it
 * has been delivered and handled.
 */
public class DrainingCommit implements KafkaCommitHandler {

    public static final String STRATEGY = "draining";

    private static final Logger LOG = Logger.getLogger(DrainingCommit.class);

    private final KafkaConsumer<?, ?> consumer;
    private final InFlightBatches inFlight;
    private final Duration drainTimeout;
    private final Map<TopicPartition, Long> acknowledged = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
    private final AtomicBoolean commitScheduled = new AtomicBoolean();
    private final boolean commitOnAcknowledgement;
    private final Vertx vertx;
    private final long idleTimer;
    // Touched on the polling thread only.
    private final Map<TopicPartition, Long> idlePositions = new HashMap<>();
    private long idleBatchesStarted = -1;

    DrainingCommit(KafkaConsumer<?, ?> consumer, InFlightBatches inFlight, Duration drainTimeout,
            boolean commitOnAcknowledgement, Vertx vertx) {
        this.consumer = consumer;
        this.inFlight = inFlight;
        this.drainTimeout = drainTimeout;
        this.commitOnAcknowledgement = commitOnAcknowledgement;
        this.vertx = vertx;
        this.idleTimer = vertx.setPeriodic(IDLE_TICK.toMillis(), tick -> commitPositionsWhenIdle());
    }

    private static final Duration IDLE_TICK = Duration.ofSeconds(1);

    @ApplicationScoped
    @Identifier(STRATEGY)
    public static class Factory implements KafkaCommitHandler.Factory {

        @Inject
        InFlightBatches inFlight;

        @Inject
        ConsumerSettings settings;

        @Override
        public KafkaCommitHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx,
                KafkaConsumer<?, ?> consumer, BiConsumer<Throwable, Boolean> reportFailure) {
            return new DrainingCommit(consumer, inFlight, settings.drainTimeout(),
                    settings.guarantee() == ProcessingGuarantee.AT_LEAST_ONCE, vertx);
        }
    }

    @Override
    public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record) {
        TopicPartition partition = new TopicPartition(record.getTopic(), record.getPartition());
        if (commitOnAcknowledgement && inFlight.owns(partition, record.getConsumerGroupGenerationId())) {
            acknowledged.merge(partition, inFlight.nextOffsetAfter(partition, record.getOffset()), Math::max);
            scheduleCommit();
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * One commit scheduled at a time; acknowledgements arriving meanwhile ride on the next one. The offsets are
     * chosen on the polling thread, where rebalances run, so a partition revoked in between is never committed.
     */
    private void scheduleCommit() {
        if (!commitScheduled.compareAndSet(false, true)) {
            return;
        }
        consumer.runOnPollingThread(kafka -> {
            commitScheduled.set(false);
            Map<TopicPartition, OffsetAndMetadata> offsets = uncommitted(null);
            if (!offsets.isEmpty()) {
                kafka.commitAsync(offsets, (done, failure) -> {
                    if (failure == null) {
                        markCommitted(offsets);
                    } else {
                        LOG.warnf("Commit of %s failed (retried with the next batch): %s", describe(offsets), failure);
                    }
                });
            }
        }).subscribe().with(ignored -> {
        }, failure -> {
            commitScheduled.set(false);
            LOG.warnf("Could not schedule a commit: %s", failure);
        });
    }

    @Override
    public void partitionsAssigned(Collection<TopicPartition> partitions) {
        ConsumerGroupMetadata group = consumer.unwrap().groupMetadata();
        inFlight.groupMetadata(group);
        inFlight.assigned(partitions, group.generationId());
    }

    /** Called on the polling thread, which may block here: the rebalance waits for us. */
    @Override
    public void partitionsRevoked(Collection<TopicPartition> partitions) {
        // A transaction in flight needs the group's metadata, and the polling thread is about to wait for it here.
        inFlight.groupMetadata(consumer.unwrap().groupMetadata());
        if (!inFlight.awaitIdle(partitions, drainTimeout)) {
            LOG.warnf("Partitions %s revoked while a batch was still in flight after %s; its records may be "
                    + "processed again by the next owner", partitions, drainTimeout);
        }
        if (commitOnAcknowledgement) {
            commitNow(uncommitted(partitions), "revoked partitions " + partitions);
        }
        inFlight.revoked(partitions);
        partitions.forEach(partition -> {
            acknowledged.remove(partition);
            committed.remove(partition);
        });
    }

    /** Called after the connector paused fetching; runs before the consumer closes and leaves the group. */
    @Override
    public void terminate(boolean graceful) {
        vertx.cancelTimer(idleTimer);
        inFlight.startDraining();
        if (graceful && !inFlight.awaitIdle(null, drainTimeout)) {
            LOG.warnf("Batches still in flight after DRAIN_TIMEOUT=%s; their records stay uncommitted and are "
                    + "processed again after the restart", drainTimeout);
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = uncommitted(null);
        if (!offsets.isEmpty()) {
            try {
                consumer.commit(offsets).await().atMost(drainTimeout.plusSeconds(5));
                markCommitted(offsets);
                LOG.infof("Committed %s on shutdown", describe(offsets));
            } catch (RuntimeException e) {
                LOG.errorf("Final commit of %s failed: %s", describe(offsets), e);
            }
        }
    }

    private void commitPositionsWhenIdle() {
        consumer.runOnPollingThread(kafka -> {
            long started = inFlight.quietFor(IDLE_TICK);
            if (started < 0 || started != idleBatchesStarted) {
                idleBatchesStarted = started;
                idlePositions.clear();
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition partition : kafka.assignment()) {
                if (!inFlight.owns(partition)) {
                    continue;
                }
                long position;
                try {
                    position = kafka.position(partition, Duration.ofMillis(100));
                } catch (RuntimeException unknownYet) {
                    continue;
                }
                Long previous = idlePositions.put(partition, position);
                if (previous != null && previous == position && position > committed.getOrDefault(partition, -1L)) {
                    offsets.put(partition, new OffsetAndMetadata(position));
                }
            }
            if (!offsets.isEmpty()) {
                kafka.commitAsync(offsets, (done, failure) -> {
                    if (failure == null) {
                        markCommitted(offsets);
                        LOG.debugf("Idle: committed positions %s", describe(offsets));
                    }
                });
            }
        }).subscribe().with(ignored -> {
        }, failure -> LOG.debugf("Idle position check skipped: %s", failure));
    }

    private void commitNow(Map<TopicPartition, OffsetAndMetadata> offsets, String why) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.unwrap().commitSync(offsets);
            markCommitted(offsets);
            LOG.infof("Committed %s for %s", describe(offsets), why);
        } catch (RuntimeException e) {
            LOG.warnf("Commit of %s for %s failed: %s", describe(offsets), why, e);
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> uncommitted(Collection<TopicPartition> only) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        acknowledged.forEach((partition, next) -> {
            if ((only == null || only.contains(partition)) && inFlight.owns(partition)
                    && next > committed.getOrDefault(partition, -1L)) {
                offsets.put(partition, new OffsetAndMetadata(next));
            }
        });
        return offsets;
    }

    private void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> committed.merge(partition, offset.offset(), Math::max));
    }

    private static String describe(Map<TopicPartition, OffsetAndMetadata> offsets) {
        StringBuilder text = new StringBuilder();
        offsets.forEach((partition, offset) -> text.append(text.isEmpty() ? "" : ", ")
                .append(partition).append('@').append(offset.offset()));
        return text.toString();
    }
}
