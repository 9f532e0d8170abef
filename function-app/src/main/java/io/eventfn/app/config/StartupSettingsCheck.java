package io.eventfn.app.config;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

/**
 * Fails the start-up, before any Kafka client is created, when a setting is missing or wrong, so a mistake costs
 * one clear line and a non-zero exit instead of a consumer retrying localhost:9092 forever.
 */
@ApplicationScoped
public class StartupSettingsCheck {

    /** Before the messaging lifecycle (priority 0) starts the Kafka connectors. */
    static final int BEFORE_MESSAGING = -100;

    void verify(@Observes @Priority(BEFORE_MESSAGING) StartupEvent event, ConsumerSettings settings) {
        verify(settings);
    }

    static void verify(ConsumerSettings settings) {
        if (settings.bootstrapServers().map(String::isBlank).orElse(true)) {
            throw new InvalidSettingException("KAFKA_BOOTSTRAP_SERVERS is not set: set it to the Kafka broker list,"
                    + " e.g. KAFKA_BOOTSTRAP_SERVERS=broker-0.kafka:9092,broker-1.kafka:9092");
        }
        settings.guarantee();
        settings.protocol();
        settings.processorChoice();
        requireName("INPUT_TOPICS", String.join(",", settings.inputTopics()));
        requireName("OUTPUT_TOPIC", settings.outputTopic());
        requireName("DLQ_TOPIC", settings.deadLetterTopic());
        requireName("KAFKA_GROUP_ID", settings.groupId());
        if (settings.inputTopics().contains(settings.outputTopic())
                || settings.inputTopics().contains(settings.deadLetterTopic())) {
            throw new InvalidSettingException("INPUT_TOPICS (" + String.join(",", settings.inputTopics())
                    + ") must not contain OUTPUT_TOPIC or DLQ_TOPIC: the app would consume its own output forever.");
        }
        if (settings.progressLogInterval().isNegative()) {
            throw new InvalidSettingException("PROGRESS_LOG_INTERVAL=" + settings.progressLogInterval()
                    + " must not be negative: use e.g. 30s, or 0 to turn the progress line off.");
        }
        if (settings.retry().maxAttempts() < 1) {
            throw new InvalidSettingException("RETRY_MAX_ATTEMPTS=" + settings.retry().maxAttempts()
                    + " must be at least 1 (1 means no retry).");
        }
    }

    private static void requireName(String variable, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidSettingException(variable + " is empty: set it or unset it to use the default.");
        }
    }
}
