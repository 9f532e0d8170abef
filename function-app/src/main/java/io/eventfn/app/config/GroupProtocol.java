package io.eventfn.app.config;

/**
 * How the input consumer takes part in its group: {@code consumer} (KIP-848, the default) or {@code classic}. The
 * consumer protocol assigns partitions on the broker and owns the group's timings there; the classic one assigns in
 * the client (cooperative-sticky) and takes its timings from the client's settings.
 */
public enum GroupProtocol implements SettingWord {
    CONSUMER("consumer"),
    CLASSIC("classic");

    private final String setting;

    GroupProtocol(String setting) {
        this.setting = setting;
    }

    @Override
    public String setting() {
        return setting;
    }
}
