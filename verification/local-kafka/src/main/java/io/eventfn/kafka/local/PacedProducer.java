package io.eventfn.kafka.local;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends records {@code 0} to {@code count - 1}, each made from its index when it is due, through the caller's producer:
 * at a rate or as fast as the producer takes them, plain or in transactions (some of them aborted, when asked), and
 * tells the caller where each landed. What every harness does to put orders on an input topic.
 */
public final class PacedProducer {

    /** Transactions of {@code size} records; every {@code abortEvery}-th one aborted (0: none), the last too when asked. */
    public record Transactions(int size, int abortEvery, boolean abortLast) {

        public Transactions {
            if (size < 1 || abortEvery < 0) {
                throw new IllegalArgumentException("a transaction holds 1 record at least (not " + size
                        + ") and abortEvery is 0 (none) or more (not " + abortEvery + ")");
            }
        }

        /** Every transaction committed. */
        public static Transactions committed(int size) {
            return new Transactions(size, 0, false);
        }
    }

    /** What the producer's callbacks and the transactions said, for bookkeeping; called from the producer's thread. */
    public interface Acknowledgements {

        void acknowledged(long index, RecordMetadata metadata);

        /** Records {@code from} to {@code to - 1} were in an aborted transaction. */
        default void aborted(long from, long to) {
        }
    }

    /**
     * What was sent: records, their value bytes, how long it took to hand the last one to the producer, and how long
     * until all were acknowledged.
     */
    public record Sent(long records, long valueBytes, Duration handedOver, Duration took) {

        public double seconds() {
            return took.toNanos() / 1e9;
        }

        /** The rate at which records were handed to the producer. */
        public double offeredPerSecond() {
            return records / (handedOver.toNanos() / 1e9);
        }
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final long count;
    private final LongFunction<ProducerRecord<byte[], byte[]>> records;
    private int perSecond;
    private Duration tick = Duration.ofNanos(200_000);
    private Transactions transactions;
    private Acknowledgements acknowledgements = (index, metadata) -> {
    };

    private PacedProducer(KafkaProducer<byte[], byte[]> producer, long count,
            LongFunction<ProducerRecord<byte[], byte[]>> records) {
        this.producer = Objects.requireNonNull(producer);
        this.count = count;
        this.records = Objects.requireNonNull(records);
    }

    /**
     * {@code count} records made by {@code records} (called once per index, in order, when the record is due), sent
     * through {@code producer}, which must have been created transactional (and initialised) for {@link #transactions}.
     */
    public static PacedProducer of(KafkaProducer<byte[], byte[]> producer, long count,
            LongFunction<ProducerRecord<byte[], byte[]>> records) {
        return new PacedProducer(producer, count, records);
    }

    /** Records per second; unless set (or 0), as fast as the producer takes them. */
    public PacedProducer perSecond(int rate) {
        this.perSecond = rate;
        return this;
    }

    /**
     * At a rate, the longest it waits between two looks at what is due (everything due is then sent at once); 200 µs
     * unless set: smooth, for latency. A longer tick sends in bursts and wakes less.
     */
    public PacedProducer tick(Duration interval) {
        this.tick = interval;
        return this;
    }

    public PacedProducer transactions(Transactions settings) {
        this.transactions = settings;
        return this;
    }

    public PacedProducer onAcknowledged(Acknowledgements listener) {
        this.acknowledgements = Objects.requireNonNull(listener);
        return this;
    }

    /**
     * Sends every record, flushes, and returns once all are acknowledged.
     *
     * @throws IllegalStateException with the first send that failed, or when interrupted
     */
    public Sent send() {
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long bytes = 0;
        long next = 0;
        long transactionCount = 0;
        while (next < count) {
            long due = perSecond <= 0 ? count
                    : Math.min(count, (System.nanoTime() - start) * perSecond / 1_000_000_000L + 1);
            while (next < due) {
                long end = transactions == null ? next + 1 : Math.min(count, next + transactions.size());
                boolean abort = false;
                if (transactions != null) {
                    transactionCount++;
                    abort = transactions.abortEvery() > 0 && transactionCount % transactions.abortEvery() == 0
                            || transactions.abortLast() && end == count;
                    producer.beginTransaction();
                }
                for (long index = next; index < end; index++) {
                    ProducerRecord<byte[], byte[]> record = records.apply(index);
                    bytes += record.value() == null ? 0 : record.value().length;
                    long sent = index;
                    producer.send(record, (metadata, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        } else {
                            acknowledgements.acknowledged(sent, metadata);
                        }
                    });
                }
                if (transactions != null) {
                    if (abort) {
                        producer.flush();
                        producer.abortTransaction();
                        acknowledgements.aborted(next, end);
                    } else {
                        producer.commitTransaction();
                    }
                }
                next = end;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted after sending " + next + " of " + count + " records");
            }
            if (next < count) {
                LockSupport.parkNanos(tick.toNanos());
            }
        }
        Duration handedOver = Duration.ofNanos(System.nanoTime() - start);
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("sending failed: " + failure.get(), failure.get());
        }
        return new Sent(count, bytes, handedOver, Duration.ofNanos(System.nanoTime() - start));
    }
}
