package io.eventfn.app.config;

import java.util.List;

/**
 * How the input consumer takes part in its group: {@code consumer} (KIP-848, the default) or {@code classic}. The
 * consumer protocol assigns partitions on the broker and owns the group's timings there; the classic one assigns in
 * the client (cooperative-sticky) and takes its timings from the client's settings.
 */
public enum GroupProtocol {
    CONSUMER("consumer"),
    CLASSIC("classic");

    private final String setting;

    GroupProtocol(String setting) {
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }

    /**
     * Kafka takes either value in any case; application.properties maps the lower- and upper-case spellings to the
     * assignor, so those two are the ones accepted here.
     *
     * @throws InvalidSettingException naming {@code KAFKA_GROUP_PROTOCOL} and the allowed values
     */
    public static GroupProtocol parse(String value) {
        for (GroupProtocol protocol : values()) {
            if (List.of(protocol.setting, protocol.name()).contains(value)) {
                return protocol;
            }
        }
        throw new InvalidSettingException("KAFKA_GROUP_PROTOCOL='" + value + "' is not supported: set it to consumer"
                + " (the default: KIP-848, needs Kafka 4.0+ brokers) or classic.");
    }
}
