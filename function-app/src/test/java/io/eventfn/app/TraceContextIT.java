package io.eventfn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.eventfn.app.testing.AppUnderTest;
import io.eventfn.app.testing.SharedBroker;
import io.eventfn.kafka.local.LocalKafkaBroker;
import io.eventfn.kafka.local.LoopbackPort;
import io.eventfn.kafka.local.PackagedApp;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * A W3C trace context on an input record reaches its output and its dead letter: copied as it is by default, and
 * continued by a {@code process} span exported over OTLP when the OpenTelemetry SDK is switched on.
 */
class TraceContextIT {

    private static final Path WORK = Path.of("target", "it-work");
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01";

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
    void copiesTheInputsTraceContextToItsOutputAndKeepsItOnItsDeadLetterWhenTracingIsOff() {
        Run run = new Run();
        try (PackagedApp app = AppUnderTest.start(run.environment(), WORK)) {
            run.produceAnOrderAndAPoisonRecord();

            ConsumerRecord<byte[], byte[]> output = run.oneRecordOf(run.output);
            assertThat(header(output.headers(), "traceparent")).isEqualTo(TRACEPARENT);
            assertThat(header(output.headers(), "tracestate")).isEqualTo("vendor=value");
            assertThat(header(output.headers(), "baggage")).isEqualTo("tenant=t-1");
            ConsumerRecord<byte[], byte[]> deadLetter = run.oneRecordOf(run.deadLetter);
            assertThat(header(deadLetter.headers(), "traceparent")).isEqualTo(TRACEPARENT);
            assertThat(app.output()).doesNotContain("ERROR");
        }
    }

    @Test
    void continuesTheTraceWithAProcessSpanExportedOverOtlpWhenTheSdkIsOn() throws IOException {
        List<byte[]> exported = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", LoopbackPort.free()), 0);
        collector.createContext("/v1/traces", exchange -> {
            exported.add(readAll(exchange.getRequestBody()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        Run run = new Run();
        Map<String, String> environment = run.environment();
        environment.put("QUARKUS_OTEL_SDK_DISABLED", "false");
        environment.put("QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        environment.put("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort());
        environment.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms");
        try (PackagedApp app = AppUnderTest.start(environment, WORK)) {
            run.produceAnOrderAndAPoisonRecord();

            ConsumerRecord<byte[], byte[]> output = run.oneRecordOf(run.output);
            String[] traceparent = header(output.headers(), "traceparent").split("-");
            assertThat(traceparent[1]).as("the output continues the input's trace").isEqualTo(TRACE_ID);
            assertThat(traceparent[2]).as("as a child of the app's process span").isNotEqualTo(PARENT_SPAN_ID);
            assertThat(header(output.headers(), "baggage")).isEqualTo("tenant=t-1");
            ConsumerRecord<byte[], byte[]> deadLetter = run.oneRecordOf(run.deadLetter);
            assertThat(header(deadLetter.headers(), "traceparent")).as("a dead letter is the source as it is")
                    .isEqualTo(TRACEPARENT);

            byte[] traceId = HexFormat.of().parseHex(TRACE_ID);
            byte[] spanId = HexFormat.of().parseHex(traceparent[2]);
            byte[] name = (run.input + " process").getBytes(StandardCharsets.UTF_8);
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(exported)
                    .as("an OTLP export holding the process span: its trace id, its span id and its name")
                    .anySatisfy(body -> {
                        assertThat(contains(body, traceId)).isTrue();
                        assertThat(contains(body, spanId)).isTrue();
                        assertThat(contains(body, name)).isTrue();
                    }));
        } finally {
            collector.stop(0);
        }
    }

    /** One run's topics and group. */
    private static final class Run {
        final String id = UUID.randomUUID().toString().substring(0, 8);
        final String input = "trace-in-" + id;
        final String output = "trace-out-" + id;
        final String deadLetter = "trace-dlq-" + id;

        Run() {
            broker.createTopic(input, 1);
            broker.createTopic(output, 1);
            broker.createTopic(deadLetter, 1);
        }

        Map<String, String> environment() {
            Map<String, String> environment = AppUnderTest.environment(broker.bootstrapServers());
            environment.put("INPUT_TOPICS", input);
            environment.put("OUTPUT_TOPIC", output);
            environment.put("DLQ_TOPIC", deadLetter);
            environment.put("KAFKA_GROUP_ID", "group-" + id);
            return environment;
        }

        void produceAnOrderAndAPoisonRecord() {
            String order = "{\"orderId\":\"o-" + id + "\",\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[{\"sku\":"
                    + "\"A\",\"quantity\":1,\"unitPrice\":1.5}]}";
            companion.produce(Serdes.ByteArray(), Serdes.ByteArray())
                    .fromRecords(record(order), record("not json"))
                    .awaitCompletion(DEADLINE);
        }

        ProducerRecord<byte[], byte[]> record(String value) {
            Headers headers = new RecordHeaders();
            headers.add("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8));
            headers.add("tracestate", "vendor=value".getBytes(StandardCharsets.UTF_8));
            headers.add("baggage", "tenant=t-1".getBytes(StandardCharsets.UTF_8));
            return new ProducerRecord<>(input, null, id.getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8), headers);
        }

        ConsumerRecord<byte[], byte[]> oneRecordOf(String topic) {
            return companion.consume(Serdes.ByteArray(), Serdes.ByteArray()).fromTopics(topic, 1)
                    .awaitCompletion(DEADLINE).getFirstRecord();
        }
    }

    private static String header(Headers headers, String key) {
        var header = headers.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toByteArray();
    }
}
