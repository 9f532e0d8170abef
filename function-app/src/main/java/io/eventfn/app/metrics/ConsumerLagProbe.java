package io.eventfn.app.metrics;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.vertx.mutiny.core.Vertx;

/**
 * Samples the input consumer's own client metrics once a second and publishes what an autoscaler needs:
 * <ul>
 * <li>{@code consumer_lag_records}: records between the consumer's position and the end of each assigned partition
 * (the last stable offset, as the consumer reads committed records only), summed over partitions; the
 * per-partition values are Micrometer's {@code kafka_consumer_fetch_manager_records_lag}, which appear up to a
 * minute after a partition is assigned;</li>
 * <li>{@code consumer_time_to_drain_seconds}: that lag divided by the rate of records received over the last
 * {@value #RATE_WINDOW_SECONDS} s; 0 without lag, +Inf with lag but no progress (in PromQL,
 * {@code clamp_max(consumer_time_to_drain_seconds, 3600)} bounds it for a KEDA trigger).</li>
 * </ul>
 * It also hands the consumer's commit count ({@code commit-total}) to {@link CommitMetrics}. Reading a consumer's
 * metrics is thread-safe, unlike the rest of the consumer, so this never touches the polling thread.
 */
@ApplicationScoped
public class ConsumerLagProbe {

    private static final Logger LOG = Logger.getLogger(ConsumerLagProbe.class);

    static final String CHANNEL = "input";
    static final Duration TICK = Duration.ofSeconds(1);
    static final int RATE_WINDOW_SECONDS = 30;

    private final KafkaClientService clients;
    private final DeliveryMetrics deliveries;
    private final CommitMetrics commits;
    private final Vertx vertx;

    /** (nanoTime, records received) once per tick, the oldest first; touched by the timer only. */
    private final ArrayDeque<long[]> receivedSamples = new ArrayDeque<>();
    private double lastCommitTotal = Double.NaN;
    private long timer = -1;

    private volatile Lag lag = new Lag(0, 0, 0);

    /**
     * Lag summed over the partitions the consumer has fetched from, and the seconds it takes to consume it at the
     * recent rate: 0 without lag, +Inf with lag but no progress.
     */
    public record Lag(long records, int partitions, double timeToDrainSeconds) {
    }

    @Inject
    public ConsumerLagProbe(KafkaClientService clients, DeliveryMetrics deliveries, CommitMetrics commits,
            MeterRegistry registry, Vertx vertx) {
        this.clients = clients;
        this.deliveries = deliveries;
        this.commits = commits;
        this.vertx = vertx;
        Gauge.builder("consumer.lag", this, probe -> probe.lag.records())
                .description("Records not yet consumed on the assigned partitions: end offset minus position, summed")
                .baseUnit("records")
                .register(registry);
        Gauge.builder("consumer.time.to.drain", this, probe -> probe.lag.timeToDrainSeconds())
                .description("Estimated seconds to consume the current lag at the rate of the last "
                        + RATE_WINDOW_SECONDS + " s; +Inf with lag and no progress")
                .baseUnit("seconds")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(TICK.toMillis(), tick -> sample());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    public Lag lag() {
        return lag;
    }

    static double timeToDrainSeconds(long records, double recordsPerSecond) {
        if (records == 0) {
            return 0;
        }
        return recordsPerSecond > 0 ? records / recordsPerSecond : Double.POSITIVE_INFINITY;
    }

    private void sample() {
        try {
            double recordsPerSecond = sampleRate();
            Consumer<?, ?> consumer = inputConsumer();
            if (consumer != null) {
                sampleConsumer(consumer.metrics(), recordsPerSecond);
            }
        } catch (RuntimeException e) {
            // A metric must never take the app down; the next tick tries again.
            LOG.debugf("Consumer metrics not sampled: %s", e);
        }
    }

    /** @return records received per second over the last {@value #RATE_WINDOW_SECONDS} s; NaN at the first tick */
    private double sampleRate() {
        long now = System.nanoTime();
        receivedSamples.addLast(new long[] { now, deliveries.receivedSoFar() });
        while (receivedSamples.size() > RATE_WINDOW_SECONDS + 1) {
            receivedSamples.removeFirst();
        }
        long[] oldest = receivedSamples.peekFirst();
        long[] newest = receivedSamples.peekLast();
        return receivedSamples.size() < 2 ? Double.NaN
                : (newest[1] - oldest[1]) / ((newest[0] - oldest[0]) / 1e9);
    }

    private void sampleConsumer(Map<MetricName, ? extends Metric> metrics, double recordsPerSecond) {
        long records = 0;
        int partitions = 0;
        double commitTotal = Double.NaN;
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName name = entry.getKey();
            if (name.name().equals("records-lag") && name.tags().containsKey("partition")) {
                Object value = entry.getValue().metricValue();
                if (value instanceof Number number && !Double.isNaN(number.doubleValue())) {
                    records += Math.max(0, number.longValue());
                    partitions++;
                }
            } else if (name.name().equals("commit-total") && name.group().equals("consumer-coordinator-metrics")) {
                Object value = entry.getValue().metricValue();
                if (value instanceof Number number) {
                    commitTotal = number.doubleValue();
                }
            }
        }
        lag = new Lag(records, partitions, timeToDrainSeconds(records, recordsPerSecond));
        if (!Double.isNaN(commitTotal)) {
            if (!Double.isNaN(lastCommitTotal)) {
                commits.committed((long) (commitTotal - lastCommitTotal));
            } else {
                commits.committed((long) commitTotal);
            }
            lastCommitTotal = commitTotal;
        }
    }

    private Consumer<?, ?> inputConsumer() {
        KafkaConsumer<Object, Object> consumer = clients.getConsumer(CHANNEL);
        return consumer == null ? null : consumer.unwrap();
    }
}
