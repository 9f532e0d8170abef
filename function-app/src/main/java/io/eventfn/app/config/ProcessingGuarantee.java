package io.eventfn.app.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How often an input record's effects may reach Kafka: at least once (the default), or exactly once. */
public enum ProcessingGuarantee {
    AT_LEAST_ONCE("at-least-once"),
    EXACTLY_ONCE("exactly-once");

    private final String setting;

    ProcessingGuarantee(String setting) {
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }

    /**
     * @throws InvalidSettingException naming {@code PROCESSING_GUARANTEE} and the allowed values
     */
    public static ProcessingGuarantee parse(String value) {
        for (ProcessingGuarantee guarantee : values()) {
            if (guarantee.setting.equals(value == null ? null : value.trim())) {
                return guarantee;
            }
        }
        throw new InvalidSettingException("PROCESSING_GUARANTEE='" + value + "' is not supported: set it to one of "
                + Arrays.stream(values()).map(ProcessingGuarantee::setting).collect(Collectors.joining(", "))
                + " (default at-least-once).");
    }
}
