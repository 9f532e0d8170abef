package io.eventfn.benchmarks;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import io.eventfn.core.RecordProcessor;
import io.eventfn.core.orders.OrderEnricher;

/**
 * The simple hand-written loop, kept as a second reference: poll, run every record through {@link OrderEnricher},
 * send the outputs, {@code flush} (the polling thread waits until the broker acknowledged every send), then commit
 * the poll's offsets, one asynchronous commit in flight at a time. Correct, but it waits for the broker on every
 * poll: {@link PipelinedBaseline} is the reference the app is measured against.
 */
public final class FlushPerPollBaseline {

    private FlushPerPollBaseline() {
    }

    public static void main(String[] args) {
        BaselineSettings settings = BaselineSettings.fromEnvironment();
        RecordProcessor processor = new OrderEnricher();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings.consumer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings.producer(false))) {
            BaselineSettings.onSigterm(consumer::wakeup);
            consumer.subscribe(settings.inputTopics());
            System.out.println("Flush-per-poll baseline consuming " + settings.inputTopics());
            // Next offsets handled so far, and those the broker confirmed; both touched on this thread only
            // (commit callbacks run inside poll).
            Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
            Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
            boolean[] commitInFlight = { false };
            try {
                while (true) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                    if (records.isEmpty()) {
                        if (!commitInFlight[0] && !committed.equals(handled)) {
                            consumer.commitSync(handled);
                            committed.putAll(handled);
                        }
                        continue;
                    }
                    AtomicReference<Exception> failure = new AtomicReference<>();
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        for (var out : settings.route(processor.process(BaselineSettings.inbound(record)), record)) {
                            producer.send(out, (metadata, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                }
                            });
                        }
                    }
                    producer.flush(); // every send acknowledged (or failed) from here on
                    if (failure.get() != null) {
                        throw new IllegalStateException("A send failed; nothing of this poll is committed",
                                failure.get());
                    }
                    handled.putAll(records.nextOffsets());
                    if (!commitInFlight[0]) {
                        commitInFlight[0] = true;
                        consumer.commitAsync(new HashMap<>(handled), (done, e) -> {
                            commitInFlight[0] = false;
                            if (e == null) {
                                committed.putAll(done);
                            }
                        });
                    }
                }
            } catch (WakeupException stopping) {
                consumer.commitSync(handled);
                System.out.println("Baseline stopping");
            }
        }
    }
}
