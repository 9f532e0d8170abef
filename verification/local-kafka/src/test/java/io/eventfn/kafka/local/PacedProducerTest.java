package io.eventfn.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PacedProducerTest {

    @RegisterExtension
    static final LocalKafkaBrokerExtension KAFKA = LocalKafkaBrokerExtension.plain();

    @Test
    void sendsEveryRecordAtARateAndSaysWhereEachLanded() {
        KAFKA.broker().createTopic("paced-plain", 2);
        AtomicLong acknowledged = new AtomicLong();
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            PacedProducer.Sent sent = PacedProducer.of(producer, 200, index -> record("paced-plain", index))
                    .perSecond(1_000).onAcknowledged((index, metadata) -> acknowledged.incrementAndGet()).send();

            assertThat(sent.records()).isEqualTo(200);
            assertThat(sent.valueBytes()).isEqualTo(200 * 2);
            // 200 records at 1,000/s: the last is due after 199 ms.
            assertThat(sent.handedOver()).isGreaterThanOrEqualTo(Duration.ofMillis(199));
        }
        assertThat(acknowledged).hasValue(200);
    }

    @Test
    void abortsTheTransactionsAskedForAndNamesTheirRecords() {
        KAFKA.broker().createTopic("paced-transactions", 1);
        List<long[]> aborted = new CopyOnWriteArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "paced-transactions-tx"))) {
            producer.initTransactions();
            PacedProducer.of(producer, 25, index -> record("paced-transactions", index))
                    .transactions(new PacedProducer.Transactions(10, 2, true))
                    .onAcknowledged(new PacedProducer.Acknowledgements() {
                        @Override
                        public void acknowledged(long index, RecordMetadata metadata) {
                        }

                        @Override
                        public void aborted(long from, long to) {
                            aborted.add(new long[] { from, to });
                        }
                    }).send();
        }

        assertThat(aborted).containsExactly(new long[] { 10, 20 }, new long[] { 20, 25 });
        List<String> committed = new CopyOnWriteArrayList<>();
        TopicReader.readToEnd(KAFKA.broker().bootstrapServers(), "paced-transactions",
                TopicReader.Isolation.READ_COMMITTED, Duration.ofSeconds(30),
                record -> committed.add(new String(record.key(), StandardCharsets.UTF_8)));
        assertThat(committed).containsExactly("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9");
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, long index) {
        return new ProducerRecord<>(topic, ("k" + index).getBytes(StandardCharsets.UTF_8), new byte[2]);
    }

    private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(KAFKA.broker().clientProperties());
        config.putAll(extra);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
