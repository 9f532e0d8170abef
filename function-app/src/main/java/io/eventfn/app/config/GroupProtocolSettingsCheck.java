package io.eventfn.app.config;

import java.util.List;
import java.util.Optional;

/**
 * Refuses at start-up, before the consumer exists, a Kafka setting that the chosen group protocol rejects:
 * with {@code consumer} (the default) the broker owns the session timeout, the heartbeat interval and the assignment,
 * so the client's {@code session.timeout.ms}, {@code heartbeat.interval.ms} and {@code partition.assignment.strategy}
 * are refused (kafka-clients' {@code ConsumerConfig}); with {@code classic}, {@code group.remote.assignor} is. Kafka
 * would say so in a stack trace naming the property; this names the variable and the two ways out.
 */
final class GroupProtocolSettingsCheck {

    /** Where a Kafka property can reach the input consumer: every client, the connector, or the channel. */
    private static final List<String> PREFIXES = List.of("kafka.", "mp.messaging.connector.smallrye-kafka.",
            "mp.messaging.incoming.input.");

    /** A client property one protocol rejects, and what takes its place there. */
    record Rejected(String property, GroupProtocol rejectedBy, String instead) {
    }

    static final List<Rejected> REJECTED = List.of(
            new Rejected("session.timeout.ms", GroupProtocol.CONSUMER, "the broker sets the session timeout"
                    + " (group.consumer.session.timeout.ms, 45 s by default; per group with kafka-configs"
                    + " --entity-type groups)"),
            new Rejected("heartbeat.interval.ms", GroupProtocol.CONSUMER, "the broker sets the heartbeat interval"
                    + " (group.consumer.heartbeat.interval.ms, 5 s by default; per group with kafka-configs"
                    + " --entity-type groups)"),
            new Rejected("partition.assignment.strategy", GroupProtocol.CONSUMER, "the broker assigns the partitions"
                    + " (group.consumer.assignors; KAFKA_GROUP_REMOTE_ASSIGNOR picks one of them)"),
            new Rejected("group.remote.assignor", GroupProtocol.CLASSIC, "the classic protocol assigns in the client"
                    + " (cooperative-sticky)"));

    private GroupProtocolSettingsCheck() {
    }

    interface Lookup {
        Optional<String> value(String property);
    }

    static void verify(GroupProtocol protocol, Lookup config) {
        for (Rejected rejected : REJECTED) {
            if (rejected.rejectedBy() != protocol) {
                continue;
            }
            for (String prefix : PREFIXES) {
                String property = prefix + rejected.property();
                if (config.value(property).isPresent()) {
                    throw new InvalidSettingException(message(protocol, rejected,
                            ApplicationProperties.environmentVariableOf(property)));
                }
            }
        }
    }

    static String message(GroupProtocol protocol, Rejected rejected, String variable) {
        GroupProtocol other = protocol == GroupProtocol.CONSUMER ? GroupProtocol.CLASSIC : GroupProtocol.CONSUMER;
        String chosen = protocol == GroupProtocol.CONSUMER ? "KAFKA_GROUP_PROTOCOL=consumer (the default)"
                : "KAFKA_GROUP_PROTOCOL=classic";
        return variable + " is set, but " + chosen + " does not take " + rejected.property() + ": "
                + rejected.instead() + ". Remove " + variable + ", or set KAFKA_GROUP_PROTOCOL=" + other.setting()
                + ".";
    }
}
