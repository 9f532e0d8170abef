package io.eventfn.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.eventfn.app.config.GroupProtocolSupportCheck.BrokerAnswers;
import io.eventfn.app.config.GroupProtocolSupportCheck.Verdict;

/** What the app concludes from the brokers' answers; {@code PackagedAppIT} asks a real broker that refuses the protocol. */
class GroupProtocolSupportCheckTest {

    private static final Optional<Map<Integer, Optional<String>>> UNREADABLE = Optional.empty();

    @Test
    void kafkaFourWithTheDefaultsOffersIt() {
        assertThat(decide((short) 1, true, Map.of(1, Optional.of("classic,consumer"), 2, Optional.of("classic,consumer,streams"))))
                .isEqualTo(new Verdict.Offered());
    }

    @Test
    void kafkaFourWithTheFeatureSwitchedOffDoesNot() {
        assertThat(GroupProtocolSupportCheck.decide(new BrokerAnswers((short) 0, true, UNREADABLE, "not needed")))
                .isEqualTo(new Verdict.Missing("the cluster's group.version feature is 0 (kafka-features.sh"
                        + " --bootstrap-server ... upgrade --feature group.version=1 enables it)"));
    }

    @Test
    void aBrokerThatLeavesItOutOfItsProtocolsDoesNotEvenWithTheFeatureOn() {
        assertThat(decide((short) 1, true, Map.of(1, Optional.of("classic,consumer"), 2, Optional.of("classic"))))
                .isEqualTo(new Verdict.Missing("broker 2 has group.coordinator.rebalance.protocols=classic"));
    }

    @Test
    void kafkaFourIsTakenAtItsFeaturesWordWhenTheBrokerSettingsCannotBeRead() {
        assertThat(GroupProtocolSupportCheck.decide(new BrokerAnswers((short) 1, true, UNREADABLE,
                "ClusterAuthorizationException"))).isEqualTo(new Verdict.Offered());
    }

    @Test
    void kafkaThreeSevenToThreeNineOfferItOnlyWhereTheirProtocolsSaySo() {
        assertThat(decide((short) 0, false, Map.of(1, Optional.of("classic,consumer")))).isEqualTo(new Verdict.Offered());
        assertThat(decide((short) 0, false, Map.of(1, Optional.of("classic"))))
                .isEqualTo(new Verdict.Missing("broker 1 has group.coordinator.rebalance.protocols=classic"));
    }

    @Test
    void brokersBeforeThreeSevenDoNot() {
        assertThat(decide((short) 0, false, Map.of(1, Optional.empty())))
                .isEqualTo(new Verdict.Missing("broker 1 is older than Kafka 3.7"));
    }

    @Test
    void brokersBeforeFourWhoseSettingsCannotBeReadLeaveItUnknown() {
        assertThat(GroupProtocolSupportCheck.decide(new BrokerAnswers((short) 0, false, UNREADABLE,
                "ClusterAuthorizationException"))).isEqualTo(new Verdict.Unknown("brokers before Kafka 4.0, and their"
                        + " group.coordinator.rebalance.protocols could not be read: ClusterAuthorizationException"));
    }

    @Test
    void theRefusalNamesTheVariableAndBothWaysOut() {
        assertThat(GroupProtocolSupportCheck.refusal("broker 1 has group.coordinator.rebalance.protocols=classic"))
                .isEqualTo("The Kafka brokers do not offer the consumer group protocol (KIP-848) that"
                        + " KAFKA_GROUP_PROTOCOL=consumer (the default) asks for, as broker 1 has"
                        + " group.coordinator.rebalance.protocols=classic: set KAFKA_GROUP_PROTOCOL=classic, or enable"
                        + " the protocol on the brokers (Kafka 4.0+ offers it unless switched off; 3.7 to 3.9 with"
                        + " group.coordinator.rebalance.protocols=classic,consumer). Exiting.");
    }

    private static Verdict decide(short groupVersion, boolean knowsGroupVersion, Map<Integer, Optional<String>> protocols) {
        return GroupProtocolSupportCheck.decide(new BrokerAnswers(groupVersion, knowsGroupVersion, Optional.of(protocols), ""));
    }
}
