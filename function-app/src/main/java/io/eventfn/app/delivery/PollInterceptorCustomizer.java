package io.eventfn.app.delivery;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.Config;

import io.smallrye.reactive.messaging.ClientCustomizer;

/**
 * Adds {@link PolledPositions.Interceptor} to the input consumer (after any interceptor the user configured) and
 * hands it this delivery's {@link PolledPositions} through the consumer's configuration.
 */
@ApplicationScoped
public class PollInterceptorCustomizer implements ClientCustomizer<Map<String, Object>> {

    @Inject
    Delivery delivery;

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> config) {
        if (!"input".equals(channel)) {
            return config;
        }
        Object configured = config.get(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG);
        String interceptor = PolledPositions.Interceptor.class.getName();
        config.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG,
                configured == null || configured.toString().isBlank() ? interceptor : configured + "," + interceptor);
        config.put(PolledPositions.CONFIG_KEY, delivery.positions);
        return config;
    }
}
