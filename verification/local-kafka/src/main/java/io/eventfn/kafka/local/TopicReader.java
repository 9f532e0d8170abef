package io.eventfn.kafka.local;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic back to an end, bounded in time, handing every record to the caller: what a harness does once the app
 * has finished, to count what it wrote. With {@link Isolation#READ_COMMITTED} the end is the last stable offset, so
 * nothing of an open or aborted transaction is seen.
 */
public final class TopicReader {

    /** The consumer's {@code isolation.level}. */
    public enum Isolation {
        READ_COMMITTED, READ_UNCOMMITTED;

        String setting() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private TopicReader() {
    }

    /**
     * Reads every partition of {@code topic} from its start to its end offsets as they are when the read starts.
     *
     * @throws IllegalStateException when the end is not reached within {@code timeout}
     */
    public static void readToEnd(String bootstrapServers, String topic, Isolation isolation, Duration timeout,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, topic, isolation)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            read(consumer, topic, Map.of(), ends, timeout, each);
        }
    }

    /**
     * Reads each partition of {@code to} from its offset in {@code from} (0 where absent) up to, not including, its
     * offset in {@code to}.
     *
     * @throws IllegalStateException when those offsets are not reached within {@code timeout}
     */
    public static void read(String bootstrapServers, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to,
            Isolation isolation, Duration timeout, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        String topics = String.join(",", to.keySet().stream().map(TopicPartition::topic).distinct().toList());
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, topics, isolation)) {
            read(consumer, topics, from, to, timeout, each);
        }
    }

    private static void read(KafkaConsumer<byte[], byte[]> consumer, String topics, Map<TopicPartition, Long> from,
            Map<TopicPartition, Long> to, Duration timeout, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        consumer.assign(to.keySet());
        to.keySet().forEach(partition -> consumer.seek(partition, from.getOrDefault(partition, 0L)));
        Map<TopicPartition, Long> remaining = new HashMap<>(to);
        remaining.entrySet().removeIf(end -> end.getValue() <= from.getOrDefault(end.getKey(), 0L));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!remaining.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topics + " to " + to + " within " + timeout
                        + "; left: " + remaining);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() < to.get(new TopicPartition(record.topic(), record.partition()))) {
                    each.accept(record);
                }
            }
            // Transaction markers are never returned: a partition is done when the position has reached its end.
            remaining.entrySet().removeIf(end -> consumer.position(end.getKey(), timeout) >= end.getValue());
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String topics, Isolation isolation) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, topics + "-reader");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.setting());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
