package io.eventfn.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.eventfn.core.Header;
import io.eventfn.core.InboundRecord;
import io.eventfn.core.OutboundRecord;
import io.eventfn.core.Outcome;

/**
 * What the hand-written baselines share with each other and with the app: the environment variables they are
 * configured by, the app's client settings (read_committed, the consumer group protocol, 500 records per poll, an
 * idempotent producer with acks=all) and the routing of an outcome to the output or dead-letter topic.
 */
record BaselineSettings(String bootstrapServers, String groupId, List<String> inputTopics, String outputTopic,
        String deadLetterTopic, String transactionalId) {

    static BaselineSettings fromEnvironment() {
        Map<String, String> env = System.getenv();
        return new BaselineSettings(require(env, "KAFKA_BOOTSTRAP_SERVERS"), require(env, "KAFKA_GROUP_ID"),
                List.of(require(env, "INPUT_TOPICS").split(",")), require(env, "OUTPUT_TOPIC"),
                require(env, "DLQ_TOPIC"), require(env, "KAFKA_GROUP_ID") + "-" + env.getOrDefault("INSTANCE_ID", "0"));
    }

    Properties consumer() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // The app's default group protocol (KIP-848), so both sides of the comparison join groups the same way.
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }

    Properties producer(boolean transactional) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // The app's: no linger at least once, 5 ms in a transaction (its commit flushes anyway).
        config.put(ProducerConfig.LINGER_MS_CONFIG, transactional ? "5" : "0");
        if (transactional) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }

    /** Outputs to the output topic, a rejected record as it is to the dead-letter topic. */
    List<ProducerRecord<byte[], byte[]>> route(Outcome outcome, ConsumerRecord<byte[], byte[]> record) {
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

    static InboundRecord inbound(ConsumerRecord<byte[], byte[]> record) {
        List<Header> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header header : record.headers()) {
            headers.add(new Header(header.key(), header.value()));
        }
        return new InboundRecord(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key(), record.value(), headers);
    }

    /** Runs {@code stop} on SIGTERM, then waits for the main thread to finish its last commit. */
    static void onSigterm(Runnable stop) {
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            try {
                main.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "baseline-shutdown"));
    }

    private static String require(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return value;
    }
}
