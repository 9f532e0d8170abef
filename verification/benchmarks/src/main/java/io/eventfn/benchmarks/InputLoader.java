package io.eventfn.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.eventfn.kafka.local.OrderGenerator;
import io.eventfn.kafka.local.PacedProducer;

/** Produces the benchmark's orders once, before any consumer starts, as fast as the broker takes them. */
final class InputLoader {

    /** What was loaded. */
    record Loaded(long records, long valueBytes, double seconds) {

        double averageValueBytes() {
            return records == 0 ? 0 : valueBytes / (double) records;
        }
    }

    private InputLoader() {
    }

    static Loaded produce(String bootstrapServers, String topic, int records, long seed) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        OrderGenerator orders = new OrderGenerator(seed);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            PacedProducer.Sent sent = PacedProducer.of(producer, records, index -> {
                String orderId = "o-" + index;
                return new ProducerRecord<>(topic, orderId.getBytes(StandardCharsets.UTF_8),
                        orders.nextValid(orderId).bytes());
            }).send();
            return new Loaded(sent.records(), sent.valueBytes(), sent.seconds());
        }
    }
}
