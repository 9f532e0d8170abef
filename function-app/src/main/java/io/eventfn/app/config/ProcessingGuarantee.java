package io.eventfn.app.config;

/** How often an input record's effects may reach Kafka: at least once (the default), or exactly once. */
public enum ProcessingGuarantee implements SettingWord {
    AT_LEAST_ONCE("at-least-once"),
    EXACTLY_ONCE("exactly-once");

    private final String setting;

    ProcessingGuarantee(String setting) {
        this.setting = setting;
    }

    @Override
    public String setting() {
        return setting;
    }
}
