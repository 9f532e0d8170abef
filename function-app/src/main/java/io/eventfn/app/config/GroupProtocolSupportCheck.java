package io.eventfn.app.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.SupportedVersionRange;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Asks the brokers at start-up, through Kafka's Admin API, whether they offer the consumer group protocol (KIP-848)
 * that {@code KAFKA_GROUP_PROTOCOL=consumer}, the default, asks for. Without it Kafka leaves the member out of the
 * group for good: nothing is consumed and neither retrying nor waiting helps, while health would stay UP. So the app
 * says what to do in one line and exits 1, and Kubernetes shows a crash loop with the cause as the last log line.
 * <p>
 * The question runs on its own thread beside the consumer's start, never before it: the cold start does not wait.
 * What the brokers say, and what the app concludes:
 * <ul>
 * <li>Kafka 4.0+ switches the protocol on and off for the whole cluster with the {@code group.version} feature
 * ({@code describeFeatures}): a level below 1 means it is off.</li>
 * <li>Each broker can still leave it out of {@code group.coordinator.rebalance.protocols}, the only switch before 4.0
 * (3.7 to 3.9 offered it as early access and preview): read with {@code describeConfigs}, which needs the
 * DescribeConfigs permission on the cluster. A broker before 3.7 has no such setting, and no such protocol.</li>
 * <li>When the broker settings cannot be read (not allowed, timeout), a 4.0+ cluster with the feature on is taken at
 * its word; for older brokers the app cannot tell, says so in one WARN line and lets the consumer try.</li>
 * </ul>
 * The admin client gets exactly the settings every other Kafka client of the app gets (Quarkus's
 * {@code default-kafka-broker}: the {@code KAFKA_*} variables and the SASL login built from them).
 */
@ApplicationScoped
public class GroupProtocolSupportCheck {

    static final String FEATURE = "group.version";
    static final String BROKER_PROTOCOLS = "group.coordinator.rebalance.protocols";
    private static final long TIMEOUT_MS = 30_000;
    private static final Logger LOG = Logger.getLogger(GroupProtocolSupportCheck.class);

    /** What the brokers said about the protocol. */
    sealed interface Verdict {
        record Offered() implements Verdict {
        }

        record Missing(String why) implements Verdict {
        }

        record Unknown(String why) implements Verdict {
        }
    }

    /**
     * @param groupVersion      the cluster's finalized {@code group.version} level, 0 when not finalized
     * @param knowsGroupVersion whether the brokers can run {@code group.version} 1 (Kafka 4.0+)
     * @param brokerProtocols   each broker's {@code group.coordinator.rebalance.protocols} (empty Optional: a broker
     *                          without the setting), or nothing when they could not be read
     * @param unreadableBecause why the broker settings could not be read
     */
    record BrokerAnswers(short groupVersion, boolean knowsGroupVersion,
            Optional<Map<Integer, Optional<String>>> brokerProtocols, String unreadableBecause) {
    }

    static Verdict decide(BrokerAnswers answers) {
        if (answers.knowsGroupVersion() && answers.groupVersion() < 1) {
            return new Verdict.Missing("the cluster's " + FEATURE + " feature is " + answers.groupVersion()
                    + " (kafka-features.sh --bootstrap-server ... upgrade --feature " + FEATURE + "=1 enables it)");
        }
        if (answers.brokerProtocols().isPresent()) {
            for (Map.Entry<Integer, Optional<String>> broker : new TreeMap<>(answers.brokerProtocols().get()).entrySet()) {
                Optional<String> protocols = broker.getValue();
                if (protocols.isEmpty()) {
                    return new Verdict.Missing("broker " + broker.getKey() + " is older than Kafka 3.7");
                }
                if (Arrays.stream(protocols.get().split(",")).map(String::trim).noneMatch("consumer"::equalsIgnoreCase)) {
                    return new Verdict.Missing("broker " + broker.getKey() + " has " + BROKER_PROTOCOLS + "="
                            + protocols.get());
                }
            }
            return new Verdict.Offered();
        }
        if (answers.groupVersion() >= 1) {
            return new Verdict.Offered();
        }
        return new Verdict.Unknown("brokers before Kafka 4.0, and their " + BROKER_PROTOCOLS + " could not be read: "
                + answers.unreadableBecause());
    }

