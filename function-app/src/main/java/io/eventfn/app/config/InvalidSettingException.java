package io.eventfn.app.config;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * A setting the user got wrong. Quarkus prints the message of a {@link ConfigurationException} alone (no stack
 * trace) and exits non-zero, so the message must name the environment variable and what to do.
 */
public class InvalidSettingException extends ConfigurationException {

    public InvalidSettingException(String message) {
        super(message);
    }
}
