package io.eventfn.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class RecordLimitsTest {

    @Test
    void theProducersLimitIsItsRequestSizeAtMostItsBuffer() {
        assertThat(RecordLimits.producerLimit(Map.of())).isEqualTo(1_048_576);
        assertThat(RecordLimits.producerLimit(Map.of("max.request.size", "5000000"))).isEqualTo(5_000_000);
        assertThat(RecordLimits.producerLimit(Map.of("max.request.size", 5_000_000, "buffer.memory", 4_000_000L)))
                .isEqualTo(4_000_000);
    }

    @Test
    void aRecordIsCheckedAgainstTheProducersLimitAndItsTopicsInABatchOfItsOwn() {
        RecordLimits limits = RecordLimits.of(100_000, Map.of("small", 1_000, "large", 10_000_000));

        assertThat(limits.refusal(send("small", 900))).isNull();
        assertThat(limits.refusal(send("small", 1_000))).hasMessageContaining("max.message.bytes of 1000 of small");
        assertThat(limits.refusal(send("large", 99_000))).isNull();
        assertThat(limits.refusal(send("large", 100_000))).hasMessageContaining("max.request.size");
        assertThat(limits.refusal(send("not-read", 99_000))).isNull();
    }

    @Test
    void exactlyAtTheTopicsLimitFits() {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("t", new byte[3], new byte[5_000]);
        int batch = RecordSize.inBatchOfOne(record);

        assertThat(RecordLimits.of(1_048_576, Map.of("t", batch)).refusal(send(record))).isNull();
        assertThat(RecordLimits.of(1_048_576, Map.of("t", batch - 1)).refusal(send(record))).isNotNull();
    }

    private static Send send(String topic, int valueSize) {
        return send(new ProducerRecord<>(topic, null, new byte[valueSize]));
    }

    private static Send send(ProducerRecord<byte[], byte[]> record) {
        return Send.output(record, new ConsumerRecord<>("orders", 0, 0L, new byte[0], new byte[0]));
    }
}
