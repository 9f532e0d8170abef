package io.eventfn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.eventfn.kafka.local.LoopbackPort;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * {@code ./mvnw quarkus:dev} in the repository root, as the README says, with nothing else: dev mode starts the
 * project's own broker, creates the topics, the app enriches orders through it, a forced restart (live reload) keeps
 * the same broker, and stopping dev mode stops the broker. Runs Maven and dev mode for real, so it takes a minute or two: only with {@code -Ddev.mode.it=true}.
 */
class DevModeIT {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Duration START = Duration.ofMinutes(5);
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Pattern BROKER_LINE = Pattern.compile("Dev mode: local Kafka broker at (127\\.0\\.0\\.1:\\d+) \\(pid (\\d+)");
    private static final String STARTING_LINE = "starting a local Kafka broker";

    @Test
    void devModeStartsReusesAcrossALiveReloadAndStopsItsOwnBroker() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("dev.mode.it"),
                "runs Maven's quarkus:dev for real (a minute or two): enable with -Ddev.mode.it=true");
        Path log = Files.createTempFile(Files.createDirectories(Path.of("target", "it-work")), "dev-mode-", ".log");
        int httpPort = LoopbackPort.free();
        ProcessBuilder builder = new ProcessBuilder(REPOSITORY.resolve("mvnw").toString(), "-B", "quarkus:dev",
                "-Dquarkus.http.port=" + httpPort, "-Ddebug=false",
                "-Dquarkus.analytics.disabled=true", "-Dquarkus.test.continuous-testing=disabled")
                .directory(REPOSITORY.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("KAFKA_BOOTSTRAP_SERVERS");
        Process maven = builder.start();
        List<ProcessHandle> started = new ArrayList<>();
        try (OutputStream console = maven.getOutputStream()) {
            BrokerLine first = await().atMost(START).pollInterval(Duration.ofSeconds(1))
                    .until(() -> brokerLines(log), lines -> {
                        assertThat(maven.isAlive()).as("Maven runs dev mode; its log: %s", log).isTrue();
                        return !lines.isEmpty() && listening(log);
                    }).get(0);
            String bootstrapServers = first.bootstrapServers();
            ProcessHandle broker = ProcessHandle.of(first.pid()).orElseThrow();
            ProcessHandle devJvm = broker.parent().orElseThrow();
            started.add(broker);
            started.add(devJvm);
            assertThat(maven.descendants()).as("the broker runs under this Maven run").contains(broker, devJvm);

            try (KafkaCompanion companion = new KafkaCompanion(bootstrapServers)) {
                assertEnriched(companion, "dev-1", 1);

                // 's' on dev mode's console forces a restart: the build steps run again, as on a live reload.
                console.write("s\n".getBytes(StandardCharsets.US_ASCII));
                console.flush();
                BrokerLine second = await().atMost(DEADLINE).pollInterval(Duration.ofSeconds(1))
                        .until(() -> brokerLines(log), lines -> lines.size() >= 2).get(1);
                assertThat(second).as("the same broker after the restart").isEqualTo(first);
                assertThat(Files.readString(log).split(STARTING_LINE, -1)).as("one broker started").hasSize(2);
                assertEnriched(companion, "dev-2", 2);
            }

            devJvm.destroy();
            assertThat(maven.waitFor(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                    .as("Maven ends with dev mode; its log: %s", log).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> !broker.isAlive());
        } finally {
            started.forEach(ProcessHandle::destroyForcibly);
            maven.descendants().forEach(ProcessHandle::destroyForcibly);
            maven.destroyForcibly();
        }
    }

    /** Produces one order and waits until the output topic (new with this broker) holds {@code outputs} records. */
    private static void assertEnriched(KafkaCompanion companion, String orderId, int outputs) {
        companion.produce(Serdes.ByteArray(), Serdes.ByteArray()).fromRecords(new ProducerRecord<>("orders",
                orderId.getBytes(StandardCharsets.UTF_8), ("{\"orderId\":\"" + orderId + "\",\"customerId\":\"c-7\","
                        + "\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A-1\",\"quantity\":2,\"unitPrice\":9.99}]}")
                        .getBytes(StandardCharsets.UTF_8)))
                .awaitCompletion(DEADLINE);
        assertThat(companion.consumeStrings().fromTopics("orders-enriched", outputs).awaitCompletion(DEADLINE)
                .getRecords()).anySatisfy(record -> assertThat(record.value())
                        .contains("\"orderId\":\"" + orderId + "\"", "\"total\":\"19.98\""));
    }

    private static boolean listening(Path log) {
        return read(log).contains("Listening on");
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One "local Kafka broker at" line of the dev-mode log. */
    private record BrokerLine(String bootstrapServers, long pid) {
    }

    private static List<BrokerLine> brokerLines(Path log) {
        List<BrokerLine> lines = new ArrayList<>();
        Matcher matcher = BROKER_LINE.matcher(read(log));
        while (matcher.find()) {
            lines.add(new BrokerLine(matcher.group(1), Long.parseLong(matcher.group(2))));
        }
        return lines;
    }
}
