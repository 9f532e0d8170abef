package io.eventfn.benchmarks;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import io.eventfn.core.RecordProcessor;
import io.eventfn.core.orders.OrderEnricher;

/**
 * The reference the app is measured against exactly once: the pipelined loop in one Kafka transaction per interval,
 * as Kafka Streams does with {@code commit.interval.ms} (100 ms, the app's {@code TRANSACTION_INTERVAL} too). Records
 * are sent into the open transaction as they are processed; every interval the polled offsets are added with the
 * consumer's group metadata and the transaction commits. A revocation and SIGTERM commit the open transaction first.
 * Any failure stops the loop (the transaction is aborted by the broker).
 */
public final class TransactionalBaseline {

    static final Duration INTERVAL = Duration.ofMillis(100);

    private TransactionalBaseline() {
    }

    public static void main(String[] args) {
        BaselineSettings settings = BaselineSettings.fromEnvironment();
        RecordProcessor processor = new OrderEnricher();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        long[] openedAt = { -1 };
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings.consumer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings.producer(true))) {
            producer.initTransactions();
            BaselineSettings.onSigterm(consumer::wakeup);
            Runnable commit = () -> {
                if (openedAt[0] >= 0) {
                    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                    producer.commitTransaction();
                    offsets.clear();
                    openedAt[0] = -1;
                }
            };
            consumer.subscribe(settings.inputTopics(), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commit.run();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
            System.out.println("Transactional baseline consuming " + settings.inputTopics());
            try {
                while (true) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(50));
                    if (!records.isEmpty()) {
                        if (openedAt[0] < 0) {
                            producer.beginTransaction();
                            openedAt[0] = System.nanoTime();
                        }
                        for (ConsumerRecord<byte[], byte[]> record : records) {
                            for (ProducerRecord<byte[], byte[]> out : settings.route(
                                    processor.process(BaselineSettings.inbound(record)), record)) {
                                producer.send(out);
                            }
                        }
                        offsets.putAll(records.nextOffsets());
                    }
                    if (openedAt[0] >= 0 && System.nanoTime() - openedAt[0] >= INTERVAL.toNanos()) {
                        commit.run();
                    }
                }
            } catch (WakeupException stopping) {
                commit.run();
                System.out.println("Baseline stopping");
            }
        }
    }
}
