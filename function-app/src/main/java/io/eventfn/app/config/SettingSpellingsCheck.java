package io.eventfn.app.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

/**
 * One name per setting. SmallRye Config lets every property be set in several ways — its environment form
 * ({@code CONSUMER_OUTPUT_TOPIC}, {@code MP_MESSAGING_INCOMING_INPUT_TOPICS}), a system property, the connector-wide
 * or {@code kafka.*} form of a channel attribute — and some of them would be silently ignored or would change one
 * part of the app but not another (the loop guard reads {@code INPUT_TOPICS}). So a value set another way than
 * through the setting's one variable stops the start, naming the variable to use:
 * <ul>
 * <li>a property application.properties binds to a variable ({@code consumer.output-topic=${OUTPUT_TOPIC:…}});</li>
 * <li>a channel attribute application.properties sets ({@code mp.messaging.outgoing.output.topic});</li>
 * <li>the {@code KAFKA_*} or connector-wide form of a Kafka property the app sets on a channel ({@code KAFKA_ACKS}),
 * which the channel's value would hide;</li>
 * <li>another way to choose the input topics ({@code topic}, {@code pattern}).</li>
 * </ul>
 * {@code KAFKA_*} defaults that application.properties sets for every client ({@code kafka.isolation.level}) and
 * Quarkus's own {@code quarkus.*} settings are meant to be overridden and are not checked here.
 */
final class SettingSpellingsCheck {

    private static final String CHANNELS = "mp.messaging.";
    private static final String CONNECTOR = "mp.messaging.connector.smallrye-kafka.";
    private static final String INPUT = "mp.messaging.incoming.input.";
    /** Input channel attributes the app leaves unset that would choose other topics than INPUT_TOPICS. */
    private static final List<String> OTHER_SUBSCRIPTIONS = List.of("topic", "pattern");
    /** Why the app fixes a Kafka property, where the property's name alone does not say it. */
    private static final Map<String, String> WHY_FIXED = Map.of(
            "acks", "an input offset is committed once its outputs are acknowledged, and only acks=all keeps that"
                    + " acknowledgement through the loss of a broker",
            "enable.idempotence", "a retried send must not write a record twice");

    private SettingSpellingsCheck() {
    }

    static void verify(Config config, ApplicationProperties written) {
        for (String property : written.names()) {
            Optional<String> variable = written.variableOf(property);
            boolean boundDirectly = variable.isPresent() && written.propertyBoundTo(variable.get())
                    .filter(property::equals).isPresent();
            if (!property.startsWith(CHANNELS) && !boundDirectly) {
                continue;
            }
            ConfigValue resolved = config.getConfigValue(property);
            if (written.decides(resolved)) {
                continue;
            }
            String spelling = ApplicationProperties.spellingOf(config, resolved);
            if (variable.filter(spelling::equals).isPresent()) {
                // QUARKUS_LOG_CONSOLE_JSON_ENABLED is both the variable and its property's own environment form.
                continue;
            }
            throw variable.map(name -> useInstead(spelling, name)).orElseGet(() -> new InvalidSettingException(spelling
                    + " is set, but the app fixes " + property + "=" + written.written(property).orElse("")
                    + " in its application.properties: remove " + spelling + "."));
        }
        for (String attribute : OTHER_SUBSCRIPTIONS) {
            for (String form : List.of(INPUT + attribute, CONNECTOR + attribute, "kafka." + attribute)) {
                ConfigValue resolved = config.getConfigValue(form);
                if (isSet(resolved)) {
                    throw useInstead(ApplicationProperties.spellingOf(config, resolved), "INPUT_TOPICS");
                }
            }
        }
        verifyNotHidden(config, written);
    }

    /** The {@code kafka.*} and connector-wide forms of a Kafka property the app sets on a channel never reach it. */
    private static void verifyNotHidden(Config config, ApplicationProperties written) {
        // attribute -> the channels that set it, and the property on each
        Map<String, Map<String, String>> fixedOnChannels = new TreeMap<>();
        for (String property : written.names()) {
            // mp.messaging.<incoming|outgoing>.<channel>.<attribute>
            String[] parts = property.split("\\.", 5);
            String value = config.getConfigValue(property).getValue();
            if (property.startsWith(CHANNELS) && !property.startsWith(CONNECTOR) && parts.length == 5
                    && KafkaClientPropertiesCheck.isClientProperty(parts[4]) && value != null && !value.isEmpty()) {
                fixedOnChannels.computeIfAbsent(parts[4], attribute -> new TreeMap<>()).put(parts[3], property);
            }
        }
        fixedOnChannels.forEach((attribute, channels) -> {
            String property = channels.values().iterator().next();
            String fixed = config.getConfigValue(property).getValue();
            for (String form : List.of("kafka." + attribute, CONNECTOR + attribute)) {
                ConfigValue resolved = config.getConfigValue(form);
                if (isSet(resolved) && !resolved.getValue().equals(fixed)) {
                    String spelling = ApplicationProperties.spellingOf(config, resolved);
                    Optional<String> variable = written.variableOf(property);
                    if (variable.isPresent()) {
                        throw useInstead(spelling, variable.get());
                    }
                    throw new InvalidSettingException(spelling + "=" + resolved.getValue() + " is set, but the app sets "
                            + attribute + "=" + fixed + " itself on its " + String.join(" and ", channels.keySet())
                            + (channels.size() == 1 ? " channel" : " channels") + " (application.properties)"
                            + Optional.ofNullable(WHY_FIXED.get(attribute)).map(why -> ": " + why).orElse("")
                            + ". Remove " + spelling + ".");
                }
            }
        });
    }

    private static boolean isSet(ConfigValue resolved) {
        return resolved != null && resolved.getValue() != null && !resolved.getValue().isEmpty();
    }

    private static InvalidSettingException useInstead(String spelling, String variable) {
        return new InvalidSettingException(spelling + " is set, but this app reads that setting from " + variable
                + " only: set " + variable + " instead, and remove " + spelling + ".");
    }
}
