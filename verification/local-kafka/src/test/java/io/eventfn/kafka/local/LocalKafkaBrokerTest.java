package io.eventfn.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LocalKafkaBrokerTest {

    @RegisterExtension
    static final LocalKafkaBrokerExtension KAFKA = LocalKafkaBrokerExtension.plain();

    @Test
    void answersOnLoopbackAndRoundTripsARecord() throws Exception {
        assertThat(KAFKA.broker().isRunning()).isTrue();
        assertThat(KAFKA.broker().bootstrapServers()).startsWith("127.0.0.1:");
        KAFKA.broker().createTopic("round-trip", 1);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(KAFKA.broker().clientProperties(), new StringSerializer(), new StringSerializer())) {
            RecordMetadata sent = producer.send(new ProducerRecord<>("round-trip", "o-1", "{\"orderId\":\"o-1\"}")).get();
            assertThat(sent.offset()).isZero();
        }

        assertThat(consumeAll(KAFKA.broker(), "round-trip", 1))
                .extracting(ConsumerRecord::key, ConsumerRecord::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("o-1", "{\"orderId\":\"o-1\"}"));
    }

    @Test
    void writesBrokerOutputToItsLogFile() {
        assertThat(KAFKA.broker().logFile()).exists();
        assertThat(LogTail.of(KAFKA.broker().logFile(), 10_000)).contains("Kafka Server started");
    }

    @Test
    void createTopicIsIdempotentForTheSamePartitionCount() {
        KAFKA.broker().createTopic("orders-idempotent", 3);
        KAFKA.broker().createTopic("orders-idempotent", 3);

        assertThatThrownBy(() -> KAFKA.broker().createTopic("orders-idempotent", 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already exists with 3 partitions, not 2");
    }

    @Test
    void createsATopicWithItsOwnMaxMessageBytes() throws Exception {
        KAFKA.broker().createTopic("small-records", 1, Map.of("max.message.bytes", "1000"));

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(KAFKA.broker().clientProperties(), new StringSerializer(), new StringSerializer())) {
            assertThat(producer.send(new ProducerRecord<>("small-records", "fits", "x".repeat(500))).get().offset())
                    .isZero();
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("small-records", "too-large", "x".repeat(2000))).get())
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.RecordTooLargeException.class);
        }
    }

    @Test
    void consumerGroupLagReadsCommittedOffsetsWithTheirLeaderEpoch() throws Exception {
        KAFKA.broker().createTopic("lag-epochs", 2);
        produce(KAFKA.broker(), "lag-epochs", List.of("a", "b", "c"));
        Map<String, Object> config = new java.util.HashMap<>(KAFKA.broker().clientProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "lag-epochs-group");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition withEpoch = new TopicPartition("lag-epochs", 0);
            TopicPartition withoutEpoch = new TopicPartition("lag-epochs", 1);
            consumer.assign(List.of(withEpoch, withoutEpoch));
            consumer.commitSync(Map.of(withEpoch, new OffsetAndMetadata(1, java.util.Optional.of(0), ""),
                    withoutEpoch, new OffsetAndMetadata(0)));
        }

        try (ConsumerGroupLag lag = ConsumerGroupLag.of("lag-epochs-group", "lag-epochs").connect(Map.copyOf(KAFKA.broker().clientProperties()))) {
            assertThat(lag.read().partitions())
                    .extracting(ConsumerGroupLag.PartitionLag::committedOffset, ConsumerGroupLag.PartitionLag::committedLeaderEpoch)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, java.util.Optional.of(0)),
                            org.assertj.core.groups.Tuple.tuple(0L, java.util.Optional.empty()));
        }
    }

    @Test
    void refusesToStartTwice() {
        assertThatThrownBy(KAFKA.broker()::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running");
    }

    @Test
    void closeStopsTheBrokerAndDeletesItsDataDirectory() {
        LocalKafkaBroker own = LocalKafkaBroker.builder().build();
        try {
            own.start();
        } finally {
            own.close();
        }
        assertThat(own.isRunning()).isFalse();
        assertThat(own.dataDir()).doesNotExist();
    }

    /** Reads from the beginning until {@code expected} records arrived, within a deadline. */
    static List<ConsumerRecord<String, String>> consumeAll(LocalKafkaBroker broker, String topic, int expected) {
        Map<String, Object> config = new java.util.HashMap<>(broker.clientProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic + "-" + System.nanoTime());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    static void produce(LocalKafkaBroker broker, String topic, List<String> values) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(broker.clientProperties(), new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, value, value)).get();
            }
        }
    }

}
