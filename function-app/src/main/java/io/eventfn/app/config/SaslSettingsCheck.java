package io.eventfn.app.config;

import java.util.Optional;

import org.eclipse.microprofile.config.Config;

/**
 * Refuses at start-up, before any Kafka client exists, a {@code KAFKA_SASL_USERNAME}/{@code KAFKA_SASL_PASSWORD}
 * pair that cannot become a login: one of them missing, or a mechanism {@link SaslLoginInterceptor} builds no login for.
 * Never prints the values.
 */
final class SaslSettingsCheck {

    private SaslSettingsCheck() {
    }

    static void verify(Config config) {
        String jaasSource = config.getConfigValue(SaslLoginInterceptor.JAAS_CONFIG).getSourceName();
        boolean explicitJaasConfig = value(config, SaslLoginInterceptor.JAAS_CONFIG).isPresent()
                && !SaslLoginInterceptor.SOURCE_NAME.equals(jaasSource);
        verify(value(config, SaslLoginInterceptor.USERNAME).isPresent(), value(config, SaslLoginInterceptor.PASSWORD).isPresent(),
                explicitJaasConfig, value(config, SaslLoginInterceptor.MECHANISM));
    }

    static void verify(boolean hasUsername, boolean hasPassword, boolean explicitJaasConfig, Optional<String> mechanism) {
        if (explicitJaasConfig || !hasUsername && !hasPassword) {
            // An explicit KAFKA_SASL_JAAS_CONFIG wins: the two variables are then ignored.
            return;
        }
        if (hasUsername != hasPassword) {
            throw new InvalidSettingException((hasUsername ? "KAFKA_SASL_USERNAME is set but KAFKA_SASL_PASSWORD is not"
                    : "KAFKA_SASL_PASSWORD is set but KAFKA_SASL_USERNAME is not") + ": set both, or neither.");
        }
        String chosen = mechanism.orElse(null);
        if (SaslLogin.jaasConfig(chosen, "", "").isEmpty()) {
            throw new InvalidSettingException("KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD need KAFKA_SASL_MECHANISM set to "
                    + SaslLogin.SUPPORTED + (chosen == null ? ", and it is not set" : ", not '" + chosen + "'")
                    + ". For another mechanism, set KAFKA_SASL_JAAS_CONFIG instead and unset these two.");
        }
    }

    private static Optional<String> value(Config config, String name) {
        return config.getOptionalValue(name, String.class).filter(value -> !value.isBlank());
    }
}
