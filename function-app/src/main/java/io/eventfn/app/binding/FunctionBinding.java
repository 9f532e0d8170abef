package io.eventfn.app.binding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.eventfn.app.config.ConsumerSettings;
import io.eventfn.app.config.ProcessingGuarantee;
import io.eventfn.app.metrics.CommitMetrics;
import io.eventfn.app.metrics.DeliveryMetrics;
import io.eventfn.core.Outcome;
import io.eventfn.core.RecordProcessor;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.OutgoingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;

/**
 * The whole delivery story, top to bottom.
 * <ol>
 * <li>The {@code input} channel joins the consumer group and hands over one poll's worth of records at a time, in
 * partition order; nothing is committed yet.</li>
 * <li>Each record goes through the core {@link RecordProcessor} (retried with backoff when it says so).</li>
 * <li>Its outcome becomes records to send: emitted records to the output topic, rejected ones to the dead-letter
 * topic (source bytes untouched, plus {@code dead-letter-*} headers); a skipped record sends nothing.</li>
 * <li>At least once: the batch is acknowledged only when the broker has acknowledged every record it sent; the
 * connector then commits the input offsets (and commits what is finished on shutdown and on rebalance).
 * Exactly once: the records and the input offsets are written in one Kafka transaction.</li>
 * </ol>
 * A record the producer gives up on is sent again with backoff for about a minute; the batch stays uncommitted
 * meanwhile. If it still cannot be written, the batch fails: nothing of it is committed, the channel reports itself
 * not live, and the records are consumed again after the restart rather than lost.
 */
@ApplicationScoped
public class FunctionBinding {

    private static final Logger LOG = Logger.getLogger(FunctionBinding.class);
    /** First wait before re-sending records the producer gave up on; doubles each time. */
    private static final Duration SEND_RETRY_BACKOFF = Duration.ofSeconds(1);
    /** About a minute of re-sending on top of the producer's own delivery timeout (2 minutes by default). */
    private static final int SEND_ATTEMPTS = 7;
    /** Bounds rewinding the consumer to the committed offsets, which runs on its polling thread. */
    private static final Duration CONSUMER_CALL_TIMEOUT = Duration.ofSeconds(30);
    /** The polling thread answers within milliseconds unless it is blocked in a rebalance callback. */
    private static final Duration GROUP_METADATA_WAIT = Duration.ofSeconds(1);

    private final ConsumerSettings settings;
    private final ProcessingGuarantee guarantee;
    private final RetryingProcessor processor;
    private final KafkaClientService clients;
    private volatile Producer<byte[], byte[]> producer;
    private volatile Producer<byte[], byte[]> transactionalProducer;
    private volatile KafkaConsumer<Object, Object> inputConsumer;
    private final InFlightBatches inFlight;
    private final DeliveryMetrics metrics;
    private final CommitMetrics commits;

    @Inject
    public FunctionBinding(ConsumerSettings settings, RecordProcessor processor, InFlightBatches inFlight,
            // Declares the output channel (its producer and health); records go to that producer directly.
            @Channel("output") MutinyEmitter<byte[]> output, KafkaClientService clients,
            // Declares the transactional output channel: its producer, created and initialised at start-up in
            // exactly-once mode (so a restart fences its predecessor at once); the transactions use it directly.
            @Channel("output-transactional") MutinyEmitter<byte[]> transactionalOutput, DeliveryMetrics metrics,
            CommitMetrics commits) {
        this.settings = settings;
        this.guarantee = settings.guarantee();
        this.metrics = metrics;
        this.commits = commits;
        this.processor = new RetryingProcessor(metrics.countingRetries(processor), settings.retry().maxAttempts(),
                settings.retry().initialBackoff(), settings.retry().maxBackoff());
        this.clients = clients;
        this.inFlight = inFlight;
    }

    @Incoming("input")
    @Blocking
    public Uni<Void> consume(KafkaRecordBatch<byte[], byte[]> batch) {
        metrics.received(batch.getRecords().size());
        Set<TopicPartition> partitions = batch.getLatestOffsetRecords().keySet();
        Map<TopicPartition, long[]> lastAndNext = KafkaRecords.lastAndNextOffsets(batch);
        inFlight.positionsAfter(lastAndNext);
        if (!inFlight.begin(partitions)) {
            // Shutting down: leave the batch unprocessed and uncommitted; the next owner consumes it.
            return Uni.createFrom().voidItem();
        }
        return deliver(batch, lastAndNext).onTermination().invoke(() -> inFlight.end(partitions));
    }

    /** Stop starting batches as soon as shutdown begins; the connector then drains and commits (DrainingCommit). */
    void onShutdown(@Observes ShutdownEvent event) {
        inFlight.startDraining();
    }

