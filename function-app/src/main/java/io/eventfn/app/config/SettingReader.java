package io.eventfn.app.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.configuration.DurationConverter;

/**
 * Reads one of the app's settings by its environment variable — through the property application.properties binds it
 * to, so that its default applies — and turns the text into a value, or refuses it with one line that names the
 * variable, the value and what to do. Every setting of {@link ConsumerSettings} is read here, one kind of value per
 * method.
 */
final class SettingReader {

    /** Kafka's topic name rules (kafka-clients' {@code Topic.validate}): legal characters, at most 249, not . or .. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    /** {@code host:port}, the host a name, IPv4 or bracketed IPv6 address; Kafka also takes a {@code PROTOCOL://} prefix. */
    private static final Pattern BROKER = Pattern.compile(
            "(?:[A-Za-z_]+://)?(?:[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.%]+]):([0-9]{1,5})");

    private final Config config;
    private final ApplicationProperties written;

    SettingReader(Config config) {
        this.config = config;
        this.written = ApplicationProperties.of(config);
    }

    /** Any text but an empty one. */
    String text(String variable) {
        String value = raw(variable);
        if (value.isBlank()) {
            throw new InvalidSettingException(variable + " is empty: set it, or unset it to use "
                    + written.plainDefaultOf(variable).map(fallback -> "the default " + fallback).orElse("its default")
                    + ".");
        }
        return value;
    }

    /** The broker list every Kafka client of the app starts from; required. */
    String brokerList(String variable) {
        String value = raw(variable);
        if (value.isBlank()) {
            throw new InvalidSettingException(variable + " is not set: set it to the Kafka broker list,"
                    + " e.g. " + variable + "=broker-0.kafka:9092,broker-1.kafka:9092");
        }
        for (String broker : value.split(",", -1)) {
            var address = BROKER.matcher(broker.trim());
            if (!address.matches() || Integer.parseInt(address.group(1)) > 65535) {
                throw new InvalidSettingException(variable + "='" + value + "' is not a broker list: write host:port"
                        + " pairs separated by commas, e.g. broker-0.kafka:9092,broker-1.kafka:9092.");
            }
        }
        return value;
    }

    /** One topic name, by Kafka's rules. */
    String topic(String variable) {
        String value = raw(variable);
        if (value.isEmpty()) {
            text(variable);
        }
        requireTopicName(variable, value, value);
        return value;
    }

    /** Comma-separated topic names, blanks around each allowed (the connector trims them). */
    List<String> topicList(String variable) {
        String value = raw(variable);
        if (value.isBlank()) {
            text(variable);
        }
        List<String> topics = new ArrayList<>();
        for (String topic : value.split(",", -1)) {
            if (topic.isBlank()) {
                throw new InvalidSettingException(variable + "='" + value + "' has an empty topic name: write the topics"
                        + " separated by single commas, e.g. " + variable + "=orders,returns.");
            }
            requireTopicName(variable, value, topic.trim());
            topics.add(topic.trim());
        }
        return List.copyOf(topics);
    }

    /** One of the words of {@code choices}; see {@link SettingWord}. */
    <E extends Enum<E> & SettingWord> E word(String variable, E[] choices) {
        return SettingWord.parse(choices, raw(variable), variable);
    }

    /** A whole number of at least {@code minimum}. */
    int integer(String variable, int minimum) {
        String value = raw(variable);
        int number;
        try {
            number = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(variable + "='" + value + "' is not a whole number: set e.g. "
                    + variable + "=" + written.plainDefaultOf(variable).orElse("5") + ".");
        }
        if (number < minimum) {
            throw new InvalidSettingException(variable + "=" + number + " is too small: set it to at least " + minimum
                    + ".");
        }
        return number;
    }

    /** A duration as Quarkus writes them ({@code 10s}, {@code 200ms}, {@code 2m}, {@code PT1M}), at least {@code minimum}. */
    Duration duration(String variable, Duration minimum) {
        String value = raw(variable);
        Duration duration;
        try {
            duration = value.isBlank() ? null : DurationConverter.parseDuration(value.trim());
        } catch (RuntimeException e) {
            duration = null;
        }
        String example = written.plainDefaultOf(variable).orElse("10s");
        if (duration == null) {
            throw new InvalidSettingException(variable + "='" + value + "' is not a duration: write a number and a unit,"
                    + " e.g. " + variable + "=" + example + " (ms, s, m, h).");
        }
        if (duration.compareTo(minimum) < 0) {
            throw new InvalidSettingException(variable + "='" + value + "' must not be "
                    + (minimum.isZero() ? "negative" : "below " + minimum.toMillis() + " ms") + ": set e.g. " + variable + "=" + example
                    + ".");
        }
        return duration;
    }

    /** {@code true} or {@code false}, nothing else (SmallRye Config would read any other word as false). */
    boolean flag(String variable) {
        String value = raw(variable);
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new InvalidSettingException(variable + "='" + value + "' is not true or false: set "
                    + variable + "=true or " + variable + "=false.");
        }
        return Boolean.parseBoolean(value);
    }

    /** The variable's text, or the default application.properties gives it; {@code ""} when empty. */
    private String raw(String variable) {
        String property = written.propertyBoundTo(variable).orElseThrow(() -> new IllegalStateException(
                "application.properties binds no property to " + variable + " (write property=${" + variable
                        + ":default})"));
        String value = config.getConfigValue(property).getValue();
        return value == null ? "" : value;
    }

    private static void requireTopicName(String variable, String value, String topic) {
        if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new InvalidSettingException(variable + "='" + value + "': '" + topic + "' is not a legal Kafka"
                    + " topic name: use up to 249 letters, digits, '.', '_' and '-' (not . or ..).");
        }
    }
}
