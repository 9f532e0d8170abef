package io.eventfn.app.delivery;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.jboss.logging.Logger;

/**
 * This instance's transactional producer, and what Kafka requires of its callers: a transactional call that timed out
 * ({@code max.block.ms}) is made again until it completes; a producer in a state it cannot leave is closed and
 * replaced by a new one with the same {@code transactional.id}, whose {@code initTransactions()} completes or aborts
 * whatever the old one left open. Used from the delivery's transaction thread only.
 */
final class TransactionalProducer {

    private static final Logger LOG = Logger.getLogger(TransactionalProducer.class);

    /** Kafka's default {@code transaction.timeout.ms}. */
    private static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(1);

    private final Supplier<Map<String, ?>> configuration;
    private final Consumer<Producer<?, ?>> onCreated;
    private Producer<byte[], byte[]> producer;

    /**
     * @param configuration the Kafka producer configuration, {@code transactional.id} included; read when the first
     *                      producer is created
     * @param onCreated     called with each producer created (the metrics bind to it)
     */
    TransactionalProducer(Supplier<Map<String, ?>> configuration, Consumer<Producer<?, ?>> onCreated) {
        this.configuration = configuration;
        this.onCreated = onCreated;
    }

    String transactionalId() {
        return String.valueOf(configuration.get().get("transactional.id"));
    }

    /**
     * The broker aborts a transaction open longer than this; a timed-out transactional call is also repeated at most
     * this long before the producer is replaced.
     */
    Duration transactionTimeout() {
        Object configured = configuration.get().get("transaction.timeout.ms");
        return configured == null ? DEFAULT_TRANSACTION_TIMEOUT
                : Duration.ofMillis(Long.parseLong(configured.toString().trim()));
    }

    /**
     * Creates the producer and initialises its transactions: fences a previous incarnation with the same
     * {@code transactional.id} and completes or aborts its open transaction. Repeats on timeouts (the broker may not
     * be reachable yet).
     */
    void start() {
        Producer<byte[], byte[]> created = new KafkaProducer<>(new HashMap<>(configuration.get()));
        try {
            repeatOnTimeout("initTransactions", created::initTransactions);
        } catch (RuntimeException e) {
            created.close(Duration.ZERO);
            throw e;
        }
        producer = created;
        onCreated.accept(created);
    }

    /** Closes this producer without waiting and starts a new one. */
    void replace() {
        Producer<byte[], byte[]> old = producer;
        producer = null;
        if (old != null) {
            try {
                old.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debugf("Closing the old transactional producer: %s", e);
            }
        }
        start();
    }

    boolean isStarted() {
        return producer != null;
    }

    void begin() {
        producer.beginTransaction();
    }

    void send(ProducerRecord<byte[], byte[]> record, Callback callback) {
        producer.send(record, callback);
    }

    void commit(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        if (!offsets.isEmpty()) {
            repeatOnTimeout("sendOffsetsToTransaction", () -> producer.sendOffsetsToTransaction(offsets, group));
        }
        repeatOnTimeout("commitTransaction", producer::commitTransaction);
    }

    void abort() {
        repeatOnTimeout("abortTransaction", producer::abortTransaction);
    }

    void close(Duration timeout) {
        if (producer != null) {
            producer.close(timeout);
            producer = null;
        }
    }

    /**
     * Kafka's rule for transactional calls: after a {@link TimeoutException} the same call must be made again (any
     * other call fails until it completes). Gives up after the transaction timeout by rethrowing the timeout.
     */
    private void repeatOnTimeout(String call, Runnable action) {
        long deadline = System.nanoTime() + transactionTimeout().toNanos();
        for (int attempt = 1;; attempt++) {
            try {
                action.run();
                return;
            } catch (TimeoutException e) {
                if (System.nanoTime() >= deadline) {
                    throw e;
                }
                LOG.warnf("%s of the transactional producer %s timed out (attempt %d); calling it again",
                        call, transactionalId(), attempt);
            }
        }
    }
}
