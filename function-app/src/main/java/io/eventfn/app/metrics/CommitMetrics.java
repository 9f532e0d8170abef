package io.eventfn.app.metrics;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Commits of input offsets: {@code eventfn_commits_total} and {@code eventfn_last_commit_age_seconds}, the time
 * since the last one (NaN until the first). A growing age under lag means the consumer is stuck.
 * <p>
 * Two sources feed it: the consumer's own commits (at least once; and in exactly-once mode the commits made on
 * rebalance, shutdown and when idle), seen by {@link ConsumerLagProbe} in the consumer's {@code commit-total} client
 * metric; and, in exactly-once mode, each committed transaction, reported by the binding.
 */
@ApplicationScoped
public class CommitMetrics {

    private final Counter commits;
    private final AtomicLong lastCommitNanos = new AtomicLong(Long.MIN_VALUE);

    @Inject
    public CommitMetrics(MeterRegistry registry) {
        this.commits = Counter.builder(MetricNames.COMMITS)
                .description("Commits of input offsets: consumer commits answered by the broker, and committed"
                        + " transactions in exactly-once mode")
                .register(registry);
        Gauge.builder(MetricNames.LAST_COMMIT_AGE, this, CommitMetrics::lastCommitAgeSeconds)
                .description("Seconds since the last commit of input offsets; NaN before the first")
                .baseUnit(MetricNames.SECONDS)
                .register(registry);
    }

    /** A transaction carrying input offsets was committed. */
    public void transactionCommitted() {
        committed(1);
    }

    /** The consumer's commit count went up by {@code count} since it was last looked at. */
    void committed(long count) {
        if (count <= 0) {
            return;
        }
        commits.increment(count);
        lastCommitNanos.set(System.nanoTime());
    }

    public double lastCommitAgeSeconds() {
        long last = lastCommitNanos.get();
        if (last == Long.MIN_VALUE) {
            return Double.NaN;
        }
        return (System.nanoTime() - last) / (double) TimeUnit.SECONDS.toNanos(1);
    }
}
