package io.eventfn.kafka.local.demo;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Stands in for function-app in {@link OrdersDemoTest}: reads the same environment variables,
 * enriches valid orders (here: copies them) and dead-letters the invalid ones, committing after each
 * batch is written. Exists so the demo's loop can be tested before, and independently of, the real app.
 */
public final class StandInOrderEnricher {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StandInOrderEnricher() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> common = Map.of("bootstrap.servers", System.getenv("KAFKA_BOOTSTRAP_SERVERS"));
        Map<String, Object> consumerConfig = new HashMap<>(common);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, System.getenv("KAFKA_GROUP_ID"));
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, System.getenv("KAFKA_AUTO_OFFSET_RESET"));
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        String output = System.getenv("OUTPUT_TOPIC");
        String deadLetter = System.getenv("DLQ_TOPIC");

        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consumer.wakeup();
            try {
                closed.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try (consumer; KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(common, new ByteArraySerializer(), new ByteArraySerializer())) {
            consumer.subscribe(List.of(System.getenv("INPUT_TOPICS").split(",")));
            while (true) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    producer.send(new ProducerRecord<>(isValidOrder(record.value()) ? output : deadLetter, record.key(), record.value()));
                }
                producer.flush();
                consumer.commitSync();
            }
        } catch (WakeupException stopping) {
            // SIGTERM: leave the loop; the consumer and producer close above.
        } finally {
            closed.countDown();
        }
    }

    /** The rules the demo's broken orders break, one each. */
    static boolean isValidOrder(byte[] payload) {
        try {
            JsonNode order = JSON.readTree(payload);
            if (!order.path("orderId").isTextual() || !order.path("currency").asText().matches("[A-Z]{3}")) {
                return false;
            }
            JsonNode lines = order.path("lines");
            if (!lines.isArray() || lines.isEmpty()) {
                return false;
            }
            for (JsonNode line : lines) {
                if (!line.path("quantity").isIntegralNumber() || line.path("quantity").asInt() < 1 || line.path("unitPrice").asDouble() < 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException notJsonOrNotUtf8) {
            return false;
        }
    }
}
