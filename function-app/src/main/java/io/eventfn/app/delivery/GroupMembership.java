package io.eventfn.app.delivery;

import java.util.Collection;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.eventfn.app.metrics.RebalanceMetrics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.vertx.mutiny.core.Vertx;

/**
 * The input channel's hooks into the consumer group, plugged in as its commit strategy
 * ({@code mp.messaging.incoming.input.commit-strategy=delivery}): the connector calls them on the consumer's polling
 * thread when partitions are assigned or revoked, and once when the app stops. Each is handed to the {@link Delivery},
 * and logged and counted once here.
 * <p>
 * SmallRye 4.33 reports partitions that were lost (this member was fenced, e.g. after missing its session timeout) as
 * revoked: it does not forward {@code onPartitionsLost}. With the classic protocol Kafka resets the generation to -1
 * before that callback, so a revocation seen without a generation is a loss: nothing can be committed for those
 * partitions, and their work in flight is dropped at once. The consumer group protocol keeps the old member epoch in
 * the group metadata, so there the loss shows when the group refuses the revocation's commit.
 */
final class GroupMembership implements KafkaCommitHandler {

    public static final String STRATEGY = "delivery";

    private static final Logger LOG = Logger.getLogger(GroupMembership.class);

    private final Delivery delivery;
    private final KafkaConsumer<?, ?> consumer;
    private final RebalanceMetrics metrics;

    GroupMembership(Delivery delivery, KafkaConsumer<?, ?> consumer, RebalanceMetrics metrics) {
        this.delivery = delivery;
        this.consumer = consumer;
        this.metrics = metrics;
    }

    @ApplicationScoped
    @Identifier(STRATEGY)
    static class Factory implements KafkaCommitHandler.Factory {

        @Inject
        Delivery delivery;

        @Inject
        RebalanceMetrics metrics;

        @Override
        public KafkaCommitHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx,
                KafkaConsumer<?, ?> consumer, BiConsumer<Throwable, Boolean> reportFailure) {
            delivery.start(consumer);
            return new GroupMembership(delivery, consumer, metrics);
        }
    }

    @Override
    public void partitionsAssigned(Collection<TopicPartition> partitions) {
        delivery.pollingThread.enteredOnPollingThread();
        ConsumerGroupMetadata group = consumer.unwrap().groupMetadata();
        delivery.assigned(partitions, group.generationId());
        Collection<TopicPartition> owned = consumer.unwrap().assignment();
        metrics.rebalanced(owned.size());
        LOG.infof("Rebalance: assigned %s; this instance now owns %d partitions %s", partitions, owned.size(), owned);
    }

    @Override
    public void partitionsRevoked(Collection<TopicPartition> partitions) {
        delivery.pollingThread.enteredOnPollingThread();
        if (partitions.isEmpty()) {
            return;
        }
        if (delivery.isStopped()) {
            // The consumer leaves the group after the shutdown committed everything: nothing is left to do.
            LOG.debugf("Rebalance: revoked %s on leaving the group", partitions);
            return;
        }
        ConsumerGroupMetadata group = consumer.unwrap().groupMetadata();
        if (group.generationId() <= 0 || group.memberId().isEmpty()) {
            metrics.lost(partitions);
            LOG.warnf("Rebalance: lost %s without a commit (this member was fenced, e.g. after a missed session"
                    + " timeout); their uncommitted records are consumed again by their new owner", partitions);
            delivery.lost(partitions);
            return;
        }
        LOG.infof("Rebalance: revoked %s", partitions);
        if (delivery.revoked(partitions) == Delivery.Revocation.FENCED) {
            // The consumer group protocol keeps the old member epoch in the group metadata when a member is fenced:
            // the refused commit is how a loss shows there.
            metrics.lost(partitions);
            LOG.warnf("Rebalance: lost %s: the group refused their commit, this member had been fenced (e.g. after a"
                    + " missed session timeout); their uncommitted records are consumed again by their new owner",
                    partitions);
        } else {
            metrics.revoked(partitions);
        }
    }

    @Override
    public void terminate(boolean graceful) {
        if (graceful) {
            delivery.shutdown();
        } else {
            delivery.stop();
        }
    }

    /** Batches are never acknowledged one by one: the delivery commits the offsets behind what it wrote. */
    @Override
    public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record) {
        return Uni.createFrom().voidItem();
    }
}
