package io.eventfn.app.config;

/** Which business logic the app runs: the shipped order enrichment, or nothing at all (to measure the app itself). */
public enum ProcessorChoice implements SettingWord {
    ORDER_ENRICHER("order-enricher"),
    NOOP("noop");

    private final String setting;

    ProcessorChoice(String setting) {
        this.setting = setting;
    }

    @Override
    public String setting() {
        return setting;
    }
}
