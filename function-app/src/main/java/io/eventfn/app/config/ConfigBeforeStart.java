package io.eventfn.app.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.Config;

import io.smallrye.config.DotEnvConfigSourceProvider;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSourceLoader;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SysPropConfigSource;

/**
 * The app's configuration as Quarkus will resolve it, built from the same sources before Quarkus starts, so that
 * {@link StartupSettingsCheck} can refuse a mistake a fraction of a second after the process starts instead of after
 * Quarkus has booted: the environment (300), {@code .env} (295), {@code config/application.properties} beside the
 * app (260) and the app's own application.properties (250), with SmallRye's expressions and the app's SASL login.
 */
final class ConfigBeforeStart {

    private ConfigBeforeStart() {
    }

    static SmallRyeConfig of(Map<String, String> environment) {
        ClassLoader loader = ConfigBeforeStart.class.getClassLoader();
        return new SmallRyeConfigBuilder()
                .withSources(new SysPropConfigSource())
                .withSources(new EnvConfigSource(environment, 300))
                .withSources(DotEnvConfigSourceProvider.dotEnvSources(loader))
                .withSources(PropertiesConfigSourceLoader.inFileSystem("config/application.properties", 260, loader))
                .withSources(PropertiesConfigSourceLoader.inClassPath("application.properties",
                        ApplicationProperties.ORDINAL, loader))
                // Quarkus's own; the default of INSTANCE_ID ends with it.
                .withDefaultValue("quarkus.uuid", UUID.randomUUID().toString())
                .addDefaultInterceptors()
                .withInterceptors(new SaslLoginInterceptor())
                .build();
    }

    /**
     * What every Kafka client of the app will get, as Quarkus's {@code KafkaRuntimeConfigProducer} builds its
     * {@code default-kafka-broker} map: each {@code kafka.*} or {@code KAFKA_*} setting, named as Kafka names it.
     */
    static Map<String, Object> kafkaClientDefaults(Config config) {
        Map<String, Object> properties = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            String lowerCase = name.toLowerCase(Locale.ROOT);
            if (!lowerCase.startsWith("kafka") || lowerCase.startsWith("kafka.ui") || lowerCase.length() <= 6) {
                continue;
            }
            String property = lowerCase.substring("kafka".length() + 1).replace('_', '.');
            config.getOptionalValue(name, String.class).filter(value -> !value.isEmpty())
                    .ifPresent(value -> properties.put(property, value));
        }
        return properties;
    }
}
