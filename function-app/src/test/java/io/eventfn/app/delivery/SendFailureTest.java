package io.eventfn.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.junit.jupiter.api.Test;

/** What each producer failure means for the records being written. */
class SendFailureTest {

    @Test
    void aRecordTheBrokerCannotTakeIsRejectedForItsContent() {
        assertThat(SendFailure.of(new RecordTooLargeException("too large"))).isEqualTo(SendFailure.RECORD_REJECTED);
        assertThat(SendFailure.of(new InvalidRecordException("compacted topic without key")))
                .isEqualTo(SendFailure.RECORD_REJECTED);
    }

    @Test
    void theCauseOfAWrappedFailureDecides() {
        KafkaException errorState = new KafkaException(
                "Cannot execute transactional method because we are in an error state",
                new RecordTooLargeException("too large"));

        assertThat(SendFailure.of(errorState)).isEqualTo(SendFailure.RECORD_REJECTED);
        assertThat(SendFailure.of(new KafkaException("wrapped", new ProducerFencedException("other instance"))))
                .isEqualTo(SendFailure.FENCED);
    }

    @Test
    void aProducerThatLostItsEpochMustBeReplaced() {
        assertThat(SendFailure.of(new InvalidProducerEpochException("epoch"))).isEqualTo(SendFailure.PRODUCER_BROKEN);
    }

    @Test
    void aStaleGroupGenerationOnlyNeedsTheTransactionWrittenAgain() {
        assertThat(SendFailure.of(new IllegalGenerationException("stale"))).isEqualTo(SendFailure.RETRIABLE);
        assertThat(SendFailure.of(new CommitFailedException("metadata mismatch"))).isEqualTo(SendFailure.RETRIABLE);
        assertThat(SendFailure.of(new TransactionAbortableException("abortable"))).isEqualTo(SendFailure.RETRIABLE);
        assertThat(SendFailure.of(new NotEnoughReplicasException("replicas"))).isEqualTo(SendFailure.RETRIABLE);
    }

    @Test
    void aTimedOutCallIsToldApartFromOtherFailures() {
        assertThat(SendFailure.of(new TimeoutException("max.block.ms"))).isEqualTo(SendFailure.TIMED_OUT);
    }

    @Test
    void missingPermissionsAreNotRetried() {
        assertThat(SendFailure.of(new TopicAuthorizationException("no write"))).isEqualTo(SendFailure.NOT_PERMITTED);
    }
}
