package io.eventfn.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.eventfn.app.config.ConsumerSettings;
import io.eventfn.app.config.GroupProtocol;
import io.eventfn.app.config.ProcessingGuarantee;
import io.eventfn.app.config.ProcessorChoice;
import io.eventfn.app.health.DeliveryLiveness;
import io.eventfn.app.metrics.DeliveryMetrics;
import io.eventfn.core.RecordProcessor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecordBatch;

/** The binding's part of the bookkeeping: a poll that blows up on the way still ends as a poll. */
class FunctionBindingTest {

    private static final TopicPartition PARTITION = new TopicPartition("orders", 0);

    @Test
    void aProcessorThatThrowsAnErrorLeavesNoBatchInProgressBehind() {
        RecordProcessor broken = record -> {
            throw new AssertionError("a bug the retry loop does not catch");
        };
        AtLeastOnceDelivery delivery = new AtLeastOnceDelivery(() -> null, "orders-enriched",
                new DeadLetters("orders-dlq"), new InFlightLimit(10, 1_000), RecordLimits.of(1_048_576, Map.of()), Duration.ofSeconds(1),
                new DeliveryLiveness(), new DeliveryMetrics(new SimpleMeterRegistry()));
        delivery.ownership.assigned(List.of(PARTITION), 1);
        FunctionBinding binding = new FunctionBinding(settings(), broken, delivery,
                new DeliveryMetrics(new SimpleMeterRegistry()), RecordTracing.copying(), null, null);

        assertThatThrownBy(() -> binding.consume(batch())).isInstanceOf(AssertionError.class);

        // Before: the in-flight count leaked and every later drain waited the whole DRAIN_TIMEOUT.
        assertThat(delivery.awaitNoBatchInProgress(System.nanoTime())).isTrue();
        assertThat(delivery.beginBatch()).isTrue();
    }

    private static IncomingKafkaRecordBatch<byte[], byte[]> batch() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("orders", 0, 5, null, "{}".getBytes());
        ConsumerRecords<byte[], byte[]> records = new ConsumerRecords<>(Map.of(PARTITION, List.of(record)),
                Map.of(PARTITION, new OffsetAndMetadata(6)));
        return new IncomingKafkaRecordBatch<>(records, "input", -1, unusedCommitHandler(), null, false, false);
    }

    private static io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler unusedCommitHandler() {
        return new io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler() {
            @Override
            public <K, V> Uni<Void> handle(io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord<K, V> record) {
                return Uni.createFrom().voidItem();
            }
        };
    }

    private static ConsumerSettings settings() {
        return new ConsumerSettings("broker:9092", "order-enricher", GroupProtocol.CONSUMER, List.of("orders"),
                "orders-enriched", "orders-dlq", ProcessingGuarantee.AT_LEAST_ONCE, Duration.ofSeconds(1), 10, 1_000,
                Duration.ofMillis(100), 10, new ConsumerSettings.Retry(1, Duration.ZERO, Duration.ZERO), "i-1",
                ProcessorChoice.NOOP, Duration.ZERO, Duration.ZERO);
    }
}
