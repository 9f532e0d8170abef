package io.eventfn.app;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.eventfn.app.config.ConsumerSettings;
import io.eventfn.core.NoOpProcessor;
import io.eventfn.core.RecordProcessor;
import io.eventfn.core.orders.OrderEnricher;

/**
 * The one place that chooses the business logic the binding hands every record to: replace {@link OrderEnricher} with
 * your own {@link RecordProcessor}. {@code PROCESSOR=noop} runs {@link NoOpProcessor} instead, which emits every record
 * unchanged: the benchmarks use it to measure what the app itself costs.
 */
@ApplicationScoped
public class BusinessLogic {

    @Produces
    @ApplicationScoped
    RecordProcessor processor(ConsumerSettings settings) {
        RecordProcessor chosen = switch (settings.processorChoice()) {
            case ORDER_ENRICHER -> new OrderEnricher();
            case NOOP -> new NoOpProcessor();
        };
        Duration delay = settings.processingDelay();
        return delay.isZero() ? chosen : slowed(chosen, delay);
    }

    /** {@code PROCESSING_DELAY}: the processor as if it took that much longer per record. */
    private static RecordProcessor slowed(RecordProcessor processor, Duration delay) {
        return record -> {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return processor.process(record);
        };
    }
}
