package io.eventfn.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables the app reads, as its {@code application.properties} binds them: every
 * {@code ${NAME}} or {@code ${NAME:default}} expression with an upper-case name is one variable. Kafka client
 * properties pass through as {@code KAFKA_<PROPERTY>} on top of these (see the file's header).
 */
public final class AppEnvironment {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final Pattern VARIABLE_WITH_PLAIN_DEFAULT = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):([^${}]*)}");

    private final Properties properties;
    private final Map<String, Optional<String>> variables;

    private AppEnvironment(Properties properties, Map<String, Optional<String>> variables) {
        this.properties = properties;
        this.variables = variables;
    }

    public static AppEnvironment read(Path applicationProperties) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(applicationProperties)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + applicationProperties, e);
        }
        Map<String, Optional<String>> variables = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key);
            Matcher names = VARIABLE.matcher(value);
            while (names.find()) {
                variables.putIfAbsent(names.group(1), Optional.empty());
            }
            Matcher defaults = VARIABLE_WITH_PLAIN_DEFAULT.matcher(value);
            while (defaults.find()) {
                variables.put(defaults.group(1), Optional.of(defaults.group(2)));
            }
        }
        if (variables.isEmpty()) {
            throw new IllegalArgumentException(applicationProperties + " binds no ${NAME} environment variable");
        }
        return new AppEnvironment(properties, variables);
    }

    /** @return the variables bound in application.properties (not the KAFKA_ pass-through ones) */
    public Set<String> variables() {
        return variables.keySet();
    }

    /** @return the default the app uses when the variable is unset, if it is a plain value */
    public Optional<String> defaultOf(String variable) {
        return variables.getOrDefault(variable, Optional.empty());
    }

    /** @return a property's raw value, as written in application.properties */
    public Optional<String> property(String key) {
        return Optional.ofNullable(properties.getProperty(key));
    }

    /** {@code KAFKA_SECURITY_PROTOCOL} -> {@code security.protocol}: how the app passes KAFKA_* variables to its clients. */
    public static Optional<String> kafkaPropertyOf(String variable) {
        if (!variable.startsWith("KAFKA_") || variable.length() == "KAFKA_".length()) {
            return Optional.empty();
        }
        return Optional.of(variable.substring("KAFKA_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.'));
    }
}
