package io.eventfn.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.eventfn.core.Header;
import io.eventfn.core.InboundRecord;
import io.eventfn.core.OutboundRecord;
import io.eventfn.core.Outcome;
import io.eventfn.core.RecordProcessor;
import io.eventfn.core.orders.OrderEnricher;

/**
 * The "no framework" limit: the same work as the app at least once, written directly on the Kafka clients. Poll,
 * run every record through {@link OrderEnricher}, produce the outputs (dead letters as they are), wait until the
 * broker has acknowledged them all ({@code flush}), then commit the polled offsets. Client settings are the app's:
 * read_committed, idempotent producer with acks=all, cooperative-sticky assignment, 500 records per poll; like the
 * app, one asynchronous commit in flight at a time, covering everything handled so far. It does not linger:
 * {@code flush} sends at once. Runs as its own JVM, configured by the app's environment variables, until SIGTERM.
 */
public final class BaselineConsumer {

    private BaselineConsumer() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        String bootstrap = require(env, "KAFKA_BOOTSTRAP_SERVERS");
        String outputTopic = require(env, "OUTPUT_TOPIC");
        String deadLetterTopic = require(env, "DLQ_TOPIC");
        List<String> inputTopics = List.of(require(env, "INPUT_TOPICS").split(","));

        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, require(env, "KAFKA_GROUP_ID"));
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // The app's default group protocol (KIP-848), so both sides of the comparison join groups the same way.
        consumerConfig.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());

        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

        RecordProcessor processor = new OrderEnricher();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                consumer.wakeup();
                try {
                    main.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "baseline-shutdown"));
            consumer.subscribe(inputTopics);
            System.out.println("Baseline consuming " + inputTopics + " into " + outputTopic);
            // Next offsets handled so far, and those the broker confirmed; both touched on this thread only
            // (commit callbacks run inside poll).
            Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
            Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
            // One commit in flight at a time, as the app does: a commit per poll would queue up faster than the
            // group coordinator answers them, and they would time out.
            boolean[] commitInFlight = { false };
            try {
                while (true) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                    if (records.isEmpty()) {
                        if (!commitInFlight[0] && !committed.equals(handled)) {
                            // Idle: commit what the last commit did not cover (or what a failed one left).
                            consumer.commitSync(handled);
                            committed.putAll(handled);
                        }
                        continue;
                    }
                    AtomicReference<Exception> failure = new AtomicReference<>();
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        for (ProducerRecord<byte[], byte[]> out : route(processor.process(inbound(record)), record,
                                outputTopic, deadLetterTopic)) {
                            producer.send(out, (metadata, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                }
                            });
                        }
                    }
                    producer.flush(); // every send acknowledged (or failed) from here on
                    if (failure.get() != null) {
                        throw new IllegalStateException("A send failed; nothing of this poll is committed",
                                failure.get());
                    }
                    handled.putAll(nextOffsets(records));
                    if (!commitInFlight[0]) {
                        commitInFlight[0] = true;
                        consumer.commitAsync(new HashMap<>(handled), (done, e) -> {
                            commitInFlight[0] = false;
                            if (e == null) {
                                committed.putAll(done);
                            } else {
                                System.err.println("Commit failed (a later one covers it): " + e + " caused by "
                                        + e.getCause());
                            }
                        });
                    }
                }
            } catch (WakeupException stopping) {
                System.out.println("Baseline stopping");
            }
        }
    }

    private static List<ProducerRecord<byte[], byte[]>> route(Outcome outcome, ConsumerRecord<byte[], byte[]> record,
            String outputTopic, String deadLetterTopic) {
        List<ProducerRecord<byte[], byte[]>> sends = new ArrayList<>(1);
        switch (outcome) {
            case Outcome.Emit emit -> {
                for (OutboundRecord out : emit.records()) {
                    sends.add(new ProducerRecord<>(outputTopic, out.key(), out.value()));
                }
            }
            case Outcome.Reject reject -> sends.add(new ProducerRecord<>(deadLetterTopic, record.key(), record.value()));
            case Outcome.Retry retry -> sends.add(new ProducerRecord<>(deadLetterTopic, record.key(), record.value()));
            case Outcome.Skip skip -> {
            }
        }
        return sends;
    }

    private static InboundRecord inbound(ConsumerRecord<byte[], byte[]> record) {
        List<Header> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header header : record.headers()) {
            headers.add(new Header(header.key(), header.value()));
        }
        return new InboundRecord(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key(), record.value(), headers);
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> ofPartition = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(ofPartition.get(ofPartition.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private static String require(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return value;
    }
}
