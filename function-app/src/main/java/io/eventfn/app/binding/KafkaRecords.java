package io.eventfn.app.binding;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.eventfn.core.Header;
import io.eventfn.core.InboundRecord;
import io.eventfn.core.OutboundRecord;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.OutgoingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;

/** Translates between Kafka records and the core's plain values, in both directions. */
final class KafkaRecords {

    static final String REASON = "dead-letter-reason";
    static final String REASON_CLASS = "dead-letter-reason-class";
    static final String SOURCE_TOPIC = "dead-letter-topic";
    static final String SOURCE_PARTITION = "dead-letter-partition";
    static final String SOURCE_OFFSET = "dead-letter-offset";

    private KafkaRecords() {
    }

    static InboundRecord inbound(IncomingKafkaRecord<byte[], byte[]> record) {
        List<Header> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header header : record.getHeaders()) {
            headers.add(new Header(header.key(), header.value()));
        }
        return new InboundRecord(record.getTopic(), record.getPartition(), record.getOffset(),
                record.getTimestamp() == null ? -1 : record.getTimestamp().toEpochMilli(),
                record.getKey(), record.getPayload(), headers);
    }

    /**
     * For each partition of the batch: its last offset, and where the consumer continues after it (Kafka 4's
     * {@code ConsumerRecords.nextOffsets()}, which also skips transaction markers).
     */
    static Map<TopicPartition, long[]> lastAndNextOffsets(KafkaRecordBatch<byte[], byte[]> batch) {
        Map<TopicPartition, OffsetAndMetadata> next = batch.getMetadata(IncomingKafkaRecordBatchMetadata.class)
                .map(metadata -> metadata.getRecords().nextOffsets())
                .orElse(Map.of());
        Map<TopicPartition, long[]> lastAndNext = new HashMap<>();
        batch.getLatestOffsetRecords().forEach((partition, last) -> {
            long lastOffset = ((IncomingKafkaRecord<byte[], byte[]>) last).getOffset();
            OffsetAndMetadata after = next.get(partition);
            lastAndNext.put(partition,
                    new long[] { lastOffset, after == null ? lastOffset + 1 : Math.max(after.offset(), lastOffset + 1) });
        });
        return lastAndNext;
    }

    /**
     * The offsets to commit for a batch: where the consumer continues on each partition (past any transaction
     * marker), for the partitions still owned (a revoked partition's records were left for its new owner).
     */
    static Map<TopicPartition, OffsetAndMetadata> nextOffsets(Map<TopicPartition, long[]> lastAndNext,
            java.util.function.Predicate<TopicPartition> owned) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        lastAndNext.forEach((partition, lastNext) -> {
            if (owned.test(partition)) {
                offsets.put(partition, new OffsetAndMetadata(lastNext[1]));
            }
        });
        return offsets;
    }

    /** The consumer group generation the batch was polled in; -1 when unknown. */
    static int generation(KafkaRecordBatch<byte[], byte[]> batch) {
        return batch.getMetadata(IncomingKafkaRecordBatchMetadata.class)
                .map(IncomingKafkaRecordBatchMetadata::getConsumerGroupGenerationId)
                .orElse(-1);
    }

    static ProducerRecord<byte[], byte[]> producerRecord(OutgoingKafkaRecord<byte[], byte[]> record) {
        return new ProducerRecord<>(record.getTopic(), null, record.getKey(), record.getPayload(), record.getHeaders());
    }

    static OutgoingKafkaRecord<byte[], byte[]> output(String topic, OutboundRecord record) {
        Headers headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header.key(), header.value());
        }
        return outgoing(topic, record.key(), record.value(), headers);
    }

    /**
     * The dead letter carries the source record byte for byte (key, value, headers) and says where it came from and
     * why it was rejected.
     */
    static OutgoingKafkaRecord<byte[], byte[]> deadLetter(String topic, IncomingKafkaRecord<byte[], byte[]> source,
            String reasonClass, String reason) {
        Headers headers = new RecordHeaders(source.getHeaders().toArray());
        headers.add(REASON, utf8(reason));
        headers.add(REASON_CLASS, utf8(reasonClass));
        headers.add(SOURCE_TOPIC, utf8(source.getTopic()));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(source.getPartition())));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(source.getOffset())));
        return outgoing(topic, source.getKey(), source.getPayload(), headers);
    }

    private static OutgoingKafkaRecord<byte[], byte[]> outgoing(String topic, byte[] key, byte[] value,
            Headers headers) {
        return new OutgoingKafkaRecord<>(topic, key, value, null, -1, headers, null, null, null);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
