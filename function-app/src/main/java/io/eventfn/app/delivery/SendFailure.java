package io.eventfn.app.delivery;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * What a failure of the producer means for the records being written, in the order Kafka's producer documents them:
 * a record that can never be written, a producer that another instance fenced, a producer that must be replaced, a
 * call that timed out and must be repeated, and everything else, which writing again (after aborting, in a
 * transaction) can cure.
 */
enum SendFailure {
    /** This record can never be written as it is (too large, invalid for the topic): replace it by a dead letter. */
    RECORD_REJECTED,
    /** Another producer with the same transactional id took over: this instance must stop writing. */
    FENCED,
    /** Credentials or broker version forbid the write; retrying does not help until an operator acts. */
    NOT_PERMITTED,
    /** The producer is in a state it cannot leave (fatal error, epoch or producer id gone): replace it. */
    PRODUCER_BROKEN,
    /** A transactional call ran out of {@code max.block.ms}; Kafka requires the same call to be made again. */
    TIMED_OUT,
    /** Anything else (broker away, leader moved, a transaction the coordinator aborted): write again. */
    RETRIABLE;

    static SendFailure of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            SendFailure kind = ofOne(cause);
            if (kind != null) {
                return kind;
            }
        }
        return RETRIABLE;
    }

    private static SendFailure ofOne(Throwable cause) {
        if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException
                || cause instanceof InvalidRecordException || cause instanceof InvalidTimestampException
                || cause instanceof SerializationException) {
            return RECORD_REJECTED;
        }
        if (cause instanceof ProducerFencedException) {
            return FENCED;
        }
        if (cause instanceof AuthorizationException || cause instanceof AuthenticationException
                || cause instanceof UnsupportedVersionException) {
            return NOT_PERMITTED;
        }
        // Not every ApplicationRecoverableException: a stale group generation or member id only needs the
        // transaction written again with the group's current metadata.
        if (cause instanceof InvalidProducerEpochException || cause instanceof InvalidPidMappingException
                || cause instanceof InvalidTxnStateException || cause instanceof OutOfOrderSequenceException) {
            return PRODUCER_BROKEN;
        }
        if (cause instanceof TimeoutException) {
            return TIMED_OUT;
        }
        return null;
    }
}