    static String refusal(String why) {
        return "The Kafka brokers do not offer the consumer group protocol (KIP-848) that KAFKA_GROUP_PROTOCOL=consumer"
                + " (the default) asks for, as " + why + ": set KAFKA_GROUP_PROTOCOL=classic, or enable the protocol on"
                + " the brokers (Kafka 4.0+ offers it unless switched off; 3.7 to 3.9 with " + BROKER_PROTOCOLS
                + "=classic,consumer). Exiting.";
    }

    /**
     * Right after {@link StartupSettingsCheck} (so the brokers are asked with settings already found good) and before
     * the messaging start-up creates the consumer (so the question runs beside the consumer's start, not after it).
     */
    void start(@Observes @Priority(StartupSettingsCheck.BEFORE_MESSAGING + 1) StartupEvent event, ConsumerSettings settings,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaClientDefaults) {
        if (settings.protocol() != GroupProtocol.CONSUMER) {
            return;
        }
        Map<String, Object> adminSettings = AdminSettings.from(kafkaClientDefaults,
                settings.groupId() + "-group-protocol-check");
        Thread question = new Thread(() -> askAndAct(adminSettings), "group-protocol-check");
        question.setDaemon(true);
        question.start();
    }

    private static void askAndAct(Map<String, Object> adminSettings) {
        Verdict verdict;
        Admin admin = null;
        try {
            admin = Admin.create(adminSettings);
            verdict = decide(ask(admin));
        } catch (RuntimeException | ExecutionException | TimeoutException e) {
            verdict = new Verdict.Unknown("the question failed: " + causeOf(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            if (admin != null) {
                // Not Admin.close(): it waits for calls still pending after a timeout.
                admin.close(Duration.ofSeconds(1));
            }
        }
        switch (verdict) {
            case Verdict.Missing missing -> {
                LOG.error(refusal(missing.why()));
                Quarkus.asyncExit(1);
            }
            case Verdict.Unknown unknown -> LOG.warnf("Could not learn whether the Kafka brokers offer the consumer"
                    + " group protocol (KIP-848) that KAFKA_GROUP_PROTOCOL=consumer (the default) asks for (%s): if"
                    + " the app gets no partitions and Kafka logs that the cluster does not support the new CONSUMER"
                    + " group protocol, set KAFKA_GROUP_PROTOCOL=classic.", unknown.why());
            case Verdict.Offered offered -> LOG.info("The Kafka brokers offer the consumer group protocol (KIP-848) that"
                    + " KAFKA_GROUP_PROTOCOL=consumer asks for.");
        }
    }

    private static BrokerAnswers ask(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        FeatureMetadata features = admin.describeFeatures().featureMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        FinalizedVersionRange finalized = features.finalizedFeatures().get(FEATURE);
        SupportedVersionRange supported = features.supportedFeatures().get(FEATURE);
        short groupVersion = finalized == null ? 0 : finalized.maxVersionLevel();
        boolean knowsGroupVersion = supported != null && supported.maxVersion() >= 1;
        if (knowsGroupVersion && groupVersion < 1) {
            return new BrokerAnswers(groupVersion, true, Optional.empty(), "not needed");
        }
        try {
            List<ConfigResource> brokers = admin.describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .stream().map(Node::idString).map(id -> new ConfigResource(ConfigResource.Type.BROKER, id)).toList();
            Map<Integer, Optional<String>> protocols = new HashMap<>();
            admin.describeConfigs(brokers).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).forEach((broker, config) ->
                    protocols.put(Integer.valueOf(broker.name()), Optional.ofNullable(config.get(BROKER_PROTOCOLS))
                            .map(ConfigEntry::value)));
            return new BrokerAnswers(groupVersion, knowsGroupVersion, Optional.of(protocols), "");
        } catch (ExecutionException | TimeoutException e) {
            return new BrokerAnswers(groupVersion, knowsGroupVersion, Optional.empty(), causeOf(e));
        }
    }

    /** The exception's kind, never its message: an authentication failure is logged once by the clients already. */
    private static String causeOf(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName();
    }
}
