package io.eventfn.kafka.local;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Valid orders in, enriched orders out, for the harnesses that count whole orders: writes {@code count} orders with
 * orderIds {@code <run>-<i>} (8 keys unless told otherwise) and reads the output topic back, counting each orderId (the
 * output's key) to find losses and duplicates.
 */
public final class OrderTraffic {

    private OrderTraffic() {
    }

    /** What came out: {@code distinct} orderIds of this run, {@code duplicates} records beyond the first per orderId. */
    public record OutputTally(long records, long distinct, long duplicates, Instant firstOutput) {
    }

    /**
     * Writes the orders, acknowledged by all replicas, in transactions of {@code transactionSize} records when it is
     * above 0 (every transaction committed).
     *
     * @return when the first record was handed to the producer
     */
    public static Instant produce(String bootstrapServers, String topic, String run, int from, int count,
            int transactionSize) {
        return produce(bootstrapServers, topic, run, from, count, transactionSize, 8);
    }

    /**
     * As {@link #produce(String, String, String, int, int, int)}, with {@code keys} distinct record keys (customers):
     * few keys leave some partitions of a larger topic without records.
     */
    public static Instant produce(String bootstrapServers, String topic, String run, int from, int count,
            int transactionSize, int keys) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        if (transactionSize > 0) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, run + "-input-" + from);
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            if (transactionSize > 0) {
                producer.initTransactions();
            }
            Instant first = Instant.now();
            for (int i = from; i < from + count; i++) {
                if (transactionSize > 0 && (i - from) % transactionSize == 0) {
                    producer.beginTransaction();
                }
                producer.send(new ProducerRecord<>(topic, utf8(run + "-k" + i % keys), order(run + "-" + i, i)));
                if (transactionSize > 0 && ((i - from) % transactionSize == transactionSize - 1 || i == from + count - 1)) {
                    producer.commitTransaction();
                }
            }
            producer.flush();
            return first;
        }
    }

    private static byte[] order(String orderId, int i) {
        return utf8("{\"orderId\":\"" + orderId + "\",\"customerId\":\"c-" + i % 8
                + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"S-1\",\"quantity\":1,\"unitPrice\":1.00}]}");
    }

    /** Reads the output topic to its (read_committed) end and counts the orderIds of {@code run}. */
    public static OutputTally readOutput(String bootstrapServers, String topic, String run, Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Integer> counts = new HashMap<>();
        long records = 0;
        long firstOutput = Long.MAX_VALUE;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, timeout).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end " + ends + " within " + timeout);
                }
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    String orderId = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
                    if (orderId.startsWith(run + "-")) {
                        records++;
                        counts.merge(orderId, 1, Integer::sum);
                        firstOutput = Math.min(firstOutput, record.timestamp());
                    }
                }
            }
        }
        long duplicates = counts.values().stream().mapToLong(c -> c - 1).sum();
        return new OutputTally(records, counts.size(), duplicates,
                firstOutput == Long.MAX_VALUE ? null : Instant.ofEpochMilli(firstOutput));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
