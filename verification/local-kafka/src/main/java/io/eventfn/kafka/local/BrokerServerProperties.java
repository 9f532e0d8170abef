package io.eventfn.kafka.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code server.properties} of the local broker: one node that is both broker and controller,
 * listening on 127.0.0.1 only, with defaults chosen for tests.
 */
final class BrokerServerProperties {

    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int NODE_ID = 1;

    private BrokerServerProperties() {
    }

    /**
     * Defaults for a single-node test broker. Callers override any of them, listeners included
     * (a secured mode adds an SSL or SASL listener through {@code listeners},
     * {@code advertised.listeners} and {@code listener.security.protocol.map}).
     */
    static Map<String, String> defaults(int port, int controllerPort, Path logDir) {
        String broker = BROKER_LISTENER + "://127.0.0.1:" + port;
        String controller = CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort;
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", String.valueOf(NODE_ID));
        // A static voter set, not a --standalone dynamic quorum: the controller's address then comes
        // from this file at every start, so a data dir keeps working when its ports change.
        properties.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        properties.put("listeners", broker + "," + controller);
        properties.put("advertised.listeners", broker);
        properties.put("controller.listener.names", CONTROLLER_LISTENER);
        properties.put("inter.broker.listener.name", BROKER_LISTENER);
        properties.put("listener.security.protocol.map", CONTROLLER_LISTENER + ":PLAINTEXT," + BROKER_LISTENER + ":PLAINTEXT");
        properties.put("log.dirs", logDir.toString());
        // One node: every internal topic can have one replica only.
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        // Kafka's 50 partitions each would make the first group join and the first transaction wait
        // while the broker creates them; one is plenty on one node.
        properties.put("offsets.topic.num.partitions", "1");
        properties.put("transaction.state.log.num.partitions", "1");
        // Tests start a consumer and expect it to get partitions at once; a cold-start benchmark sets
        // Kafka's default of 3000 back.
        properties.put("group.initial.rebalance.delay.ms", "0");
        // After kill() the restarted controller refuses the broker's new registration until the old
        // session expires: 3 s instead of Kafka's 9 s keeps fault tests short. Heartbeats stay in-process.
        properties.put("broker.heartbeat.interval.ms", "500");
        properties.put("broker.session.timeout.ms", "3000");
        // A typo in a topic name should fail a test, not create an empty topic.
        properties.put("auto.create.topics.enable", "false");
        properties.put("num.partitions", "1");
        return properties;
    }

    /**
     * The {@link SecuredListener}s on their ports, TLS from the stores in {@code tlsDir}, SASL with SCRAM-SHA-512,
     * SCRAM-SHA-256 and PLAIN. Inter-broker and controller traffic stay on the plaintext loopback listeners.
     */
    static void addSecuredListeners(Map<String, String> properties, Map<SecuredListener, Integer> ports, Path tlsDir,
            String storePassword, List<SaslUser> users) {
        StringBuilder listeners = new StringBuilder(properties.get("listeners"));
        StringBuilder advertised = new StringBuilder(properties.get("advertised.listeners"));
        StringBuilder protocols = new StringBuilder(properties.get("listener.security.protocol.map"));
        for (SecuredListener listener : SecuredListener.values()) {
            String address = listener.listenerName() + "://127.0.0.1:" + ports.get(listener);
            listeners.append(',').append(address);
            advertised.append(',').append(address);
            protocols.append(',').append(listener.listenerName()).append(':').append(listener.securityProtocol());
        }
        properties.put("listeners", listeners.toString());
        properties.put("advertised.listeners", advertised.toString());
        properties.put("listener.security.protocol.map", protocols.toString());

        properties.put("ssl.keystore.location", tlsDir.resolve("broker.p12").toString());
        properties.put("ssl.keystore.password", storePassword);
        properties.put("ssl.keystore.type", BrokerTls.STORE_TYPE);
        properties.put("ssl.truststore.location", tlsDir.resolve("truststore.p12").toString());
        properties.put("ssl.truststore.password", storePassword);
        properties.put("ssl.truststore.type", BrokerTls.STORE_TYPE);
        String mtls = "listener.name." + SecuredListener.MUTUAL_TLS.listenerName().toLowerCase(Locale.ROOT) + ".";
        properties.put(mtls + "ssl.client.auth", "required");
        String wrongHost = "listener.name." + SecuredListener.WRONG_HOSTNAME.listenerName().toLowerCase(Locale.ROOT) + ".";
        properties.put(wrongHost + "ssl.keystore.location", tlsDir.resolve("wrong-hostname.p12").toString());
        properties.put(wrongHost + "ssl.keystore.password", storePassword);
        properties.put(wrongHost + "ssl.keystore.type", BrokerTls.STORE_TYPE);

        String sasl = "listener.name." + SecuredListener.SASL_SSL.listenerName().toLowerCase(Locale.ROOT) + ".";
        String mechanisms = String.join(",", SaslUser.MECHANISMS);
        properties.put("sasl.enabled.mechanisms", mechanisms);
        properties.put(sasl + "sasl.enabled.mechanisms", mechanisms);
        properties.put(sasl + "scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        properties.put(sasl + "scram-sha-256.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        String plainUsers = users.stream().filter(user -> user.mechanism().equals("PLAIN"))
                .map(user -> " user_" + user.name() + "=" + SaslUser.quote(user.password()))
                .collect(Collectors.joining());
        properties.put(sasl + "plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required" + plainUsers + ";");
    }

    static void write(Map<String, String> properties, Path file) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("# Written by io.eventfn.kafka.local.LocalKafkaBroker at every start; edits are overwritten.\n");
            for (Map.Entry<String, String> entry : properties.entrySet()) {
                out.write(escape(entry.getKey()) + "=" + escape(entry.getValue()) + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the broker configuration " + file, e);
        }
    }

    /** Backslashes (Windows paths, JAAS configs) must survive java.util.Properties parsing. */
    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
