package io.eventfn.app.config;

import java.util.Map;
import java.util.Optional;

/**
 * The two of Quarkus's own settings the README lists, checked before Quarkus starts: Quarkus converts them while it
 * starts, before the app's check inside it can run, and would report a wrong value with a framework message naming
 * the property ({@code quarkus.http.port}), or read any word but {@code true} as false.
 */
final class QuarkusSettingsCheck {

    private QuarkusSettingsCheck() {
    }

    /** @return the one line to exit with, for the first wrong value among the variables in {@code environment} */
    static Optional<String> problem(Map<String, String> environment) {
        String port = environment.get("QUARKUS_HTTP_PORT");
        if (port != null && !isPort(port)) {
            return Optional.of("QUARKUS_HTTP_PORT='" + port + "' is not a port: set a number from 1 to 65535, or 0"
                    + " for any free one (the default is 8080).");
        }
        for (String variable : new String[] { "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "QUARKUS_LOG_CONSOLE_JSON" }) {
            String json = environment.get(variable);
            if (json != null && !json.equalsIgnoreCase("true") && !json.equalsIgnoreCase("false")) {
                return Optional.of(variable + "='" + json + "' is not true or false: set " + variable
                        + "=true for one JSON object per log line, or false (the default) for readable lines.");
            }
        }
        return Optional.empty();
    }

    /** 0 is allowed too: Quarkus then picks a free port (the tests use it). */
    private static boolean isPort(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            return port >= 0 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
