package io.eventfn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.eventfn.app.testing.AppUnderTest;
import io.eventfn.app.testing.SharedBroker;
import io.eventfn.kafka.local.LocalKafkaBroker;
import io.eventfn.kafka.local.PackagedApp;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The packaged app (jar, or native binary with -Dnative) run as a user runs it: environment variables only, real
 * process, real signals.
 */
class PackagedAppIT {

    private static final Path WORK = Path.of("target", "it-work");
    private static final Duration FAIL_FAST = Duration.ofSeconds(10);

    private static LocalKafkaBroker broker;
    private static KafkaCompanion companion;

    @BeforeAll
    static void startBroker() {
        broker = SharedBroker.get();
        companion = new KafkaCompanion(broker.bootstrapServers());
    }

    @AfterAll
    static void closeCompanion() {
        companion.close();
    }

    @Test
    void exitsWithinTenSecondsNamingTheVariableWhenBootstrapServersIsMissing() {
        Map<String, String> environment = AppUnderTest.environment("unused");
        environment.remove("KAFKA_BOOTSTRAP_SERVERS");
        try (PackagedApp app = AppUnderTest.start(environment, WORK)) {
            int exitCode = app.awaitExit(FAIL_FAST);
            assertThat(exitCode).isNotZero();
            assertThat(app.output()).contains("KAFKA_BOOTSTRAP_SERVERS is not set").doesNotContain("localhost:9092");
        }
    }

    @Test
    void exitsWithinTenSecondsNamingTheAllowedValuesWhenTheGuaranteeIsUnknown() {
        Map<String, String> environment = AppUnderTest.environment(broker.bootstrapServers());
        environment.put("PROCESSING_GUARANTEE", "at-most-once");
        try (PackagedApp app = AppUnderTest.start(environment, WORK)) {
            int exitCode = app.awaitExit(FAIL_FAST);
            assertThat(exitCode).isNotZero();
            assertThat(app.output()).contains("PROCESSING_GUARANTEE='at-most-once'", "at-least-once", "exactly-once");
        }
    }

    @Test
    void exitsNamingTheVariableAndTheWaysOutWhenTheConsumerProtocolMeetsAClientSessionTimeout() {
        Map<String, String> environment = AppUnderTest.environment(broker.bootstrapServers());
        environment.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
        try (PackagedApp app = AppUnderTest.start(environment, WORK)) {
            int exitCode = app.awaitExit(FAIL_FAST);
            assertThat(exitCode).isNotZero();
            assertThat(app.output())
                    .contains("KAFKA_SESSION_TIMEOUT_MS is set, but KAFKA_GROUP_PROTOCOL=consumer (the default)",
                            "group.consumer.session.timeout.ms",
                            "Remove KAFKA_SESSION_TIMEOUT_MS, or set KAFKA_GROUP_PROTOCOL=classic.")
                    .doesNotContain("ConfigException");
        }
    }

    @Test
    void exitsNamingTheAllowedValuesWhenTheGroupProtocolIsUnknown() {
        Map<String, String> environment = AppUnderTest.environment(broker.bootstrapServers());
        environment.put("KAFKA_GROUP_PROTOCOL", "cooperative");
        try (PackagedApp app = AppUnderTest.start(environment, WORK)) {
            int exitCode = app.awaitExit(FAIL_FAST);
            assertThat(exitCode).isNotZero();
            assertThat(app.output()).contains("KAFKA_GROUP_PROTOCOL='cooperative' is not supported: set it to consumer")
                    .contains("or classic.");
        }
    }