    private Uni<Void> deliver(KafkaRecordBatch<byte[], byte[]> batch, Map<TopicPartition, long[]> lastAndNext) {
        List<OutgoingKafkaRecord<byte[], byte[]>> sends = route(batch);
        if (guarantee == ProcessingGuarantee.EXACTLY_ONCE) {
            return deliverInOneTransaction(batch, sends, lastAndNext);
        }
        return sendUntilAcknowledged(sends, 1)
                .onItem().transformToUni(ignored -> Uni.createFrom().completionStage(batch::ack))
                .onFailure().call(failure -> Uni.createFrom().completionStage(() -> batch.nack(failure)));
    }

    /**
     * Exactly once: the batch's records and its input offsets (the consumer's next offsets, past any transaction
     * marker, for the partitions this instance still owns) in one Kafka transaction, on this worker thread, straight
     * to the transactional producer: one call per record instead of one Uni and one emitter hop per record.
     * <p>
     * If anything fails, the transaction is aborted, the consumer is rewound to the last committed offsets (the
     * records are polled and processed again, nothing is skipped) and the batch is nacked, which the exactly-once
     * failure strategy ignores. A producer that was fenced (another instance took over this {@code INSTANCE_ID}'s
     * transactional id) or may not write cannot go on: the app says so and exits 1, the batch uncommitted.
     */
    private Uni<Void> deliverInOneTransaction(KafkaRecordBatch<byte[], byte[]> batch,
            List<OutgoingKafkaRecord<byte[], byte[]>> sends, Map<TopicPartition, long[]> lastAndNext) {
        int generation = KafkaRecords.generation(batch);
        KafkaConsumer<Object, Object> consumer = inputConsumer();
        Producer<byte[], byte[]> producer = transactionalProducer();
        boolean begun = false;
        try {
            // The group's current generation (member epoch with KIP-848): the broker fences a zombie by it. A batch
            // polled in an earlier generation is still committed, for the partitions owned without a break since it
            // was polled; a partition being revoked waits for this batch before it moves.
            ConsumerGroupMetadata group = currentGroupMetadata(consumer);
            Map<TopicPartition, OffsetAndMetadata> offsets = KafkaRecords.nextOffsets(lastAndNext,
                    partition -> inFlight.owns(partition, generation));
            producer.beginTransaction();
            begun = true;
            for (OutgoingKafkaRecord<byte[], byte[]> record : sends) {
                // A failed send makes commitTransaction() throw; the callback is not needed for that.
                producer.send(KafkaRecords.producerRecord(record));
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, group);
            }
            producer.commitTransaction();
            commits.transactionCommitted();
            return Uni.createFrom().completionStage(batch::ack);
        } catch (RuntimeException failure) {
            if (producerCannotContinue(failure)) {
                // Retrying cannot help; a fenced instance must stop writing. Its batch stays uncommitted.
                LOG.errorf("The transactional producer (transactional.id %s-%s) cannot go on: %s. Either another "
                        + "instance runs with the same INSTANCE_ID, or the credentials may not write transactions. "
                        + "Exiting.", settings.groupId(), settings.instanceId(), failure);
                Quarkus.asyncExit(1);
                return Uni.createFrom().completionStage(() -> batch.nack(failure));
            }
            LOG.warnf("Transaction of %d records aborted, the batch is consumed again: %s", sends.size(), failure);
            if (begun) {
                abortQuietly(producer);
            }
            consumer.resetToLastCommittedPositions().await().atMost(CONSUMER_CALL_TIMEOUT);
            return Uni.createFrom().completionStage(() -> batch.nack(failure));
        }
    }

    /** The transactional producer's fatal errors (its javadoc): aborting and retrying cannot help. */
    private static boolean producerCannotContinue(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof OutOfOrderSequenceException
                    || cause instanceof AuthorizationException || cause instanceof UnsupportedVersionException
                    || cause instanceof InvalidTxnStateException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Asks the consumer on its polling thread; if that thread does not answer at once it is inside a rebalance
     * callback, waiting for this very batch to finish: then the metadata it recorded on entering is the current one.
     */
    private ConsumerGroupMetadata currentGroupMetadata(KafkaConsumer<Object, Object> consumer) {
        try {
            return consumer.consumerGroupMetadata().await().atMost(GROUP_METADATA_WAIT);
        } catch (TimeoutException pollingThreadBusy) {
            ConsumerGroupMetadata recorded = inFlight.groupMetadata();
            if (recorded == null) {
                throw pollingThreadBusy;
            }
            return recorded;
        }
    }

    private static void abortQuietly(Producer<byte[], byte[]> producer) {
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            LOG.warnf("Could not abort the transaction (the broker aborts it after transaction.timeout.ms): %s", e);
        }
    }

    private KafkaConsumer<Object, Object> inputConsumer() {
        if (inputConsumer == null) {
            inputConsumer = clients.getConsumer("input");
        }
        return inputConsumer;
    }

    private Producer<byte[], byte[]> transactionalProducer() {
        if (transactionalProducer == null) {
            transactionalProducer = clients.<byte[], byte[]> getProducer("output-transactional").unwrap();
        }
        return transactionalProducer;
    }

    /**
     * Sends the records and, for those the producer gives up on (a delivery timed out during a long outage, a login
     * refused), sends them again with backoff: the batch stays uncommitted meanwhile, so nothing is lost. Gives up
     * after {@link #SEND_ATTEMPTS} attempts or on shutdown; the batch then stays uncommitted for the next run.
     */
    private Uni<Void> sendUntilAcknowledged(List<OutgoingKafkaRecord<byte[], byte[]>> records, int attempt) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // Straight to the channel's Kafka producer: one completion per batch instead of one Uni and one event-loop
        // hop per record (a third of the app's CPU, profiled in benchmarks/RESULTS.md). Same producer, same
        // settings, same acknowledgements; records are handed over in order, so partition order is kept.
        Producer<byte[], byte[]> producer = producer();
        Throwable[] failures = new Throwable[records.size()];
        AtomicInteger pending = new AtomicInteger(records.size());
        CompletableFuture<List<Throwable>> settled = new CompletableFuture<>();
        for (int i = 0; i < records.size(); i++) {
            int index = i;
            Callback callback = (metadata, failure) -> {
                failures[index] = failure;
                if (pending.decrementAndGet() == 0) {
                    settled.complete(Arrays.asList(failures));
                }
            };
            try {
                producer.send(KafkaRecords.producerRecord(records.get(i)), callback);
            } catch (RuntimeException e) {
                callback.onCompletion(null, e);
            }
        }
        return Uni.createFrom().completionStage(settled).onItem().transformToUni(outcomes -> {
            List<OutgoingKafkaRecord<byte[], byte[]>> failed = new ArrayList<>();
            Throwable cause = null;
            for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i) != null) {
                    failed.add(records.get(i));
                    cause = outcomes.get(i);
                }
            }
            if (failed.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            if (inFlight.isDraining() || attempt >= SEND_ATTEMPTS) {
                // Shutting down, or the producer is not coming back: fail the batch (uncommitted); the channel then
                // reports itself not live and Kubernetes restarts the pod with a fresh producer.
                return Uni.createFrom().failure(cause);
            }
            Duration backoff = SEND_RETRY_BACKOFF.multipliedBy(1L << Math.min(attempt - 1, 5));
            LOG.warnf("%d of %d records could not be written (attempt %d; retrying in %d s, the batch stays "
                    + "uncommitted): %s", failed.size(), records.size(), attempt, backoff.toSeconds(), cause);
            return Uni.createFrom().voidItem().onItem().delayIt().by(backoff)
                    .onItem().transformToUni(ignored -> sendUntilAcknowledged(failed, attempt + 1));
        });
    }

    private Producer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = clients.<byte[], byte[]> getProducer("output").unwrap();
        }
        return producer;
    }

    private List<OutgoingKafkaRecord<byte[], byte[]>> route(KafkaRecordBatch<byte[], byte[]> batch) {
        List<OutgoingKafkaRecord<byte[], byte[]>> sends = new ArrayList<>(batch.getRecords().size());
        // A poll's records come partition by partition, and ownership cannot change while the batch is in flight
        // (a revocation waits for it): decide once per run of records of one partition, not per record.
        TopicPartition partition = null;
        boolean owned = false;
        for (KafkaRecord<byte[], byte[]> polled : batch) {
            // The connector hands over incoming records; only they know their offset.
            IncomingKafkaRecord<byte[], byte[]> record = (IncomingKafkaRecord<byte[], byte[]>) polled;
            if (partition == null || partition.partition() != record.getPartition()
                    || !partition.topic().equals(record.getTopic())) {
                partition = new TopicPartition(record.getTopic(), record.getPartition());
                owned = inFlight.owns(partition, record.getConsumerGroupGenerationId());
            }
            if (!owned) {
                continue; // revoked since it was polled: its new owner processes it
            }
            long start = System.nanoTime();
            Outcome outcome = processor.process(KafkaRecords.inbound(record));
            metrics.processed(outcome, System.nanoTime() - start);
            switch (outcome) {
                case Outcome.Emit emit -> emit.records()
                        .forEach(out -> sends.add(KafkaRecords.output(settings.outputTopic(), out)));
                case Outcome.Reject reject -> {
                    LOG.infof("Dead-lettering %s-%d@%d to %s (%s): %s", record.getTopic(), record.getPartition(),
                            record.getOffset(), settings.deadLetterTopic(), reject.reasonClass(), reject.reason());
                    sends.add(KafkaRecords.deadLetter(settings.deadLetterTopic(), record, reject.reasonClass(),
                            reject.reason()));
                }
                case Outcome.Skip skip -> LOG.debugf("Skipping %s-%d@%d: %s", record.getTopic(),
                        record.getPartition(), record.getOffset(), skip.reason());
                case Outcome.Retry interrupted -> throw new IllegalStateException(
                        "Stopped while retrying " + record.getTopic() + "-" + record.getPartition() + "@"
                                + record.getOffset() + "; it stays uncommitted: " + interrupted.cause());
            }
        }
        return sends;
    }
}
