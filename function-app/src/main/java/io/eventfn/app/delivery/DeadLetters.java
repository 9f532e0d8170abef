package io.eventfn.app.delivery;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

/**
 * The dead-letter format. A dead letter is the source record byte for byte (key, value, headers) plus
 * {@code dead-letter-*} headers saying why and where it came from. When even that cannot be written (a source at the
 * size limit plus the headers is over it), a smaller one takes its place, so that every record is accounted for and
 * its partition moves on: first without the value, then without key and source headers; the headers say what was left
 * out and why.
 */
final class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    static final String REASON = "dead-letter-reason";
    static final String REASON_CLASS = "dead-letter-reason-class";
    static final String EXCEPTION_CLASS = "dead-letter-exception-class";
    static final String SOURCE_TOPIC = "dead-letter-topic";
    static final String SOURCE_PARTITION = "dead-letter-partition";
    static final String SOURCE_OFFSET = "dead-letter-offset";
    static final String VALUE_OMITTED_BYTES = "dead-letter-value-omitted-bytes";
    static final String KEY_OMITTED_BYTES = "dead-letter-key-omitted-bytes";
    static final String HEADERS_OMITTED = "dead-letter-headers-omitted";
    static final String OMITTED_BECAUSE = "dead-letter-omitted-because";

    /** The reason class of a source whose output the broker or the producer refused. */
    static final String OUTPUT_REJECTED = "output-rejected";

    /**
     * Why a record is dead-lettered.
     *
     * @param exceptionClass the class of what the processor threw, or null
     */
    record Reason(String reasonClass, String reason, String exceptionClass) {
    }

    /** How much of the source a dead letter carries; each step is tried when the one before could not be written. */
    enum Completeness {
        WHOLE, WITHOUT_VALUE, BARE;

        Completeness smaller() {
            return this == WHOLE ? WITHOUT_VALUE : BARE;
        }
    }

    private final String topic;

    DeadLetters(String topic) {
        this.topic = topic;
    }

    String topic() {
        return topic;
    }

    Send whole(ConsumerRecord<byte[], byte[]> source, Reason reason) {
        Headers headers = new RecordHeaders(source.headers().toArray());
        describe(headers, source, reason);
        return Send.deadLetter(new ProducerRecord<>(topic, null, source.key(), source.value(), headers), source, reason,
                Completeness.WHOLE);
    }

    /** The source's output was refused (too large, invalid for the output topic): the source goes here instead. */
    Send outputRejected(ConsumerRecord<byte[], byte[]> source, String outputTopic, Throwable refusal) {
        return whole(source, new Reason(OUTPUT_REJECTED, "an output of this record could not be written to "
                + outputTopic + ": " + describe(refusal), refusal.getClass().getName()));
    }

    /**
     * What to write when the producer or the broker refused {@code refused} for its content: a dead letter of the
     * source when it was an output, the next smaller dead letter when it was one, or null when even the smallest
     * was refused.
     */
    Send replacing(Send refused, String outputTopic, Throwable refusal) {
        if (!refused.isDeadLetter()) {
            return outputRejected(refused.source(), outputTopic, refusal);
        }
        if (refused.completeness() == Completeness.BARE) {
            return null;
        }
        ConsumerRecord<byte[], byte[]> source = refused.source();
        Completeness next = refused.completeness().smaller();
        Headers headers = next == Completeness.WITHOUT_VALUE ? new RecordHeaders(source.headers().toArray())
                : new RecordHeaders();
        describe(headers, source, refused.deadLetter());
        headers.add(VALUE_OMITTED_BYTES, utf8(Integer.toString(length(source.value()))));
        if (next == Completeness.BARE) {
            headers.add(KEY_OMITTED_BYTES, utf8(Integer.toString(length(source.key()))));
            headers.add(HEADERS_OMITTED, utf8(Integer.toString(source.headers().toArray().length)));
        }
        headers.add(OMITTED_BECAUSE, utf8(describe(refusal)));
        byte[] key = next == Completeness.WITHOUT_VALUE ? source.key() : null;
        return Send.deadLetter(new ProducerRecord<>(topic, null, key, null, headers), source, refused.deadLetter(),
                next);
    }

    /**
     * {@code send} when its topic can take it, else the dead letter that replaces it, smaller and smaller until one
     * fits (the smallest carries no key, value or source headers); null when {@code send} is null.
     */
    Send fitting(Send send, RecordLimits limits, String outputTopic) {
        Send candidate = send;
        RecordTooLargeException refusal;
        while (candidate != null && (refusal = limits.refusal(candidate)) != null) {
            Send smaller = replacing(candidate, outputTopic, refusal);
            if (smaller == null) {
                return candidate; // not even the smallest fits: let the producer or the broker refuse it
            }
            LOG.warnf("The %s of %s-%d@%d cannot be written to %s (%s): writing %s dead letter to %s instead",
                    candidate.isDeadLetter() ? "dead letter" : "output", candidate.source().topic(),
                    candidate.source().partition(), candidate.source().offset(), candidate.record().topic(),
                    refusal.getMessage(), smaller.completeness() == Completeness.WHOLE ? "a" : "a smaller", topic);
            candidate = smaller;
        }
        return candidate;
    }

    private static void describe(Headers headers, ConsumerRecord<byte[], byte[]> source, Reason reason) {
        headers.add(REASON, utf8(reason.reason()));
        headers.add(REASON_CLASS, utf8(reason.reasonClass()));
        if (reason.exceptionClass() != null) {
            headers.add(EXCEPTION_CLASS, utf8(reason.exceptionClass()));
        }
        headers.add(SOURCE_TOPIC, utf8(source.topic()));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(source.offset())));
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
