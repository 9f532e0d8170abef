package io.eventfn.benchmarks;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import io.eventfn.core.RecordProcessor;
import io.eventfn.core.orders.OrderEnricher;

/**
 * The reference the app is measured against at least once: the fastest correct loop a skilled engineer writes on
 * the plain Kafka clients, with the app's client settings. Sends are asynchronous and neither polling nor processing
 * waits for them; each partition's offsets are committed for the prefix of its polls whose sends are all
 * acknowledged, in order, one asynchronous commit in flight; the records in flight are bounded (the partitions are
 * paused at the bound). A revocation and SIGTERM flush and commit first. A failed send stops the loop without
 * committing past it.
 */
public final class PipelinedBaseline {

    /** Input records polled and not yet acknowledged, at most. */
    static final int MAX_IN_FLIGHT_RECORDS = 10_000;

    /** One poll's records of one partition: committed once all their sends are acknowledged. */
    private record Run(OffsetAndMetadata next, int records, AtomicInteger pending) {
    }

    private PipelinedBaseline() {
    }

    public static void main(String[] args) {
        BaselineSettings settings = BaselineSettings.fromEnvironment();
        RecordProcessor processor = new OrderEnricher();
        AtomicReference<Exception> failure = new AtomicReference<>();
        // Touched on the polling thread only; the send callbacks only count down a run's pending sends.
        Map<TopicPartition, ArrayDeque<Run>> runs = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> acknowledged = new HashMap<>();
        int[] inFlight = { 0 };
        boolean[] commitInFlight = { false };
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings.consumer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings.producer(false))) {
            BaselineSettings.onSigterm(consumer::wakeup);
            consumer.subscribe(settings.inputTopics(), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    producer.flush();
                    inFlight[0] -= advance(runs, acknowledged, failure);
                    Map<TopicPartition, OffsetAndMetadata> leaving = new HashMap<>(acknowledged);
                    leaving.keySet().retainAll(partitions);
                    if (!leaving.isEmpty()) {
                        consumer.commitSync(leaving);
                    }
                    forget(partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    forget(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    partitions.forEach(partition -> runs.put(partition, new ArrayDeque<>()));
                }

                private void forget(Collection<TopicPartition> partitions) {
                    for (TopicPartition partition : partitions) {
                        ArrayDeque<Run> left = runs.remove(partition);
                        if (left != null) {
                            left.forEach(run -> inFlight[0] -= run.records());
                        }
                        acknowledged.remove(partition);
                    }
                }
            });
            System.out.println("Pipelined baseline consuming " + settings.inputTopics());
            try {
                while (true) {
                    boolean full = inFlight[0] >= MAX_IN_FLIGHT_RECORDS;
                    if (full) {
                        consumer.pause(consumer.assignment());
                    }
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(full ? 5 : 100));
                    if (full) {
                        consumer.resume(consumer.paused());
                    }
                    for (TopicPartition partition : records.partitions()) {
                        var polled = records.records(partition);
                        AtomicInteger pending = new AtomicInteger(1);
                        Run run = new Run(records.nextOffsets().get(partition), polled.size(), pending);
                        runs.get(partition).addLast(run);
                        inFlight[0] += polled.size();
                        for (ConsumerRecord<byte[], byte[]> record : polled) {
                            for (ProducerRecord<byte[], byte[]> out : settings.route(
                                    processor.process(BaselineSettings.inbound(record)), record)) {
                                pending.incrementAndGet();
                                producer.send(out, (metadata, e) -> {
                                    if (e != null) {
                                        failure.compareAndSet(null, e);
                                    }
                                    pending.decrementAndGet();
                                });
                            }
                        }
                        pending.decrementAndGet(); // every send of the run handed over
                    }
                    inFlight[0] -= advance(runs, acknowledged, failure);
                    if (!commitInFlight[0] && !acknowledged.isEmpty()) {
                        commitInFlight[0] = true;
                        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(acknowledged);
                        acknowledged.clear();
                        consumer.commitAsync(offsets, (done, e) -> {
                            commitInFlight[0] = false;
                            if (e != null) {
                                // Not lost: put back what no later acknowledgement has replaced.
                                offsets.forEach(acknowledged::putIfAbsent);
                            }
                        });
                    }
                }
            } catch (WakeupException stopping) {
                producer.flush();
                advance(runs, acknowledged, failure);
                if (!acknowledged.isEmpty()) {
                    consumer.commitSync(acknowledged);
                }
                System.out.println("Baseline stopping");
            }
        }
    }

    /**
     * Moves each partition's acknowledged prefix over its fully acknowledged runs.
     *
     * @return the input records of the runs passed
     */
    private static int advance(Map<TopicPartition, ArrayDeque<Run>> runs,
            Map<TopicPartition, OffsetAndMetadata> acknowledged, AtomicReference<Exception> failure) {
        if (failure.get() != null) {
            throw new IllegalStateException("A send failed; nothing after it is committed", failure.get());
        }
        int passed = 0;
        for (Map.Entry<TopicPartition, ArrayDeque<Run>> partition : runs.entrySet()) {
            ArrayDeque<Run> queue = partition.getValue();
            while (!queue.isEmpty() && queue.peekFirst().pending().get() == 0) {
                Run done = queue.pollFirst();
                acknowledged.put(partition.getKey(), done.next());
                passed += done.records();
            }
        }
        return passed;
    }
}
