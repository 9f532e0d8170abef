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
 * Samples the input consumer's own client metrics once a second: the records between its position and the end of
 * each assigned partition (the last stable offset), summed — what this instance has not fetched yet, where the lag
 * KEDA scales on counts from the committed offset ({@link CommittedLagProbe}) — and the rate of records received over
 * the last {@value #RATE_WINDOW_SECONDS} s, from which {@link CommittedLagProbe} derives the time to drain.
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

    private volatile long unconsumedRecords;
    private volatile double recordsPerSecond = Double.NaN;

    @Inject
    public ConsumerLagProbe(KafkaClientService clients, DeliveryMetrics deliveries, CommitMetrics commits,
            MeterRegistry registry, Vertx vertx) {
        this.clients = clients;
        this.deliveries = deliveries;
        this.commits = commits;
        this.vertx = vertx;
        Gauge.builder(MetricNames.LAG_UNCONSUMED, this, ConsumerLagProbe::unconsumedRecords)
                .description("Records this instance has not fetched yet on its partitions: end offset minus the"
                        + " consumer's position, summed; updated every second")
                .baseUnit(MetricNames.RECORDS)
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

    /** End offset minus position, summed over the partitions the consumer has fetched from. */
    public long unconsumedRecords() {
        return unconsumedRecords;
    }

    /** Records received per second over the last {@value #RATE_WINDOW_SECONDS} s; NaN before two samples. */
    public double recordsPerSecond() {
        return recordsPerSecond;
    }

    private void sample() {
        try {
            recordsPerSecond = sampleRate();
            Consumer<?, ?> consumer = inputConsumer();
            if (consumer != null) {
                sampleConsumer(consumer.metrics());
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

    private void sampleConsumer(Map<MetricName, ? extends Metric> metrics) {
        long records = 0;
        double commitTotal = Double.NaN;
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName name = entry.getKey();
            if (name.name().equals("records-lag") && name.tags().containsKey("partition")) {
                Object value = entry.getValue().metricValue();
                if (value instanceof Number number && !Double.isNaN(number.doubleValue())) {
                    records += Math.max(0, number.longValue());
                }
            } else if (name.name().equals("commit-total") && name.group().equals("consumer-coordinator-metrics")) {
                Object value = entry.getValue().metricValue();
                if (value instanceof Number number) {
                    commitTotal = number.doubleValue();
                }
            }
        }
        unconsumedRecords = records;
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
