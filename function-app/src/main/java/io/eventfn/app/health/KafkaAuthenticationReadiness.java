package io.eventfn.app.health;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;

/**
 * Not ready while the consumer's latest login to the broker failed (wrong password, unknown user, untrusted or
 * mismatched certificate). The connector's own check counts open connections, which flickers up with every retry;
 * this one stays DOWN from the first failed authentication until one succeeds again.
 */
@Readiness
@ApplicationScoped
public class KafkaAuthenticationReadiness implements HealthCheck {

    private static final String NAME = "Kafka authentication";

    @Inject
    KafkaClientService clients;

    private double failuresSeen;
    private double successesSeen;
    private boolean failing;

    @Override
    public synchronized HealthCheckResponse call() {
        KafkaConsumer<Object, Object> consumer = clients.getConsumer("input");
        if (consumer == null) {
            return HealthCheckResponse.up(NAME);
        }
        Map<MetricName, ? extends Metric> metrics = consumer.unwrap().metrics();
        double failures = total(metrics, "failed-authentication-total");
        double successes = total(metrics, "successful-authentication-total");
        if (successes > successesSeen) {
            failing = false;
        } else if (failures > failuresSeen) {
            failing = true;
        }
        failuresSeen = failures;
        successesSeen = successes;
        return HealthCheckResponse.named(NAME).status(!failing)
                .withData("failed-authentications", (long) failures)
                .withData("successful-authentications", (long) successes)
                .build();
    }

    private static double total(Map<MetricName, ? extends Metric> metrics, String name) {
        for (Map.Entry<MetricName, ? extends Metric> metric : metrics.entrySet()) {
            if (metric.getKey().name().equals(name) && "consumer-metrics".equals(metric.getKey().group())
                    && metric.getValue().metricValue() instanceof Double value) {
                return value;
            }
        }
        return 0;
    }
}