    /**
     * Brokers without the consumer group protocol (before Kafka 4.0, or with it switched off as here): Kafka leaves
     * the member out of the group for good, so the app, having asked the brokers at start-up, says what to do in one
     * line and exits 1 instead of running on healthy-looking and consuming nothing. The consumer starts beside the
     * question, so Kafka may also say it once in its own words (the consumer's heartbeat, the connector's poll).
     */
    @Test
    void exitsOneNamingKafkaGroupProtocolClassicWhenTheBrokersDoNotOfferTheConsumerProtocol() {
        try (LocalKafkaBroker classicOnly = LocalKafkaBroker.builder()
                .serverProperty("group.coordinator.rebalance.protocols", "classic").build()) {
            classicOnly.start();
            classicOnly.createTopic("orders", 1);
            Map<String, String> environment = AppUnderTest.environment(classicOnly.bootstrapServers());
            try (PackagedApp app = AppUnderTest.start(environment, WORK)) {
                assertThat(app.awaitExit(Duration.ofSeconds(30))).as("exit code").isEqualTo(1);
                List<String> aboutTheProtocol = app.output().lines().filter(line -> line.contains("group protocol"))
                        .toList();
                assertThat(aboutTheProtocol).as("the app's lines about the group protocol")
                        .filteredOn(line -> line.contains("GroupProtocolSupportCheck")).singleElement().asString()
                        .contains("ERROR", "do not offer the consumer group protocol",
                                "broker 1 has group.coordinator.rebalance.protocols=classic",
                                "set KAFKA_GROUP_PROTOCOL=classic");
                assertThat(aboutTheProtocol).as("Kafka's own lines about it: the consumer's heartbeat, the connector's poll")
                        .filteredOn(line -> !line.contains("GroupProtocolSupportCheck")).hasSizeLessThanOrEqualTo(2);
            }
        }
    }

    @ParameterizedTest(name = "KAFKA_GROUP_PROTOCOL={0}")
    @ValueSource(strings = { "consumer", "classic" })
    void drainsTheInputAndExitsZeroOnSigterm(String groupProtocol) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String input = "it-orders-" + run;
        String output = "it-enriched-" + run;
        String deadLetter = "it-dlq-" + run;
        broker.createTopic(input, 3);
        broker.createTopic(output, 3);
        broker.createTopic(deadLetter, 1);
        int count = 2_000;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = run + "-" + i;
            String value = i % 50 == 0 ? "not json" // 40 poison records
                    : "{\"orderId\":\"" + id + "\",\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\","
                            + "\"quantity\":1,\"unitPrice\":1.5}]}";
            records.add(new ProducerRecord<>(input, id.getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8)));
        }
        companion.produce(Serdes.ByteArray(), Serdes.ByteArray()).fromRecords(records)
                .awaitCompletion(Duration.ofSeconds(60));

        Map<String, String> environment = AppUnderTest.environment(broker.bootstrapServers());
        environment.put("INPUT_TOPICS", input);
        environment.put("OUTPUT_TOPIC", output);
        environment.put("DLQ_TOPIC", deadLetter);
        environment.put("KAFKA_GROUP_ID", "group-" + run);
        environment.put("KAFKA_GROUP_PROTOCOL", groupProtocol);
        if (groupProtocol.equals("classic")) {
            // The client's own timings are the classic protocol's, and accepted with it.
            environment.put("KAFKA_SESSION_TIMEOUT_MS", "10000");
        }
        try (PackagedApp app = AppUnderTest.start(environment, WORK)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> app.httpStatus("/q/health/ready") == 200);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> endOffsets(output, 3) + endOffsets(deadLetter, 1) >= count);

            app.sigterm();
            assertThat(app.awaitExit(Duration.ofSeconds(30))).as("exit code after SIGTERM").isZero();
            assertThat(app.output()).doesNotContain("ERROR");
        }
        assertThat(endOffsets(output, 3)).as("enriched").isEqualTo(count - count / 50);
        assertThat(endOffsets(deadLetter, 1)).as("dead-lettered").isEqualTo(count / 50);
        var committed = companion.consumerGroups().offsets("group-" + run);
        for (int p = 0; p < 3; p++) {
            TopicPartition partition = new TopicPartition(input, p);
            assertThat(committed.get(partition).offset()).as("committed offset of %s", partition)
                    .isEqualTo(companion.offsets().get(partition, OffsetSpec.latest()).offset());
        }
    }

    private static long endOffsets(String topic, int partitions) {
        long total = 0;
        for (int p = 0; p < partitions; p++) {
            total += companion.offsets().get(new TopicPartition(topic, p), OffsetSpec.latest()).offset();
        }
        return total;
    }
}
