package io.eventfn.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.function.ObjLongConsumer;

import org.apache.kafka.common.TopicPartition;

import io.eventfn.kafka.local.TopicReader;

/**
 * A benchmark's reading of an output topic once a variant has finished, through the kit's {@link TopicReader}: how many
 * records it holds (committed ones only) and when the first and the last were appended (their LogAppendTime).
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
        long[] countFirstLast = { 0, Long.MAX_VALUE, Long.MIN_VALUE };
        TopicReader.read(bootstrapServers, from, to, TopicReader.Isolation.READ_COMMITTED, DEADLINE, record -> {
            countFirstLast[0]++;
            countFirstLast[1] = Math.min(countFirstLast[1], record.timestamp());
            countFirstLast[2] = Math.max(countFirstLast[2], record.timestamp());
            if (each != null) {
                each.accept(record.key(), record.timestamp());
            }
        });
        return new Span(countFirstLast[0], countFirstLast[1], countFirstLast[2]);
    }
}
