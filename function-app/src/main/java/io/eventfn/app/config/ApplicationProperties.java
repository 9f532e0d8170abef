package io.eventfn.app.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * What the app's own {@code application.properties} says, as written: which environment variable each setting is
 * bound to ({@code consumer.drain-timeout=${DRAIN_TIMEOUT:10s}}), and which channel attributes the app fixes. The
 * start-up checks compare it with what the configuration resolved to find a setting spelled another way.
 */
final class ApplicationProperties {

    /** Quarkus reads the application.properties inside the app at this ordinal ({@code config/application.properties}: 260). */
    static final int ORDINAL = 250;

    private static final String MP_MESSAGING = "mp.messaging.";
    private static final String QUARKUS_MESSAGING = "quarkus.messaging.";
    private static final Pattern BINDING = Pattern.compile("^\\$\\{([A-Z][A-Z0-9_]*)(?::(.*))?}$");
    private static final Pattern REFERENCE = Pattern.compile("^\\$\\{([a-z][a-z0-9.-]*)}$");

    private final Map<String, String> written;

    private ApplicationProperties(Map<String, String> written) {
        this.written = written;
    }

    static ApplicationProperties of(Config config) {
        Map<String, String> written = new TreeMap<>();
        for (ConfigSource source : config.getConfigSources()) {
            if (source.getOrdinal() == ORDINAL && source.getName().contains("application.properties")) {
                for (String name : source.getPropertyNames()) {
                    written.putIfAbsent(name, source.getValue(name));
                }
            }
        }
        if (written.isEmpty()) {
            throw new IllegalStateException("The app's application.properties is not among the configuration sources");
        }
        return new ApplicationProperties(written);
    }

    /** Every property the file sets. */
    Iterable<String> names() {
        return written.keySet();
    }

    /** The value as written, expressions unexpanded. */
    Optional<String> written(String property) {
        return Optional.ofNullable(written.get(property));
    }

    /**
     * @return the environment variable {@code property} is bound to: directly ({@code ${DRAIN_TIMEOUT:10s}}) or through
     *         one of the app's settings ({@code ${consumer.input-topics}})
     */
    Optional<String> variableOf(String property) {
        String value = written.get(property);
        if (value == null) {
            return Optional.empty();
        }
        Matcher binding = BINDING.matcher(value);
        if (binding.matches()) {
            return Optional.of(binding.group(1));
        }
        Matcher reference = REFERENCE.matcher(value);
        return reference.matches() ? variableOf(reference.group(1)) : Optional.empty();
    }

    /** @return the property whose value is {@code ${variable}} or {@code ${variable:default}} */
    Optional<String> propertyBoundTo(String variable) {
        return written.entrySet().stream().filter(entry -> {
            Matcher binding = BINDING.matcher(entry.getValue());
            return binding.matches() && binding.group(1).equals(variable);
        }).map(Map.Entry::getKey).findFirst();
    }

    /** @return the default written after the colon of {@code ${variable:default}}, when it is a plain value */
    Optional<String> plainDefaultOf(String variable) {
        return propertyBoundTo(variable).map(written::get).map(BINDING::matcher).filter(Matcher::matches)
                .map(binding -> binding.group(2)).filter(value -> !value.isEmpty() && !value.contains("${"));
    }

    /** Whether the configuration took {@code property} from this file, not from another source that overrides it. */
    boolean decides(ConfigValue resolved) {
        return resolved.getSourceOrdinal() == ORDINAL && resolved.getSourceName() != null
                && resolved.getSourceName().contains("application.properties");
    }

    /**
     * How the user wrote a value that overrides this file: {@code CONSUMER_OUTPUT_TOPIC} for an environment variable,
     * {@code -Dconsumer.output-topic} for a system property, else the property and where it came from.
     */
    static String spellingOf(Config config, ConfigValue resolved) {
        String sourceName = resolved.getSourceName() == null ? "" : resolved.getSourceName();
        String name = writtenName(config, sourceName, resolved.getName());
        if (sourceName.startsWith("EnvConfigSource")) {
            return environmentVariableOf(name);
        }
        if (sourceName.startsWith("SysPropConfigSource")) {
            return "-D" + name;
        }
        return name + " (in " + sourceName + ")";
    }

    /**
     * Quarkus answers for {@code mp.messaging.*} under its own {@code quarkus.messaging.*} name, and takes either:
     * the one the source holds is the one the user wrote.
     */
    private static String writtenName(Config config, String sourceName, String name) {
        String other = name.startsWith(QUARKUS_MESSAGING) ? MP_MESSAGING + name.substring(QUARKUS_MESSAGING.length())
                : name.startsWith(MP_MESSAGING) ? QUARKUS_MESSAGING + name.substring(MP_MESSAGING.length()) : null;
        if (other == null) {
            return name;
        }
        for (ConfigSource source : config.getConfigSources()) {
            if (source.getName().equals(sourceName)) {
                return source.getValue(name) == null && source.getValue(other) != null ? other : name;
            }
        }
        return name;
    }

    /** {@code mp.messaging.outgoing.output.topic} -> {@code MP_MESSAGING_OUTGOING_OUTPUT_TOPIC}, the environment's spelling. */
    static String environmentVariableOf(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
