package io.eventfn.app.delivery;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where each poll left the consumer, partition by partition, including polls that returned no record: a poll that
 * only skips a transaction's commit marker, or the records of an aborted transaction, moves the position without
 * handing anything over (the connector drops such polls). Committing that position once everything polled before it
 * is done is what lets the lag reach exactly 0 on topics written by transactional producers, so that KEDA can scale to
 * zero.
 * <p>
 * Fed by {@link Interceptor}, which the Kafka consumer calls on its polling thread at the end of every poll.
 */
final class PolledPositions {

    /** The consumer configuration key under which the interceptor finds this instance. */
    static final String CONFIG_KEY = "io.eventfn.polled-positions";

    /**
     * Per partition, read as one value so that a reader never sees a position without the records it passed.
     *
     * @param position     where the latest poll left the partition
     * @param afterRecords where the latest poll that returned records of the partition left it; null if none did
     */
    private record Polled(OffsetAndMetadata position, OffsetAndMetadata afterRecords) {
    }

    private final Map<TopicPartition, Polled> polled = new ConcurrentHashMap<>();
    private volatile Runnable onSkippedOnly = () -> {
    };

    /** Called when a poll moved a partition's position without returning any of its records. */
    void onSkippedOnly(Runnable listener) {
        this.onSkippedOnly = listener;
    }

    void polled(ConsumerRecords<?, ?> records) {
        boolean skippedOnly = false;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> next : records.nextOffsets().entrySet()) {
            TopicPartition partition = next.getKey();
            OffsetAndMetadata position = next.getValue();
            if (!records.records(partition).isEmpty()) {
                polled.put(partition, new Polled(position, position));
                continue;
            }
            // No record of the partition in this poll. Kafka also reports a partition whose fetch returned nothing,
            // at the position it already had and without a leader epoch: only a move past what was known, or past
            // record batches (which give it an epoch), is a skip.
            Polled before = polled.get(partition);
            boolean moved = before == null ? position.leaderEpoch().isPresent()
                    : position.offset() > before.position().offset();
            if (moved) {
                skippedOnly = true;
                polled.put(partition, new Polled(position, before == null ? null : before.afterRecords()));
            }
        }
        if (skippedOnly) {
            onSkippedOnly.run();
        }
    }

    /** True once a poll (or {@link #idleAt}) told where the partition's consumer stands. */
    boolean knows(TopicPartition partition) {
        return polled.containsKey(partition);
    }

    /**
     * The consumer's position for a partition no poll has returned anything of since it was assigned (an empty
     * partition, or one where nothing new arrived): committing it shows the group at lag 0 there too.
     */
    void idleAt(TopicPartition partition, OffsetAndMetadata position) {
        polled.putIfAbsent(partition, new Polled(position, null));
    }

    /** Positions before an assignment or after a revocation say nothing about the next owner's work. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(polled::remove);
    }

    /**
     * The offset to commit for a partition whose records are done up to {@code done} (the next offset after the
     * last record finished, or null when none was): the consumer's position when every record it polled is done and
     * it has moved past more than records since, else {@code done}.
     */
    OffsetAndMetadata committable(TopicPartition partition, OffsetAndMetadata done) {
        Polled at = polled.get(partition);
        if (at == null) {
            return done;
        }
        boolean allPolledRecordsDone = at.afterRecords() == null
                || (done != null && done.offset() >= at.afterRecords().offset());
        if (allPolledRecordsDone && (done == null || at.position().offset() > done.offset())) {
            return at.position();
        }
        return done;
    }

    /** Kafka instantiates this by class name ({@code interceptor.classes}) and hands it the consumer's configuration. */
    @RegisterForReflection
    public static final class Interceptor implements ConsumerInterceptor<Object, Object> {

        private PolledPositions positions;

        @Override
        public void configure(Map<String, ?> configs) {
            positions = (PolledPositions) configs.get(CONFIG_KEY);
        }

        @Override
        public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
            if (positions != null) {
                positions.polled(records);
            }
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        }

        @Override
        public void close() {
        }
    }
}
