package io.eventfn.app.health;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

/**
 * Not live once the delivery gave up on something it cannot finish by itself (records that could not be written
 * after every retry, a dead-letter topic that refuses even the smallest dead letter): nothing past them is committed,
 * and a restart by Kubernetes starts again from the last commit with fresh clients.
 */
@Liveness
@ApplicationScoped
public class DeliveryLiveness implements HealthCheck {

    private static final String NAME = "Kafka delivery";
    private static final Logger LOG = Logger.getLogger(DeliveryLiveness.class);

    private final AtomicReference<String> failure = new AtomicReference<>();

    /** Reports the instance not live, for {@code reason} (logged once, at ERROR). */
    public void gaveUp(String reason) {
        if (failure.compareAndSet(null, reason)) {
            LOG.errorf("Not live any more: %s", reason);
        }
    }

    @Override
    public HealthCheckResponse call() {
        String reason = failure.get();
        return reason == null ? HealthCheckResponse.up(NAME)
                : HealthCheckResponse.named(NAME).down().withData("reason", reason).build();
    }
}
