package io.eventfn.app.delivery;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One record to write, and the input record it came from: an output the processor emitted, or a dead letter. Keeping
 * the source lets a record the producer or the broker refuses be replaced by a dead letter (and a dead letter by a
 * smaller one) without consuming anything again.
 *
 * @param deadLetter   why the source is dead-lettered; null for an output
 * @param completeness how much of the source a dead letter carries; null for an output
 * @param size         the size the producer checks against its limits ({@link RecordSize})
 */
record Send(ProducerRecord<byte[], byte[]> record, ConsumerRecord<byte[], byte[]> source, DeadLetters.Reason deadLetter,
        DeadLetters.Completeness completeness, int size) {

    static Send output(ProducerRecord<byte[], byte[]> record, ConsumerRecord<byte[], byte[]> source) {
        return new Send(record, source, null, null, RecordSize.upperBound(record));
    }

    static Send deadLetter(ProducerRecord<byte[], byte[]> record, ConsumerRecord<byte[], byte[]> source,
            DeadLetters.Reason reason, DeadLetters.Completeness completeness) {
        return new Send(record, source, reason, completeness, RecordSize.upperBound(record));
    }

    boolean isDeadLetter() {
        return deadLetter != null;
    }
}
