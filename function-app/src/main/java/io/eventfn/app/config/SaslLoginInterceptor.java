package io.eventfn.app.config;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.annotation.Priority;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;

/**
 * Turns {@code KAFKA_SASL_USERNAME} and {@code KAFKA_SASL_PASSWORD} into the {@code kafka.sasl.jaas.config} every Kafka
 * client of the app gets (consumer, producers, admin), for the mechanism in {@code KAFKA_SASL_MECHANISM}, and hides
 * the two raw variables from the {@code kafka.*} names, so they are not handed to the clients as unknown properties.
 * An explicit {@code KAFKA_SASL_JAAS_CONFIG} wins. Nothing is captured: each lookup reads the current environment,
 * so a value present while the app is built never ends up in the jar or the native binary.
 */
@Priority(Priorities.APPLICATION + 200)
public class SaslLoginInterceptor implements ConfigSourceInterceptor {

    static final String JAAS_CONFIG = "kafka.sasl.jaas.config";
    static final String USERNAME = "kafka.sasl.username";
    static final String PASSWORD = "kafka.sasl.password";
    static final String MECHANISM = "kafka.sasl.mechanism";
    static final String SOURCE_NAME = "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value != null || !JAAS_CONFIG.equals(name)) {
            return value;
        }
        return loginFrom(context)
                .map(jaas -> ConfigValue.builder().withName(JAAS_CONFIG).withValue(jaas)
                        .withConfigSourceName(SOURCE_NAME).build())
                .orElse(null);
    }

    @Override
    public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
        List<String> names = new ArrayList<>();
        boolean hasJaasConfig = false;
        for (Iterator<String> all = context.iterateNames(); all.hasNext();) {
            String name = all.next();
            String normalized = normalize(name);
            if (normalized.equals(USERNAME) || normalized.equals(PASSWORD)) {
                continue;
            }
            hasJaasConfig |= normalized.equals(JAAS_CONFIG);
            names.add(name);
        }
        if (!hasJaasConfig && loginFrom(context).isPresent()) {
            names.add(JAAS_CONFIG);
        }
        return names.iterator();
    }

    private static Optional<String> loginFrom(ConfigSourceInterceptorContext context) {
        String username = valueOf(context.proceed(USERNAME));
        String password = valueOf(context.proceed(PASSWORD));
        if (username == null || password == null) {
            return Optional.empty();
        }
        return SaslLogin.jaasConfig(valueOf(context.proceed(MECHANISM)), username, password);
    }

    private static String valueOf(ConfigValue value) {
        return value == null || value.getValue() == null || value.getValue().isEmpty() ? null : value.getValue();
    }

    /** {@code KAFKA_SASL_USERNAME} and {@code kafka.sasl.username} are the same setting. */
    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
    }
}
