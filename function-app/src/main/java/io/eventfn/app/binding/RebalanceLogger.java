package io.eventfn.app.binding;

import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.eventfn.app.metrics.RebalanceMetrics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * One log line per rebalance of the input consumer (what it was given, what it owns now; what was revoked or lost)
 * and the rebalance metrics. Bound to the channel by
 * {@code mp.messaging.incoming.input.consumer-rebalance-listener.name}. Committing on revocation is not done here
 * but by {@link DrainingCommit}, which the connector calls as well.
 */
@ApplicationScoped
@Identifier(RebalanceLogger.NAME)
public class RebalanceLogger implements KafkaConsumerRebalanceListener {

    public static final String NAME = "input-rebalance-logger";

    private static final Logger LOG = Logger.getLogger(RebalanceLogger.class);

    private final RebalanceMetrics metrics;

    @Inject
    public RebalanceLogger(RebalanceMetrics metrics) {
        this.metrics = metrics;
    }

    /** Called on the polling thread after every completed rebalance, with the partitions added by it (maybe none). */
    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Collection<TopicPartition> owned = consumer.assignment();
        metrics.rebalanced(owned.size());
        LOG.infof("Rebalance: assigned %s; this instance now owns %d partitions %s", partitions, owned.size(), owned);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            metrics.revoked(partitions);
            LOG.infof("Rebalance: revoked %s", partitions);
        }
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            metrics.lost(partitions);
            LOG.warnf("Rebalance: lost %s without a commit (the group moved on, e.g. after a missed session"
                    + " timeout); their uncommitted records are consumed again by their new owner", partitions);
        }
    }
}
