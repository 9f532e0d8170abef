package io.eventfn.benchmarks;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.ObjLongConsumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads an output topic back once a variant has finished: how many records it holds (committed ones only) and when
 * the first and the last were appended (their LogAppendTime).
 */
final class OutputTopicReader {

    private static final Duration DEADLINE = Duration.ofMinutes(5);

    /** Records of one read: count, and the earliest and latest broker append time (epoch ms). */
    record Span(long records, long firstAppendMillis, long lastAppendMillis) {

        double recordsPerSecond() {
            long millis = lastAppendMillis - firstAppendMillis;
            return millis <= 0 ? Double.NaN : records * 1000.0 / millis;
        }
    }

    private OutputTopicReader() {
    }

    /**
     * Reads every partition of {@code to} from {@code from} (offset 0 where absent) up to, not including, its offset in
     * {@code to}, handing each record's key and timestamp to {@code each} (which may be null).
     */
    static Span read(String bootstrapServers, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to,
            ObjLongConsumer<byte[]> each) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024));
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        long count = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(to.keySet());
            Map<TopicPartition, Long> remaining = new HashMap<>(to);
            for (TopicPartition partition : to.keySet()) {
                consumer.seek(partition, from.getOrDefault(partition, 0L));
            }
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!remaining.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Output not read within " + DEADLINE + "; left: " + remaining);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() >= to.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue; // appended after the end asked for
                    }
                    count++;
                    first = Math.min(first, record.timestamp());
                    last = Math.max(last, record.timestamp());
                    if (each != null) {
                        each.accept(record.key(), record.timestamp());
                    }
                }
                // Transaction markers are never returned: done when the position has reached the end.
                remaining.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
            }
        }
        return new Span(count, first, last);
    }
}
