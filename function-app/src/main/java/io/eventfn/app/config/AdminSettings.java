package io.eventfn.app.config;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The settings of an admin client the app opens beside its consumer and producers: the same connection and security
 * settings (the {@code KAFKA_*} pass-through, the SASL login), and nothing an admin client does not know.
 */
public final class AdminSettings {

    private AdminSettings() {
    }

    /**
     * @param clientSettings the settings of another client of the app (the {@code default-kafka-broker} map, or a
     *                       consumer's or producer's configuration)
     * @param clientId       names the admin client in the brokers' logs and metrics
     */
    public static Map<String, Object> from(Map<String, ?> clientSettings, String clientId) {
        Map<String, Object> settings = new HashMap<>();
        clientSettings.forEach((name, value) -> {
            if (value != null && (AdminClientConfig.configNames().contains(name) || name.startsWith("sasl."))) {
                settings.put(name, value);
            }
        });
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return settings;
    }
}
