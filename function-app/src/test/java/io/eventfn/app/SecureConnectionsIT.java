package io.eventfn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import io.eventfn.app.testing.AppUnderTest;
import io.eventfn.kafka.local.LocalKafkaBroker;
import io.eventfn.kafka.local.PackagedApp;
import io.eventfn.kafka.local.SecuredListener;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The packaged app against a secured broker: records flow over every supported mechanism and TLS mode, a broken
 * login or certificate leaves the app up and not ready with one clear line, and no secret ever reaches the log or
 * the HTTP endpoints.
 */
class SecureConnectionsIT {

    private static final Path WORK = Path.of("target", "it-work");
    private static final String STORE_PASSWORD = "Store-Secret-7f3a";
    private static final String SCRAM_512_PASSWORD = "Alice-Secret-512x";
    private static final String SCRAM_256_PASSWORD = "Sam-Secret-256y";
    /** Quotes, a backslash and a space: the JAAS line must escape them. */
    private static final String PLAIN_PASSWORD = "Pl\"ain\\Secret z";
    private static final List<String> SECRETS = List.of(STORE_PASSWORD, SCRAM_512_PASSWORD, SCRAM_256_PASSWORD, PLAIN_PASSWORD,
            "ain\\Secret", "ain\\\\Secret");

    private static LocalKafkaBroker broker;
    private static KafkaCompanion companion;
    private static final List<String> everythingTheAppsShowed = new ArrayList<>();
    private static final Map<PackagedApp, String> PORTS = new HashMap<>();

