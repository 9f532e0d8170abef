package io.eventfn.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TopicReaderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final LocalKafkaBrokerExtension KAFKA = LocalKafkaBrokerExtension.plain();

    @Test
    void readCommittedLeavesOutAnAbortedTransaction() {
        KAFKA.broker().createTopic("reader-aborted", 2);
        Map<String, Object> config = new HashMap<>(KAFKA.broker().clientProperties());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "reader-aborted-tx");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("reader-aborted", 0, "kept", "1"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("reader-aborted", 1, "aborted", "2"));
            producer.flush();
            producer.abortTransaction();
        }

        assertThat(keys("reader-aborted", TopicReader.Isolation.READ_COMMITTED)).containsExactly("kept");
        assertThat(keys("reader-aborted", TopicReader.Isolation.READ_UNCOMMITTED))
                .containsExactlyInAnyOrder("kept", "aborted");
    }

    @Test
    void readsBetweenTheOffsetsAskedFor() {
        KAFKA.broker().createTopic("reader-range", 1);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(KAFKA.broker().clientProperties(),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("reader-range", "k" + i, "v"));
            }
        }
        TopicPartition partition = new TopicPartition("reader-range", 0);
        List<String> keys = new ArrayList<>();

        TopicReader.read(KAFKA.broker().bootstrapServers(), Map.of(partition, 1L), Map.of(partition, 4L),
                TopicReader.Isolation.READ_COMMITTED, TIMEOUT,
                record -> keys.add(new String(record.key(), StandardCharsets.UTF_8)));

        assertThat(keys).containsExactly("k1", "k2", "k3");
    }

    private static List<String> keys(String topic, TopicReader.Isolation isolation) {
        List<String> keys = new ArrayList<>();
        TopicReader.readToEnd(KAFKA.broker().bootstrapServers(), topic, isolation, TIMEOUT,
                record -> keys.add(new String(record.key(), StandardCharsets.UTF_8)));
        return keys;
    }
}
