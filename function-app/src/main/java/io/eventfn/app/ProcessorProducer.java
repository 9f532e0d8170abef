package io.eventfn.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.eventfn.core.RecordProcessor;
import io.eventfn.core.orders.OrderEnricher;

/** The one place that chooses the business logic: replace {@link OrderEnricher} with your own processor. */
@ApplicationScoped
public class ProcessorProducer {

    @Produces
    @ApplicationScoped
    RecordProcessor processor() {
        return new OrderEnricher();
    }
}