    @BeforeAll
    static void startBroker() {
        broker = LocalKafkaBroker.builder()
                .scramUser("alice", SCRAM_512_PASSWORD, "SCRAM-SHA-512")
                .scramUser("sam", SCRAM_256_PASSWORD, "SCRAM-SHA-256")
                .plainUser("paul", PLAIN_PASSWORD)
                .storePassword(STORE_PASSWORD)
                .maxHeap("512m")
                .build();
        broker.start();
        companion = new KafkaCompanion(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        if (companion != null) {
            companion.close();
        }
        if (broker != null) {
            broker.close();
        }
        // Everything every app of this class logged or answered, success and failure paths alike.
        String all = String.join("\n", everythingTheAppsShowed);
        assertThat(all).isNotEmpty();
        for (String secret : SECRETS) {
            assertThat(all).as("a secret in the app's log or endpoints").doesNotContain(secret);
        }
    }

    @Test
    void processesRecordsAndAsksTheBrokersOverSaslScramPlainTlsPemAndMutualTls() {
        List<Map<String, String>> modes = List.of(
                sasl("SCRAM-SHA-512", "alice", SCRAM_512_PASSWORD),
                sasl("SCRAM-SHA-256", "sam", SCRAM_256_PASSWORD),
                sasl("PLAIN", "paul", PLAIN_PASSWORD),
                tls(SecuredListener.SSL),
                pemTls(),
                tls(SecuredListener.MUTUAL_TLS));
        for (Map<String, String> environment : modes) {
            String run = UUID.randomUUID().toString().substring(0, 8);
            try (PackagedApp app = start(environment, run)) {
                produceOneOrder("in-" + run);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(endOffset("out-" + run))
                        .as("enriched over %s\n%s", environment.get("KAFKA_SECURITY_PROTOCOL"), app.output()).isEqualTo(1));
                await().atMost(Duration.ofSeconds(30)).until(() -> app.httpStatus("/q/health/ready") == 200);
                // The admin client that asks the brokers at start-up logged in with the same settings.
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(app.output())
                        .as("over %s", environment.get("KAFKA_SECURITY_PROTOCOL"))
                        .contains("The Kafka brokers offer the consumer group protocol"));
                collect(app);
            }
        }
    }

    @Test
    void wrongPasswordLeavesTheAppUpAndNotReadyWithOneLine() throws Exception {
        setAlicePassword("Rotated-Elsewhere-1");
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (PackagedApp app = start(sasl("SCRAM-SHA-512", "alice", SCRAM_512_PASSWORD), run)) {
            assertStaysUpNotReadyWithOneLine(app, "invalid credentials with SASL mechanism SCRAM-SHA-512");
            collect(app);
        } finally {
            setAlicePassword(SCRAM_512_PASSWORD);
        }
    }

    @Test
    @Disabled("Not yet: the consumer recovers (readiness UP again) but the output producer keeps refusing the write it failed during the bad login; see README, Secure connections")
    void recoversWithoutRestartWhenTheBrokerAcceptsThePasswordAgain() throws Exception {
        setAlicePassword("Rotated-Elsewhere-2");
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (PackagedApp app = start(sasl("SCRAM-SHA-512", "alice", SCRAM_512_PASSWORD), run)) {
            assertStaysUpNotReadyWithOneLine(app, "invalid credentials with SASL mechanism SCRAM-SHA-512");
            setAlicePassword(SCRAM_512_PASSWORD);
            await().atMost(Duration.ofSeconds(60)).until(() -> app.httpStatus("/q/health/ready") == 200);
            produceOneOrder("in-" + run);
            await().atMost(Duration.ofSeconds(60)).until(() -> endOffset("out-" + run) == 1);
            collect(app);
        } finally {
            setAlicePassword(SCRAM_512_PASSWORD);
        }
    }

    @Test
    void unknownUserUntrustedCertificateHostnameMismatchAndWrongProtocolEachGiveOneLine() {
        Map<String, String> unknownUser = sasl("SCRAM-SHA-512", "mallory", SCRAM_512_PASSWORD);
        Map<String, String> untrusted = tls(SecuredListener.SSL);
        untrusted.put("KAFKA_SSL_TRUSTSTORE_LOCATION", broker.tls().untrustedTruststore().toString());
        Map<String, String> wrongHostname = tls(SecuredListener.WRONG_HOSTNAME);
        Map<String, String> wrongProtocol = tls(SecuredListener.SSL);
        wrongProtocol.put("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
        List<PackagedApp> apps = new ArrayList<>();
        try {
            for (Map<String, String> environment : List.of(unknownUser, untrusted, wrongHostname, wrongProtocol)) {
                apps.add(start(environment, UUID.randomUUID().toString().substring(0, 8)));
            }
            assertStaysUpNotReadyWithOneLine(apps.get(0), "invalid credentials with SASL mechanism SCRAM-SHA-512");
            assertStaysUpNotReadyWithOneLine(apps.get(1), "SSL handshake failed");
            assertStaysUpNotReadyWithOneLine(apps.get(2), "SSL handshake failed");
            assertStaysUpNotReadyWithOneLine(apps.get(3), "disconnected");
        } finally {
            apps.forEach(app -> {
                collect(app);
                app.close();
            });
        }
    }

    /**
     * Up, not ready, and the cause once per client at most (consumer, producer, and the admin clients that ask for the
     * group protocol and for the committed lag): not once per reconnect attempt.
     */
    private static void assertStaysUpNotReadyWithOneLine(PackagedApp app, String cause) {
        await().atMost(Duration.ofSeconds(60)).until(() -> app.output().contains(cause) || !app.isAlive());
        // Long enough for a dozen reconnect attempts at Kafka's default backoff.
        await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(20))
                .until(() -> app.httpStatus("/q/health/ready") == 503 || !app.isAlive());
        assertThat(app.isAlive()).as("still running\n%s", app.output()).isTrue();
        // Once from each client that failed (the consumer's in the connector's first poll failure): not once per
        // reconnect, which at Kafka's backoff would be dozens.
        assertThat(linesNaming(app.output(), cause)).as("lines naming %s\n%s", cause, app.output()).isBetween(1L, 4L);
    }

    private static PackagedApp start(Map<String, String> security, String run) {
        broker.createTopic("in-" + run, 1);
        broker.createTopic("out-" + run, 1);
        broker.createTopic("dlq-" + run, 1);
        Map<String, String> environment = AppUnderTest.environment(security.get("KAFKA_BOOTSTRAP_SERVERS"));
        environment.putAll(security);
        environment.put("INPUT_TOPICS", "in-" + run);
        environment.put("OUTPUT_TOPIC", "out-" + run);
        environment.put("DLQ_TOPIC", "dlq-" + run);
        environment.put("KAFKA_GROUP_ID", "group-" + run);
        PackagedApp app = AppUnderTest.start(environment, WORK);
        PORTS.put(app, environment.get("QUARKUS_HTTP_PORT"));
        return app;
    }

    private static Map<String, String> tls(SecuredListener listener) {
        Map<String, String> environment = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(listener),
                "KAFKA_SECURITY_PROTOCOL", listener.securityProtocol(),
                "KAFKA_SSL_TRUSTSTORE_LOCATION", broker.tls().truststore().toString(),
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", STORE_PASSWORD,
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12"));
        if (listener == SecuredListener.MUTUAL_TLS) {
            environment.put("KAFKA_SSL_KEYSTORE_LOCATION", broker.tls().clientKeystore().toString());
            environment.put("KAFKA_SSL_KEYSTORE_PASSWORD", STORE_PASSWORD);
            environment.put("KAFKA_SSL_KEYSTORE_TYPE", "PKCS12");
        }
        return environment;
    }

    private static Map<String, String> pemTls() {
        Map<String, String> environment = tls(SecuredListener.SSL);
        environment.put("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
        environment.put("KAFKA_SSL_TRUSTSTORE_LOCATION", broker.tls().caCertificatePem().toString());
        environment.remove("KAFKA_SSL_TRUSTSTORE_PASSWORD");
        return environment;
    }

    private static Map<String, String> sasl(String mechanism, String user, String password) {
        Map<String, String> environment = tls(SecuredListener.SASL_SSL);
        environment.put("KAFKA_SASL_MECHANISM", mechanism);
        environment.put("KAFKA_SASL_USERNAME", user);
        environment.put("KAFKA_SASL_PASSWORD", password);
        return environment;
    }

    private static void setAlicePassword(String password) throws Exception {
        try (Admin admin = Admin.create(broker.clientProperties())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("alice",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void produceOneOrder(String topic) {
        String value = "{\"orderId\":\"o-1\",\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\","
                + "\"quantity\":1,\"unitPrice\":1.5}]}";
        companion.produce(Serdes.ByteArray(), Serdes.ByteArray())
                .fromRecords(new ProducerRecord<>(topic, "o-1".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)))
                .awaitCompletion(Duration.ofSeconds(30));
    }

    private static long endOffset(String topic) {
        return companion.offsets().get(new TopicPartition(topic, 0), OffsetSpec.latest()).offset();
    }

    private static void collect(PackagedApp app) {
        for (String path : List.of("/q/health", "/q/health/ready", "/q/health/live", "/q/metrics")) {
            everythingTheAppsShowed.add(body(app, path));
        }
        everythingTheAppsShowed.add(app.output());
    }

    private static String body(PackagedApp app, String path) {
        String port = portOf(app);
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String portOf(PackagedApp app) {
        return PORTS.getOrDefault(app, "0");
    }

    /** Log lines, not occurrences: a logged exception repeats its cause in its chain. */
    private static long linesNaming(String log, String cause) {
        return log.lines().filter(line -> !line.startsWith("\t") && !line.startsWith("Caused by")).filter(line -> line.contains(cause)).count();
    }
}
