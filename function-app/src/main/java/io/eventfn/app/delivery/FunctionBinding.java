package io.eventfn.app.delivery;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.eventfn.app.config.ConsumerSettings;
import io.eventfn.app.metrics.DeliveryMetrics;
import io.eventfn.core.RecordProcessor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;

/**
 * Where a record enters: the {@code input} channel joins the consumer group and hands over one poll at a time, on
 * one worker thread, in partition order. Each poll is processed ({@link RecordRouting}: the core
 * {@link RecordProcessor}, retries, outputs and dead letters) and handed to the {@link Delivery} of the configured
 * guarantee, which writes it and commits the input offsets behind it. The binding does not wait for the broker: it
 * takes the next poll while the previous one is being written, as long as the work in flight is within its bound.
 */
@ApplicationScoped
public class FunctionBinding {

    /** Quarkus starts the messaging channels at priority 1000 (SmallRyeReactiveMessagingLifecycle). */
    private static final int AFTER_MESSAGING_START = 1100;

    private final Delivery delivery;
    private final DeliveryMetrics metrics;
    private final RecordProcessor processor;
    private final ConsumerSettings settings;
    private final RecordTracing tracing;
    private volatile RecordRouting routing;

    @Inject
    public FunctionBinding(ConsumerSettings settings, RecordProcessor processor, Delivery delivery,
            DeliveryMetrics metrics, RecordTracing tracing,
            // Declare the output channels: SmallRye creates their producers from the app's Kafka settings (the
            // at-least-once producer, and the configuration of the exactly-once one); records go to them directly.
            @Channel("output") MutinyEmitter<byte[]> output,
            @Channel("output-transactional") MutinyEmitter<byte[]> transactionalOutput) {
        this.settings = settings;
        this.processor = processor;
        this.delivery = delivery;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    @Incoming("input")
    @Blocking
    public Uni<Void> consume(KafkaRecordBatch<byte[], byte[]> batch) {
        if (!delivery.beginBatch()) {
            return Uni.createFrom().voidItem(); // stopping: left uncommitted for the next owner
        }
        try {
            IncomingKafkaRecordBatchMetadata<?, ?> polled = batch.getMetadata(IncomingKafkaRecordBatchMetadata.class)
                    .orElseThrow(() -> new IllegalStateException("the connector handed over a batch without its poll"));
            @SuppressWarnings("unchecked")
            ConsumerRecords<byte[], byte[]> records = (ConsumerRecords<byte[], byte[]>) polled.getRecords();
            metrics.received(records.count());
            List<RoutedRun> runs = routing().route(records, polled.getConsumerGroupGenerationId());
            delivery.deliver(runs);
        } catch (RuntimeException failure) {
            if (!delivery.isStopped()) {
                throw failure;
            }
            // A batch that outlived DRAIN_TIMEOUT, finishing after the app stopped: it stays uncommitted for the
            // next owner, and what it touches (metrics, the container) may be gone.
        } finally {
            delivery.endBatch();
        }
        return Uni.createFrom().voidItem();
    }

    /** After the messaging start-up created the channels, and with them the producers' configuration. */
    void onStart(@Observes @Priority(AFTER_MESSAGING_START) StartupEvent event) {
        delivery.outputsReady();
    }

    /** Stop starting batches as soon as the app begins to stop; the connector then has the delivery drain. */
    void onShutdown(@Observes ShutdownEvent event) {
        delivery.startDraining();
    }

    private RecordRouting routing() {
        if (routing == null) {
            routing = new RecordRouting(
                    new RetryingProcessor(metrics.countingRetries(processor), settings.retry().maxAttempts(),
                            settings.retry().initialBackoff(), settings.retry().maxBackoff(), delivery.drain),
                    settings.outputTopic(), new DeadLetters(settings.deadLetterTopic()), delivery.limits,
                    delivery.ownership, metrics, tracing);
        }
        return routing;
    }
}
