package io.eventfn.app.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Which business logic the app runs: the shipped order enrichment, or nothing at all (to measure the app itself). */
public enum ProcessorChoice {
    ORDER_ENRICHER("order-enricher"),
    NOOP("noop");

    private final String setting;

    ProcessorChoice(String setting) {
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }

    /**
     * @throws InvalidSettingException naming {@code PROCESSOR} and the allowed values
     */
    public static ProcessorChoice parse(String value) {
        for (ProcessorChoice choice : values()) {
            if (choice.setting.equals(value == null ? null : value.trim())) {
                return choice;
            }
        }
        throw new InvalidSettingException("PROCESSOR='" + value + "' is not supported: set it to one of "
                + Arrays.stream(values()).map(ProcessorChoice::setting).collect(Collectors.joining(", "))
                + " (default order-enricher).");
    }
}
