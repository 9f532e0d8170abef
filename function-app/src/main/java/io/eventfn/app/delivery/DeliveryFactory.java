package io.eventfn.app.delivery;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.Liveness;

import io.eventfn.app.config.ConsumerSettings;
import io.eventfn.app.health.DeliveryLiveness;
import io.eventfn.app.metrics.CommitMetrics;
import io.eventfn.app.metrics.DeliveryMetrics;
import io.eventfn.app.metrics.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.smallrye.reactive.messaging.kafka.KafkaCDIEvents;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/** Builds the {@link Delivery} of the guarantee {@code PROCESSING_GUARANTEE} names, with its bounds and producer. */
@ApplicationScoped
public class DeliveryFactory {

    @Produces
    @Singleton
    Delivery delivery(ConsumerSettings settings, KafkaClientService clients, KafkaCDIEvents clientEvents,
            @Liveness DeliveryLiveness liveness, DeliveryMetrics metrics, CommitMetrics commits, MeterRegistry registry) {
        InFlightLimit inFlight = new InFlightLimit(settings.maxInFlightRecords(), settings.maxInFlightBytes());
        Gauge.builder(MetricNames.IN_FLIGHT_RECORDS, inFlight, InFlightLimit::records)
                .description("Input records taken from the consumer and not yet committed").register(registry);
        Gauge.builder(MetricNames.IN_FLIGHT_BYTES, inFlight, InFlightLimit::bytes).baseUnit("bytes")
                .description("Bytes of the records written for them").register(registry);
        DeadLetters deadLetters = new DeadLetters(settings.deadLetterTopic());
        return switch (settings.guarantee()) {
            case AT_LEAST_ONCE -> {
                Supplier<Map<String, ?>> configuration = memoized(() -> clients.getProducer("output").configuration());
                yield new AtLeastOnceDelivery(memoized(() -> clients.<byte[], byte[]> getProducer("output").unwrap()),
                        settings.outputTopic(), deadLetters, inFlight, limits(configuration, settings),
                        settings.drainTimeout(), liveness, metrics);
            }
            case EXACTLY_ONCE -> {
                Supplier<Map<String, ?>> configuration = memoized(
                        () -> clients.getProducer("output-transactional").configuration());
                yield new ExactlyOnceDelivery(
                        new TransactionalProducer(configuration, producer -> clientEvents.producer().fire(producer)),
                        settings.outputTopic(), deadLetters, inFlight,
                        limits(configuration, settings), settings.transactionInterval(),
                        settings.transactionMaxRecords(), settings.drainTimeout(), liveness, metrics, commits);
            }
        };
    }

    /**
     * A span per record when the OpenTelemetry SDK is on ({@code QUARKUS_OTEL_SDK_DISABLED=false}, traces not turned
     * off); else the input's trace headers are only copied to its outputs.
     */
    @Produces
    @Singleton
    RecordTracing tracing(Instance<OpenTelemetry> openTelemetry, Config config, ConsumerSettings settings) {
        boolean sdkOn = !config.getOptionalValue("quarkus.otel.sdk.disabled", Boolean.class).orElse(true)
                && config.getOptionalValue("quarkus.otel.traces.enabled", Boolean.class).orElse(true);
        return sdkOn && openTelemetry.isResolvable() ? RecordTracing.spans(openTelemetry.get(), settings.groupId())
                : RecordTracing.copying();
    }

    private static RecordLimits limits(Supplier<Map<String, ?>> producerConfiguration, ConsumerSettings settings) {
        return new RecordLimits(producerConfiguration, List.of(settings.outputTopic(), settings.deadLetterTopic()));
    }

    private static <T> Supplier<T> memoized(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T current = value;
                if (current == null) {
                    current = supplier.get();
                    value = current;
                }
                return current;
            }
        };
    }
}
