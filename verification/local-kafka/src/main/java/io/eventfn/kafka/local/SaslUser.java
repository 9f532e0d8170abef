package io.eventfn.kafka.local;

import java.util.List;
import java.util.Objects;

/**
 * A user the secured broker accepts on its {@link SecuredListener#SASL_SSL} listener. SCRAM users are created when
 * the storage is formatted; PLAIN users live in the listener's JAAS configuration.
 */
public record SaslUser(String name, String password, String mechanism) {

    public static final List<String> MECHANISMS = List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");

    public SaslUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
        if (!MECHANISMS.contains(mechanism)) {
            throw new IllegalArgumentException("mechanism must be one of " + MECHANISMS + ", not " + mechanism);
        }
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("a user name must be letters, digits, '.', '_' or '-': " + name);
        }
        if (mechanism.startsWith("SCRAM") && !password.matches("[A-Za-z0-9._-]+")) {
            // kafka-storage's --add-scram parser splits on ',' and ']' and has no escapes.
            throw new IllegalArgumentException("a SCRAM password given at format time must be letters, digits, '.', '_' or '-'");
        }
    }

    /** The client's {@code sasl.jaas.config} for this user, the password quoted as JAAS reads it. */
    public String jaasConfig() {
        return jaasConfig(mechanism, name, password);
    }

    public static String jaasConfig(String mechanism, String name, String password) {
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return module + " required username=" + quote(name) + " password=" + quote(password) + ";";
    }

    /** A JAAS quoted string: Kafka's parser (a StreamTokenizer) reads backslash escapes inside double quotes. */
    static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public String toString() {
        return "SaslUser[" + name + ", " + mechanism + "]";
    }
}
