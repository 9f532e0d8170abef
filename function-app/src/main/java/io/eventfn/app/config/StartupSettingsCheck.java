package io.eventfn.app.config;

import java.util.Map;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * The one check of every setting, before any Kafka client exists: a mistake costs one line naming the variable, its
 * value and what to do, and a non-zero exit, instead of a consumer retrying localhost:9092 forever or a framework
 * message about an internal property. The order is fixed:
 * <ol>
 * <li>the two of Quarkus's own settings the README lists ({@link QuarkusSettingsCheck});</li>
 * <li>one name per setting ({@link SettingSpellingsCheck});</li>
 * <li>the app's own settings, in {@link ConsumerSettings#read}'s order, then the ones that depend on each other;</li>
 * <li>the Kafka client properties ({@link KafkaClientPropertiesCheck}), some of which depend on the app's settings;</li>
 * <li>the SASL login ({@link SaslSettingsCheck});</li>
 * <li>one WARN line for each accepted setting that gives something up.</li>
 * </ol>
 * It runs twice, the same way: from the app's {@code main} before Quarkus starts ({@link #mistakeBeforeStart}), so a
 * mistake exits within a fraction of a second, and at {@link StartupEvent} inside Quarkus, where the tests start the
 * app and the warnings are logged.
 */
@ApplicationScoped
public class StartupSettingsCheck {

    /**
     * Before Quarkus's messaging start-up ({@code SmallRyeReactiveMessagingLifecycle}, priority 1000) creates the Kafka
     * clients. The start-up order: this check, then {@link GroupProtocolSupportCheck} (one after), then the messaging
     * start-up, then the binding's and the metrics' own start.
     */
    public static final int BEFORE_MESSAGING = -100;

    private static final Logger LOG = Logger.getLogger(StartupSettingsCheck.class);

    /**
     * @return the one line to exit with, for the first mistake in the process's environment and the app's
     *         configuration files; empty when there is none, or when the configuration cannot be read before Quarkus
     *         starts (then the check inside Quarkus decides)
     */
    public static Optional<String> mistakeBeforeStart() {
        Optional<String> quarkusSetting = QuarkusSettingsCheck.problem(System.getenv());
        if (quarkusSetting.isPresent()) {
            return quarkusSetting;
        }
        try {
            Config config = ConfigBeforeStart.of(System.getenv());
            refuseMistakes(config, ConfigBeforeStart.kafkaClientDefaults(config));
            return Optional.empty();
        } catch (InvalidSettingException mistake) {
            return Optional.of(mistake.getMessage());
        } catch (RuntimeException notASetting) {
            return Optional.empty();
        }
    }

    void verify(@Observes @Priority(BEFORE_MESSAGING) StartupEvent event, Config config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaClientDefaults) {
        ConsumerSettings settings = refuseMistakes(config, kafkaClientDefaults);
        KafkaClientPropertiesCheck.tradeOffs(config, kafkaClientDefaults, settings).forEach(LOG::warn);
    }

    /** The settings every other part of the app reads, as {@link #verify} found them. */
    @Produces
    @Singleton
    ConsumerSettings settings(Config config) {
        return ConsumerSettings.read(new SettingReader(config));
    }

    /**
     * @param kafkaClientDefaults what every Kafka client of the app gets, as Quarkus hands it to the connector
     * @return the app's settings
     * @throws InvalidSettingException for the first mistake, in the order of this class's comment
     */
    static ConsumerSettings refuseMistakes(Config config, Map<String, ?> kafkaClientDefaults) {
        SettingSpellingsCheck.verify(config, ApplicationProperties.of(config));
        ConsumerSettings settings = ConsumerSettings.read(new SettingReader(config));
        KafkaClientPropertiesCheck.verify(config, kafkaClientDefaults, settings);
        SaslSettingsCheck.verify(config);
        return settings;
    }
}
