package io.eventfn.app.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

/**
 * The Kafka client properties the app passes through ({@code KAFKA_*}), checked before any client exists: each value
 * by Kafka's own rules (what the client would throw at its creation, in a stack trace naming the property), then the
 * values the app refuses because they break its promises, and the trade-offs it accepts with one WARN line each.
 */
final class KafkaClientPropertiesCheck {

    private static final List<ConfigDef> CLIENTS = List.of(ConsumerConfig.configDef(), ProducerConfig.configDef(),
            AdminClientConfig.configDef());
    /** Where a Kafka property reaches the input consumer, the first one set winning: its channel, the connector, all clients. */
    private static final List<String> INPUT_CONSUMER_PREFIXES = List.of("mp.messaging.incoming.input.",
            "mp.messaging.connector.smallrye-kafka.", "kafka.");

    private KafkaClientPropertiesCheck() {
    }

    /** Whether {@code name} is a property of Kafka's consumer, producer or admin client. */
    static boolean isClientProperty(String name) {
        return CLIENTS.stream().anyMatch(client -> client.configKeys().containsKey(name));
    }

    /**
     * @param clientDefaults the properties every Kafka client of the app gets (Quarkus's {@code default-kafka-broker}:
     *                       every {@code kafka.*} and {@code KAFKA_*} setting, named as Kafka names it)
     * @throws InvalidSettingException for the first value Kafka or the app refuses, naming its variable
     */
    static void verify(Config config, Map<String, ?> clientDefaults, ConsumerSettings settings) {
        new TreeMap<>(clientDefaults).forEach((property, value) -> {
            if (value instanceof String text) {
                verifyByKafkasRules(property, text);
            }
        });
        GroupProtocolSettingsCheck.verify(settings.protocol(), property -> config.getOptionalValue(property, String.class)
                .filter(value -> !value.isBlank()));
        inputConsumerProperty(config, "enable.auto.commit").filter(auto -> auto.value().equalsIgnoreCase("true"))
                .ifPresent(auto -> {
                    throw new InvalidSettingException(auto + " is refused: the consumer would commit the positions of"
                            + " records it has not processed yet, and a crash would lose them. The app commits each batch"
                            + " itself once its outputs are acknowledged: remove " + auto.variable() + ".");
                });
        inputConsumerProperty(config, "auto.offset.reset").filter(reset -> reset.value().equalsIgnoreCase("none"))
                .ifPresent(reset -> {
                    throw new InvalidSettingException(reset + " is refused: a group without committed offsets (a new"
                            + " one, or one whose offsets expired) would fail every poll and consume nothing while the"
                            + " app looks healthy. Use earliest (the default) or latest.");
                });
        if (settings.guarantee() == ProcessingGuarantee.EXACTLY_ONCE) {
            readUncommitted(config).ifPresent(isolation -> {
                throw new InvalidSettingException(isolation + " is refused with PROCESSING_GUARANTEE=exactly-once: the"
                        + " app would process records of aborted upstream transactions, and its output would carry the"
                        + " effects of input that never happened (Kafka Streams forces read_committed in this mode too)."
                        + " Remove " + isolation.variable() + ".");
            });
        }
    }

    /** One line per valid setting that gives something up, for a WARN at start-up. */
    static List<String> tradeOffs(Config config, Map<String, ?> clientDefaults, ConsumerSettings settings) {
        List<String> warnings = new ArrayList<>();
        readUncommitted(config).ifPresent(isolation -> warnings.add(isolation + ": records of aborted upstream"
                + " transactions are processed too, as if they had been committed."));
        inputConsumerProperty(config, "auto.offset.reset").filter(reset -> !reset.value().equalsIgnoreCase("earliest"))
                .ifPresent(reset -> warnings.add(reset + ": a group without committed offsets (a new one, or one whose"
                        + " offsets expired) skips the records written before it starts; KEDA's offsetResetPolicy"
                        + " should say the same (deploy/ says earliest)."));
        if (settings.drainTimeout().equals(Duration.ZERO)) {
            warnings.add("DRAIN_TIMEOUT=0: on SIGTERM and on rebalance, batches in flight are not waited for; the next"
                    + " owner of their partitions processes them again (duplicates).");
        }
        List<String> unknown = clientDefaults.keySet().stream()
                .filter(property -> !property.contains("-") && !isClientProperty(property)).sorted()
                .map(ApplicationProperties::environmentVariableOf).map(variable -> "KAFKA_" + variable).toList();
        if (!unknown.isEmpty()) {
            warnings.add(String.join(", ", unknown) + (unknown.size() == 1 ? " is not a property" : " are not properties")
                    + " of Kafka's consumer, producer or admin client: the clients ignore "
                    + (unknown.size() == 1 ? "it" : "them") + ". Check the spelling.");
        }
        return warnings;
    }

    private static void verifyByKafkasRules(String property, String value) {
        for (ConfigDef client : CLIENTS) {
            ConfigDef.ConfigKey key = client.configKeys().get(property);
            if (key == null) {
                continue;
            }
            try {
                Object parsed = ConfigDef.parseType(property, value, key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(property, parsed);
                }
            } catch (ConfigException e) {
                String variable = "KAFKA_" + ApplicationProperties.environmentVariableOf(property);
                boolean secret = key.type == ConfigDef.Type.PASSWORD;
                String kafkaSays = secret || e.getMessage() == null ? "" : ": " + e.getMessage();
                throw new InvalidSettingException(variable + (secret ? " (value not shown)" : "='" + value + "'")
                        + " is not a valid " + property + kafkaSays + ". Set a value Kafka accepts, or remove "
                        + variable + ".");
            }
        }
    }

    private static Optional<InputConsumerProperty> readUncommitted(Config config) {
        return inputConsumerProperty(config, "isolation.level")
                .filter(isolation -> isolation.value().equalsIgnoreCase("read_uncommitted"));
    }

    private static Optional<InputConsumerProperty> inputConsumerProperty(Config config, String property) {
        for (String prefix : INPUT_CONSUMER_PREFIXES) {
            ConfigValue resolved = config.getConfigValue(prefix + property);
            if (resolved.getValue() != null && !resolved.getValue().isBlank()) {
                return Optional.of(new InputConsumerProperty(
                        ApplicationProperties.environmentVariableOf(prefix + property), resolved.getValue().trim()));
            }
        }
        return Optional.empty();
    }

    /** A Kafka property of the input consumer and the variable it is set with. */
    private record InputConsumerProperty(String variable, String value) {

        @Override
        public String toString() {
            return variable + "=" + value;
        }
    }
}
