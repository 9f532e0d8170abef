package io.eventfn.kafka.local;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Valid orders in, enriched orders out, for the harnesses that count whole orders: writes {@code count} orders with
 * orderIds {@code <run>-<i>} (8 keys unless told otherwise) and reads the output topic back into an {@link OrderTally}
 * to find losses and duplicates.
 */
public final class OrderTraffic {

    private OrderTraffic() {
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
            PacedProducer.of(producer, count, index -> {
                int i = from + (int) index;
                return new ProducerRecord<>(topic, utf8(run + "-k" + i % keys), order(run + "-" + i, i));
            }).transactions(transactionSize > 0 ? PacedProducer.Transactions.committed(transactionSize) : null).send();
            return first;
        }
    }

    private static byte[] order(String orderId, int i) {
        return new Order(orderId, "c-" + i % 8, "EUR", List.of(new Order.Line("S-1", 1, 100))).bytes();
    }

    /**
     * Reads the output topic to its (read_committed) end and counts the orderIds of {@code run} (the output's key), by
     * the index each was produced with.
     */
    public static OrderTally readOutput(String bootstrapServers, String topic, String run, Duration timeout) {
        OrderTally tally = new OrderTally();
        String prefix = run + "-";
        TopicReader.readToEnd(bootstrapServers, topic, TopicReader.Isolation.READ_COMMITTED, timeout, record -> {
            String orderId = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
            long index = orderId.startsWith(prefix) ? indexIn(orderId.substring(prefix.length())) : -1;
            if (index >= 0) {
                tally.add(index, OrderTally.NO_KEY, record.partition(), record.offset(), record.timestamp());
            }
        });
        return tally;
    }

    private static long indexIn(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException notOfThisRun) {
            return -1;
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
