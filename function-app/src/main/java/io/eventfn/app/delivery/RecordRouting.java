package io.eventfn.app.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import io.eventfn.app.metrics.DeliveryMetrics;
import io.eventfn.core.Header;
import io.eventfn.core.InboundRecord;
import io.eventfn.core.OutboundRecord;
import io.eventfn.core.Outcome;
import io.opentelemetry.context.Context;

/**
 * Turns one poll's records into what must be written for them: each record goes through the processor (with
 * retries), its outcome becomes outputs for the output topic (carrying the input's trace context, see
 * {@link RecordTracing}), a dead letter, or nothing. A record whose output or dead letter is over the size limit is
 * replaced here, before anything is sent, by a dead letter that fits ({@link RecordLimits}).
 */
final class RecordRouting {

    private static final Logger LOG = Logger.getLogger(RecordRouting.class);
    private final RetryingProcessor processor;
    private final String outputTopic;
    private final DeadLetters deadLetters;
    private final RecordLimits limits;
    private final PartitionOwnership ownership;
    private final DeliveryMetrics metrics;
    private final RecordTracing tracing;

    RecordRouting(RetryingProcessor processor, String outputTopic, DeadLetters deadLetters, RecordLimits limits,
            PartitionOwnership ownership, DeliveryMetrics metrics, RecordTracing tracing) {
        this.processor = processor;
        this.outputTopic = outputTopic;
        this.deadLetters = deadLetters;
        this.limits = limits;
        this.ownership = ownership;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    /**
     * Processes the partitions of one poll that this instance still owns. Stops early, with a shorter last run,
     * when the app starts to stop or a partition is revoked while a record of it waits for a retry: the rest stays
     * uncommitted for the next owner.
     *
     * @param generation the group generation the records were polled in
     */
    List<RoutedRun> route(ConsumerRecords<byte[], byte[]> records, int generation) {
        List<RoutedRun> runs = new ArrayList<>(records.partitions().size());
        Map<TopicPartition, OffsetAndMetadata> nextOffsets = records.nextOffsets();
        for (TopicPartition partition : records.partitions()) {
            if (!ownership.owns(partition, generation)) {
                continue; // revoked since it was polled: its new owner processes it
            }
            List<ConsumerRecord<byte[], byte[]>> polled = records.records(partition);
            List<Send> sends = new ArrayList<>(polled.size());
            BooleanSupplier stillOwned = () -> ownership.owns(partition, generation);
            int done = 0;
            for (ConsumerRecord<byte[], byte[]> record : polled) {
                if (!route(record, sends, stillOwned)) {
                    break;
                }
                done++;
            }
            if (done == polled.size()) {
                OffsetAndMetadata next = nextOffsets.get(partition);
                long last = polled.get(polled.size() - 1).offset();
                runs.add(new RoutedRun(partition, polled.get(0).offset(),
                        next != null && next.offset() > last ? next : after(polled.get(polled.size() - 1)), sends,
                        done, generation));
            } else if (ownership.owns(partition, generation)) {
                // The app is stopping while a record waits for a retry: commit up to it, not past it, and start
                // nothing more.
                if (done > 0) {
                    runs.add(new RoutedRun(partition, polled.get(0).offset(), at(polled.get(done)), sends, done,
                            generation));
                }
                break;
            }
            // else: revoked while a record waited for a retry; the new owner takes over from the last commit.
        }
        return runs;
    }

    /** @return false when the record was not finished (its retries were cut short) */
    private boolean route(ConsumerRecord<byte[], byte[]> record, List<Send> sends, BooleanSupplier stillOwned) {
        Context traced = tracing.start(record);
        long start = System.nanoTime();
        RetryingProcessor.Processed processed = processor.process(inbound(record), stillOwned);
        Outcome outcome = processed.outcome();
        tracing.end(traced, outcome);
        if (outcome instanceof Outcome.Retry) {
            return false;
        }
        metrics.processed(outcome, System.nanoTime() - start);
        switch (outcome) {
            case Outcome.Emit emit -> {
                for (OutboundRecord out : emit.records()) {
                    sends.add(deadLetters.fitting(Send.output(output(out, record, traced), record), limits,
                            outputTopic));
                }
            }
            case Outcome.Reject reject -> {
                LOG.infof("Dead-lettering %s-%d@%d to %s (%s): %s", record.topic(), record.partition(),
                        record.offset(), deadLetters.topic(), reject.reasonClass(), reject.reason());
                sends.add(deadLetters.fitting(deadLetters.whole(record,
                        new DeadLetters.Reason(reject.reasonClass(), reject.reason(), processed.thrownClass())),
                        limits, outputTopic));
            }
            case Outcome.Skip skip -> LOG.debugf("Skipping %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), skip.reason());
            case Outcome.Retry retry -> throw new IllegalStateException("handled above");
        }
        return true;
    }

    private ProducerRecord<byte[], byte[]> output(OutboundRecord out, ConsumerRecord<byte[], byte[]> source,
            Context traced) {
        Headers headers = new RecordHeaders();
        for (Header header : out.headers()) {
            headers.add(header.key(), header.value());
        }
        tracing.propagate(source, traced, headers);
        return new ProducerRecord<>(outputTopic, null, out.key(), out.value(), headers);
    }

    static InboundRecord inbound(ConsumerRecord<byte[], byte[]> record) {
        List<Header> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header header : record.headers()) {
            headers.add(new Header(header.key(), header.value()));
        }
        return new InboundRecord(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key(), record.value(), headers);
    }

    private static OffsetAndMetadata after(ConsumerRecord<?, ?> record) {
        return new OffsetAndMetadata(record.offset() + 1, record.leaderEpoch(), "");
    }

    private static OffsetAndMetadata at(ConsumerRecord<?, ?> record) {
        return new OffsetAndMetadata(record.offset(), record.leaderEpoch(), "");
    }
}
