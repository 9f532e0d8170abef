package io.eventfn.app.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.eventfn.core.Outcome;
import io.eventfn.core.RecordProcessor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What happened to the records handed to the binding: how many arrived, what each one's outcome was, how long the
 * processor took per record, and the exactly-once transactions aborted (the names: {@link MetricNames}). Records
 * consumed again after a failure or a rebalance are counted again.
 */
@ApplicationScoped
public class DeliveryMetrics {

    /** Reason classes beyond this many distinct values are counted as {@value #OTHER}: a label must stay bounded. */
    static final int MAX_REASON_CLASSES = 50;
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Counter received;
    private final Counter emitted;
    private final Counter skipped;
    private final Counter retries;
    private final Timer processing;
    private final Counter transactionsAborted;
    private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();

    @Inject
    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.received = Counter.builder(MetricNames.RECORDS_RECEIVED)
                .description("Records handed over by the Kafka consumer to the binding").register(registry);
        this.emitted = Counter.builder(MetricNames.RECORDS_EMITTED)
                .description("Records produced to the output topic").register(registry);
        this.skipped = Counter.builder(MetricNames.RECORDS_SKIPPED)
                .description("Records the processor deliberately did not process (Skip outcome, e.g. tombstones)")
                .register(registry);
        this.retries = Counter.builder(MetricNames.RETRIES)
                .description("Retry outcomes returned by the processor; each is followed by a backoff and another"
                        + " attempt, or by a dead letter once the attempts run out")
                .register(registry);
        this.transactionsAborted = Counter.builder(MetricNames.TRANSACTIONS_ABORTED)
                .description("Exactly-once transactions aborted; their records are written again in the next one")
                .register(registry);
        // Buckets from 10 µs (a JSON transformation) to 30 s (retries with backoff): a short, fixed list keeps
        // both the per-record cost and the scrape small.
        this.processing = Timer.builder(MetricNames.PROCESSING)
                .description("Time the processor took per record, retries and their backoff included")
                .serviceLevelObjectives(micros(10), micros(50), micros(100), micros(500), millis(1), millis(5),
                        millis(10), millis(50), millis(100), millis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
                        Duration.ofSeconds(30))
                .register(registry);
    }

    /** A batch of {@code records} arrived from the consumer. */
    public void received(int records) {
        received.increment(records);
    }

    /** One record's final outcome, and the nanoseconds the processor took on it (retries included). */
    public void processed(Outcome outcome, long nanos) {
        processing.record(nanos, TimeUnit.NANOSECONDS);
        switch (outcome) {
            case Outcome.Emit emit -> emitted.increment(emit.records().size());
            case Outcome.Reject reject -> deadLetteredCounter(reject.reasonClass()).increment();
            case Outcome.Skip skip -> skipped.increment();
            case Outcome.Retry interrupted -> {
                // Stopped while retrying: the record stays uncommitted and is counted when it is consumed again.
            }
        }
    }

    /** A record dead-lettered by the delivery itself, e.g. because its output was refused ({@code output-rejected}). */
    public void deadLettered(String reasonClass) {
        deadLetteredCounter(reasonClass).increment();
    }

    /** An exactly-once transaction was aborted (its records are written again in the next one). */
    public void transactionAborted() {
        transactionsAborted.increment();
    }

    /** The processor, with every {@link Outcome.Retry} it returns counted. */
    public RecordProcessor countingRetries(RecordProcessor processor) {
        return record -> {
            Outcome outcome = processor.process(record);
            if (outcome instanceof Outcome.Retry) {
                retries.increment();
            }
            return outcome;
        };
    }

    /** Records received since start: the progress line and the time-to-drain estimate derive a rate from it. */
    public long receivedSoFar() {
        return (long) received.count();
    }

    public long deadLetteredSoFar() {
        return (long) deadLettered.values().stream().mapToDouble(Counter::count).sum();
    }

    private Counter deadLetteredCounter(String reasonClass) {
        Counter counter = deadLettered.get(reasonClass);
        if (counter != null) {
            return counter;
        }
        String label = deadLettered.size() < MAX_REASON_CLASSES ? reasonClass : OTHER;
        return deadLettered.computeIfAbsent(label, tag -> Counter.builder(MetricNames.RECORDS_DEAD_LETTERED)
                .description("Records sent to the dead-letter topic, by the reason class the processor gave")
                .tag("reason_class", tag)
                .register(registry));
    }

    private static Duration micros(long micros) {
        return Duration.ofNanos(micros * 1_000);
    }

    private static Duration millis(long millis) {
        return Duration.ofMillis(millis);
    }
}
