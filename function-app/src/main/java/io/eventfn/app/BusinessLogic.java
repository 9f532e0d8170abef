package io.eventfn.app;

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
        return switch (settings.processorChoice()) {
            case ORDER_ENRICHER -> new OrderEnricher();
            case NOOP -> new NoOpProcessor();
        };
    }
}
