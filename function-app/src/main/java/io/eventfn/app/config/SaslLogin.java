package io.eventfn.app.config;

import java.util.Optional;

/** The JAAS login line for a SASL user name and password, per mechanism. */
final class SaslLogin {

    static final String SUPPORTED = "SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN";

    private SaslLogin() {
    }

    /** Empty for a mechanism this app builds no login for (GSSAPI, OAUTHBEARER, a typo); see {@link SaslSettingsCheck}. */
    static Optional<String> jaasConfig(String mechanism, String username, String password) {
        String module = mechanism == null ? null : switch (mechanism.trim()) {
            case "SCRAM-SHA-512", "SCRAM-SHA-256" -> "org.apache.kafka.common.security.scram.ScramLoginModule";
            case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule";
            default -> null;
        };
        return Optional.ofNullable(module)
                .map(name -> name + " required username=" + quote(username) + " password=" + quote(password) + ";");
    }

    /** Kafka reads JAAS options with a StreamTokenizer: inside double quotes, a backslash escapes the next character. */
    static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
