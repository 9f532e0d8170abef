package io.eventfn.app.metrics;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Rebalances of the input consumer: {@code eventfn_rebalances_total} (one per completed rebalance, whatever it
 * moved), {@code eventfn_partitions_revoked_total}, {@code eventfn_partitions_lost_total} (taken away without a
 * chance to commit, e.g. after a missed session timeout) and {@code eventfn_assigned_partitions}. A rebalance
 * listener calls it from the consumer's rebalance callbacks.
 */
@ApplicationScoped
public class RebalanceMetrics {

    private final Counter rebalances;
    private final Counter revoked;
    private final Counter lost;
    private final AtomicInteger assigned = new AtomicInteger();

    @Inject
    public RebalanceMetrics(MeterRegistry registry) {
        this.rebalances = Counter.builder(MetricNames.REBALANCES)
                .description("Completed rebalances of the consumer group, as seen by this instance").register(registry);
        this.revoked = Counter.builder(MetricNames.PARTITIONS_REVOKED)
                .description("Partitions taken from this instance in a rebalance").register(registry);
        this.lost = Counter.builder(MetricNames.PARTITIONS_LOST)
                .description("Partitions lost without a chance to commit (session expired, fenced)")
                .register(registry);
        Gauge.builder(MetricNames.ASSIGNED_PARTITIONS, assigned, AtomicInteger::get)
                .description("Partitions of the input topics this instance owns").register(registry);
    }

    /** A rebalance completed; {@code nowOwned} is the whole assignment after it. */
    public void rebalanced(int nowOwned) {
        rebalances.increment();
        assigned.set(nowOwned);
    }

    public void revoked(Collection<?> partitions) {
        revoked.increment(partitions.size());
    }

    public void lost(Collection<?> partitions) {
        lost.increment(partitions.size());
    }
}
