package io.eventfn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

import io.eventfn.app.testing.LocalKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Every enrichment and rejection rule, end to end through the real broker: what lands on the output topic and the
 * dead-letter topic, byte for byte, and that the group has no lag left afterwards.
 */
@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
class OrderEnrichmentThroughKafkaTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @InjectKafkaCompanion
    KafkaCompanion companion;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void enrichesValidOrdersDeadLettersInvalidOnesAndSkipsTombstones() {
        Map<String, String> valid = new LinkedHashMap<>();
        valid.put(id("example"), order(id("example"), "c-7", "EUR", line("A-1", "2", "9.99")));
        valid.put(id("half-even-down"), order(id("half-even-down"), "c-1", "USD", line("X", "1", "0.125")));
        valid.put(id("half-even-up"), order(id("half-even-up"), "c-1", "USD", line("X", "1", "0.135")));
        valid.put(id("binary-float-trap"), order(id("binary-float-trap"), "c-1", "USD",
                line("X", "3", "0.1") + "," + line("Y", "1", "0.2")));
        valid.put(id("big"), order(id("big"), "c-1", "JPY", line("X", "12345678901234567890", "1e2")));
        valid.put(id("unknown-fields"), "{\"orderId\":\"" + id("unknown-fields") + "\",\"note\":{\"a\":[1,2]},"
                + "\"customerId\":\"c-9\",\"currency\":\"GBP\",\"lines\":[{\"sku\":\"S\",\"quantity\":1,"
                + "\"unitPrice\":0,\"extra\":true}]}");

        Map<String, String> expectedOutput = new LinkedHashMap<>();
        expectedOutput.put(id("example"), enriched(id("example"), "c-7", "EUR", 1, "2", "19.98"));
        expectedOutput.put(id("half-even-down"), enriched(id("half-even-down"), "c-1", "USD", 1, "1", "0.12"));
        expectedOutput.put(id("half-even-up"), enriched(id("half-even-up"), "c-1", "USD", 1, "1", "0.14"));
        expectedOutput.put(id("binary-float-trap"), enriched(id("binary-float-trap"), "c-1", "USD", 2, "4", "0.50"));
        expectedOutput.put(id("big"), enriched(id("big"), "c-1", "JPY", 1, "12345678901234567890",
                "1234567890123456789000.00"));
        expectedOutput.put(id("unknown-fields"), enriched(id("unknown-fields"), "c-9", "GBP", 1, "1", "0.00"));

        // key -> (value, field the dead-letter reason must name)
        Map<String, Rejected> invalid = new LinkedHashMap<>();
        invalid.put(id("not-json"), new Rejected("{\"orderId\":", "json"));
        invalid.put(id("not-object"), new Rejected("[1,2,3]", "object"));
        invalid.put(id("missing-order-id"), new Rejected(
                "{\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[" + line("A", "1", "1") + "]}", "orderId"));
        invalid.put(id("empty-customer"), new Rejected(order("o", "", "EUR", line("A", "1", "1")), "customerId"));
        invalid.put(id("numeric-customer"), new Rejected(
                "{\"orderId\":\"o\",\"customerId\":7,\"currency\":\"EUR\",\"lines\":[" + line("A", "1", "1") + "]}",
                "customerId"));
        invalid.put(id("lowercase-currency"), new Rejected(order("o", "c", "eur", line("A", "1", "1")), "currency"));
        invalid.put(id("long-currency"), new Rejected(order("o", "c", "EURO", line("A", "1", "1")), "currency"));
        invalid.put(id("empty-lines"), new Rejected("{\"orderId\":\"o\",\"customerId\":\"c\",\"currency\":\"EUR\","
                + "\"lines\":[]}", "lines"));
        invalid.put(id("lines-not-array"), new Rejected("{\"orderId\":\"o\",\"customerId\":\"c\",\"currency\":\"EUR\","
                + "\"lines\":{}}", "lines"));
        invalid.put(id("missing-sku"), new Rejected(
                order("o", "c", "EUR", "{\"quantity\":1,\"unitPrice\":1}"), "sku"));
        invalid.put(id("zero-quantity"), new Rejected(order("o", "c", "EUR", line("A", "0", "1")), "quantity"));
        invalid.put(id("fractional-quantity"), new Rejected(order("o", "c", "EUR", line("A", "1.5", "1")),
                "quantity"));
        invalid.put(id("negative-price"), new Rejected(order("o", "c", "EUR", line("A", "1", "-0.01")), "unitPrice"));
        invalid.put(id("string-price"), new Rejected(order("o", "c", "EUR", line("A", "1", "\"9.99\"")), "unitPrice"));

        byte[] notUtf8 = { '{', '"', 'o', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}' };
        String notUtf8Key = id("not-utf8");
        String tombstoneKey = id("tombstone");

        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        valid.forEach((key, value) -> records.add(record(key, utf8(value))));
        invalid.forEach((key, rejected) -> records.add(record(key, utf8(rejected.value()))));
        ProducerRecord<byte[], byte[]> withHeader = record(notUtf8Key, notUtf8);
        withHeader.headers().add(new RecordHeader("trace-id", utf8("t-1")));
        records.add(withHeader);
        records.add(record(tombstoneKey, null));

        companion.produce(Serdes.ByteArray(), Serdes.ByteArray()).fromRecords(records).awaitCompletion(DEADLINE);

        List<ConsumerRecord<byte[], byte[]>> outputs = awaitOurs(LocalKafkaResource.OUTPUT, expectedOutput.size());
        List<ConsumerRecord<byte[], byte[]>> deadLetters = awaitOurs(LocalKafkaResource.DEAD_LETTER,
                invalid.size() + 1);
        awaitNoLag();

        assertThat(outputs).extracting(r -> text(r.key())).containsExactlyInAnyOrderElementsOf(expectedOutput.keySet());
        for (ConsumerRecord<byte[], byte[]> output : outputs) {
            assertThat(text(output.value())).as("output for %s", text(output.key()))
                    .isEqualTo(expectedOutput.get(text(output.key())));
        }

        Map<String, ConsumerRecord<byte[], byte[]>> byKey = deadLetters.stream()
                .collect(Collectors.toMap(r -> text(r.key()), r -> r));
        assertThat(byKey.keySet()).containsExactlyInAnyOrderElementsOf(
                concat(invalid.keySet(), List.of(notUtf8Key)));
        invalid.forEach((key, rejected) -> {
            ConsumerRecord<byte[], byte[]> deadLetter = byKey.get(key);
            assertThat(text(deadLetter.value())).as("dead letter value of %s", key).isEqualTo(rejected.value());
            assertThat(header(deadLetter, "dead-letter-reason")).as("reason for %s", key)
                    .containsIgnoringCase(rejected.field());
            assertThat(header(deadLetter, "dead-letter-topic")).isEqualTo(LocalKafkaResource.INPUT);
            assertThat(Integer.parseInt(header(deadLetter, "dead-letter-partition")))
                    .isBetween(0, LocalKafkaResource.PARTITIONS - 1);
            assertThat(Long.parseLong(header(deadLetter, "dead-letter-offset"))).isNotNegative();
        });
        ConsumerRecord<byte[], byte[]> undecodable = byKey.get(notUtf8Key);
        assertThat(undecodable.value()).as("undecodable bytes are dead-lettered untouched").isEqualTo(notUtf8);
        assertThat(header(undecodable, "trace-id")).as("source headers are kept").isEqualTo("t-1");
        assertThat(header(undecodable, "dead-letter-reason")).containsIgnoringCase("UTF-8");

        assertThat(outputs).noneMatch(r -> text(r.key()).equals(tombstoneKey));
        assertThat(deadLetters).noneMatch(r -> text(r.key()).equals(tombstoneKey));
    }

    private List<ConsumerRecord<byte[], byte[]>> awaitOurs(String topic, int expected) {
        try (ConsumerTask<byte[], byte[]> task = companion
                .consume(Serdes.ByteArray(), Serdes.ByteArray())
                .fromTopics(topic)) {
            await().atMost(DEADLINE).until(() -> ours(task).size() >= expected);
            // Anything more than expected would be a duplicate: the count must hold steady for a second.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> ours(task).size() == expected);
            List<ConsumerRecord<byte[], byte[]>> ours = ours(task);
            assertThat(ours).as("records of this run on %s", topic).hasSize(expected);
            return ours;
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> ours(ConsumerTask<byte[], byte[]> task) {
        return task.getRecords().stream()
                .filter(r -> r.key() != null && text(r.key()).startsWith(run))
                .toList();
    }

    private void awaitNoLag() {
        await().atMost(DEADLINE).untilAsserted(() -> {
            Map<TopicPartition, Long> ends = new LinkedHashMap<>();
            for (int p = 0; p < LocalKafkaResource.PARTITIONS; p++) {
                TopicPartition partition = new TopicPartition(LocalKafkaResource.INPUT, p);
                ends.put(partition, companion.offsets().get(partition,
                        org.apache.kafka.clients.admin.OffsetSpec.latest()).offset());
            }
            var committed = companion.consumerGroups().offsets(LocalKafkaResource.GROUP);
            ends.forEach((partition, end) -> {
                long committedOffset = committed.containsKey(partition) ? committed.get(partition).offset() : 0;
                assertThat(committedOffset).as("committed offset of %s", partition).isEqualTo(end);
            });
        });
    }

    private String id(String name) {
        return run + "-" + name;
    }

    private static String order(String orderId, String customerId, String currency, String lines) {
        return "{\"orderId\":\"" + orderId + "\",\"customerId\":\"" + customerId + "\",\"currency\":\"" + currency
                + "\",\"lines\":[" + lines + "]}";
    }

    private static String line(String sku, String quantity, String unitPrice) {
        return "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + ",\"unitPrice\":" + unitPrice + "}";
    }

    private static String enriched(String orderId, String customerId, String currency, int lineCount,
            String totalQuantity, String total) {
        return "{\"orderId\":\"" + orderId + "\",\"customerId\":\"" + customerId + "\",\"currency\":\"" + currency
                + "\",\"lineCount\":" + lineCount + ",\"totalQuantity\":" + totalQuantity + ",\"total\":\"" + total
                + "\"}";
    }

    private static ProducerRecord<byte[], byte[]> record(String key, byte[] value) {
        return new ProducerRecord<>(LocalKafkaResource.INPUT, utf8(key), value);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        assertThat(header).as("header %s", key).isNotNull();
        return text(header.value());
    }

    private static List<String> concat(java.util.Collection<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private record Rejected(String value, String field) {
    }
}
