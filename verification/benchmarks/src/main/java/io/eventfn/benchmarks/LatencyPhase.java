package io.eventfn.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.eventfn.kafka.local.OrderGenerator;
import io.eventfn.kafka.local.PacedProducer;

/**
 * End-to-end latency at a fixed offered rate, measured on a consumer that is already running and warm. Orders are
 * produced at {@code rate} records/s to the consumer's second input topic; each one's latency is the LogAppendTime of
 * its output record (stamped by the broker) minus the CreateTime of the input record (set by this producer from
 * {@link System#currentTimeMillis()} just before {@code send}). Both clocks are this host's; resolution 1 ms. The
 * first {@code warmupSeconds} are produced but not counted.
 */
final class LatencyPhase {

    /** Latency percentiles in ms, over {@code records} records offered at {@code achievedRate} records/s. */
    record Latency(int rate, double achievedRate, long records, long p50, long p99, long p999, long max) {
    }

    private LatencyPhase() {
    }

    /**
     * @param awaitConsumed blocks until the consumer has committed everything produced to {@code input}
     */
    static Latency run(BenchmarkCluster cluster, String input, String output, int partitions, int rate,
            int warmupSeconds, int latencySeconds, Runnable awaitConsumed) {
        Map<TopicPartition, Long> outputStart = cluster.endOffsets(output, partitions);
        int warmup = rate * warmupSeconds;
        int total = warmup + rate * latencySeconds;
        long[] sentAt = new long[total];
        double achievedRate = producePaced(cluster.bootstrapServers(), input, rate, sentAt);
        awaitConsumed.run();
        long[] latencies = new long[total - warmup];
        int[] counted = { 0 };
        OutputTopicReader.read(cluster.bootstrapServers(), outputStart, cluster.endOffsets(output, partitions),
                (key, appendMillis) -> {
                    int sequence = Integer.parseInt(new String(key, StandardCharsets.UTF_8).substring(2));
                    if (sequence >= warmup && counted[0] < latencies.length) {
                        latencies[counted[0]++] = appendMillis - sentAt[sequence];
                    }
                });
        long[] measured = Arrays.copyOf(latencies, counted[0]);
        Arrays.sort(measured);
        return new Latency(rate, achievedRate, measured.length, percentile(measured, 0.50), percentile(measured, 0.99),
                percentile(measured, 0.999), measured.length == 0 ? -1 : measured[measured.length - 1]);
    }

    /** Sends {@code sentAt.length} orders at {@code rate}/s, recording each send time; returns the rate achieved. */
    private static double producePaced(String bootstrapServers, String topic, int rate, long[] sentAt) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        OrderGenerator orders = new OrderGenerator(7);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.partitionsFor(topic); // metadata before the clock starts
            return PacedProducer.of(producer, sentAt.length, index -> {
                String orderId = "l-" + index;
                long now = System.currentTimeMillis();
                sentAt[(int) index] = now;
                return new ProducerRecord<>(topic, null, now, orderId.getBytes(StandardCharsets.UTF_8),
                        orders.nextValid(orderId).bytes());
            }).perSecond(rate).send().offeredPerSecond();
        }
    }

    /** Nearest rank: the smallest value with at least {@code p} of all values at or below it. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
