package io.eventfn.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The dead-letter format, and the smaller dead letters that replace one the broker or the producer refuses. */
class DeadLettersTest {

    private static final DeadLetters DEAD_LETTERS = new DeadLetters("orders-dlq");
    private static final DeadLetters.Reason INVALID = new DeadLetters.Reason("invalid-json", "not JSON at 0", null);

    @Test
    void aDeadLetterIsTheSourceByteForByteWithWhyAndWhereFrom() {
        ConsumerRecord<byte[], byte[]> source = source(new byte[] { 1, 2, 3 });

        ProducerRecord<byte[], byte[]> letter = DEAD_LETTERS.whole(source, INVALID).record();

        assertThat(letter.topic()).isEqualTo("orders-dlq");
        assertThat(letter.key()).isEqualTo(source.key());
        assertThat(letter.value()).isEqualTo(source.value());
        assertThat(header(letter.headers(), "traceparent")).isEqualTo("00-abc-def-01");
        assertThat(header(letter.headers(), DeadLetters.REASON)).isEqualTo("not JSON at 0");
        assertThat(header(letter.headers(), DeadLetters.REASON_CLASS)).isEqualTo("invalid-json");
        assertThat(header(letter.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("orders");
        assertThat(header(letter.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo("2");
        assertThat(header(letter.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("41");
        assertThat(letter.headers().lastHeader(DeadLetters.EXCEPTION_CLASS)).isNull();
    }

    @Test
    void aDeadLetterNamesTheExceptionTheProcessorThrew() {
        Send letter = DEAD_LETTERS.whole(source(new byte[1]),
                new DeadLetters.Reason("processor-error", "boom", IllegalStateException.class.getName()));

        assertThat(header(letter.record().headers(), DeadLetters.EXCEPTION_CLASS))
                .isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void anOutputTheBrokerRefusedDeadLettersItsSource() {
        ConsumerRecord<byte[], byte[]> source = source(new byte[] { 7 });
        Send output = Send.output(new ProducerRecord<>("orders-enriched", null, new byte[] { 9 }), source);

        Send replacement = DEAD_LETTERS.replacing(output, "orders-enriched", new RecordTooLargeException("huge"));

        assertThat(replacement.record().value()).isEqualTo(source.value());
        assertThat(header(replacement.record().headers(), DeadLetters.REASON_CLASS))
                .isEqualTo(DeadLetters.OUTPUT_REJECTED);
        assertThat(header(replacement.record().headers(), DeadLetters.REASON)).contains("orders-enriched")
                .contains("huge");
        assertThat(header(replacement.record().headers(), DeadLetters.EXCEPTION_CLASS))
                .isEqualTo(RecordTooLargeException.class.getName());
    }

    @Test
    void aRefusedDeadLetterIsReplacedWithoutItsValueThenWithoutKeyAndSourceHeaders() {
        ConsumerRecord<byte[], byte[]> source = source(new byte[1000]);
        Send whole = DEAD_LETTERS.whole(source, INVALID);

        Send withoutValue = DEAD_LETTERS.replacing(whole, "orders-enriched", new RecordTooLargeException("1"));
        assertThat(withoutValue.completeness()).isEqualTo(DeadLetters.Completeness.WITHOUT_VALUE);
        assertThat(withoutValue.record().value()).isNull();
        assertThat(withoutValue.record().key()).isEqualTo(source.key());
        assertThat(header(withoutValue.record().headers(), "traceparent")).isEqualTo("00-abc-def-01");
        assertThat(header(withoutValue.record().headers(), DeadLetters.VALUE_OMITTED_BYTES)).isEqualTo("1000");
        assertThat(header(withoutValue.record().headers(), DeadLetters.OMITTED_BECAUSE)).contains("1");
        assertThat(header(withoutValue.record().headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("41");

        Send bare = DEAD_LETTERS.replacing(withoutValue, "orders-enriched", new RecordTooLargeException("2"));
        assertThat(bare.completeness()).isEqualTo(DeadLetters.Completeness.BARE);
        assertThat(bare.record().key()).isNull();
        assertThat(bare.record().headers().lastHeader("traceparent")).isNull();
        assertThat(header(bare.record().headers(), DeadLetters.KEY_OMITTED_BYTES)).isEqualTo("3");
        assertThat(header(bare.record().headers(), DeadLetters.HEADERS_OMITTED)).isEqualTo("1");
        assertThat(header(bare.record().headers(), DeadLetters.REASON_CLASS)).isEqualTo("invalid-json");

        assertThat(DEAD_LETTERS.replacing(bare, "orders-enriched", new RecordTooLargeException("3"))).isNull();
    }

    @Test
    void anOversizedDeadLetterIsShrunkUntilItFitsBeforeItIsSent() {
        Send whole = DEAD_LETTERS.whole(source(new byte[2_000_000]), INVALID);

        Send fitting = DEAD_LETTERS.fitting(whole, RecordLimits.of(1_048_576, Map.of()), "orders-enriched");

        assertThat(fitting.completeness()).isEqualTo(DeadLetters.Completeness.WITHOUT_VALUE);
        assertThat(fitting.size()).isLessThanOrEqualTo(1_048_576);
    }

    @Test
    void anOutputOverItsTopicsOwnLimitIsReplacedByADeadLetterThatFitsTheDeadLetterTopic() {
        ConsumerRecord<byte[], byte[]> source = source(new byte[10]);
        Send output = Send.output(new ProducerRecord<>("orders-enriched", null, new byte[300_000]), source);
        RecordLimits limits = RecordLimits.of(1_048_576, Map.of("orders-enriched", 200_000, "orders-dlq", 1_000));

        Send fitting = DEAD_LETTERS.fitting(output, limits, "orders-enriched");

        assertThat(fitting.isDeadLetter()).isTrue();
        assertThat(fitting.record().topic()).isEqualTo("orders-dlq");
        assertThat(RecordSize.inBatchOfOne(fitting.record())).isLessThanOrEqualTo(1_000);
        assertThat(header(fitting.record().headers(), DeadLetters.REASON)).contains("max.message.bytes of 200000 of orders-enriched");
    }

    @Test
    void aRecordWithinItsTopicsLimitIsSentAsItIs() {
        Send output = Send.output(new ProducerRecord<>("orders-enriched", null, new byte[300_000]), source(new byte[1]));

        assertThat(DEAD_LETTERS.fitting(output, RecordLimits.of(1_048_576, Map.of("orders-dlq", 1_000)),
                "orders-enriched")).isSameAs(output);
    }

    private static ConsumerRecord<byte[], byte[]> source(byte[] value) {
        Headers headers = new RecordHeaders();
        headers.add("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>("orders", 2, 41, 0L, TimestampType.CREATE_TIME, 3, value.length,
                new byte[] { 'k', 'e', 'y' }, value, headers, Optional.empty());
    }

    private static String header(Headers headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
