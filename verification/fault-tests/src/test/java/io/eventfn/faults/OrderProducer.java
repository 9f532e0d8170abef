package io.eventfn.faults;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes a run's input in the background at a steady rate, so that faults hit a live stream: {@code total} records of
 * {@link Orders}, each with header {@value #INDEX_HEADER} (its index, kept by dead letters). Remembers where each record
 * landed (partition, offset) and, when writing in transactions, which records belong to aborted ones.
 */
final class OrderProducer implements AutoCloseable {

    static final String INDEX_HEADER = "fault-index";
    private static final long TICK_MILLIS = 20;

    /** Transactions of {@code size} records; every {@code abortEvery}-th one is aborted, and the last one too. */
    record Transactions(int size, int abortEvery) {
    }

    private final Orders orders;
    private final String topic;
    private final long total;
    private final long perTick;
    private final Transactions transactions;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "order-producer"));
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final byte[] partitions;
    private final long[] offsets;
    private final BitSet aborted = new BitSet();
    private long next;
    private long transactionCount;
    private volatile long firstSendNanos;

    OrderProducer(String bootstrapServers, String topic, Orders orders, long total, int perSecond,
            Transactions transactions) {
        this.orders = orders;
        this.topic = topic;
        this.total = total;
        this.perTick = Math.max(1, perSecond * TICK_MILLIS / 1000);
        this.transactions = transactions;
        this.partitions = new byte[Math.toIntExact(total)];
        this.offsets = new long[Math.toIntExact(total)];
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, orders.run() + "-input-producer");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // Long enough to ride out the broker outage scenario without losing or reordering input.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        // Records made to the broker's limit (message.max.bytes, about 1 MiB) are over Kafka's default of 1 MiB here.
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        if (transactions != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, orders.run() + "-input-tx");
        }
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        if (transactions != null) {
            producer.initTransactions();
        }
    }

    /** Starts producing; {@link #completion()} completes when every record is acknowledged. */
    OrderProducer start() {
        ticker.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        try {
            if (next == 0) {
                firstSendNanos = System.nanoTime();
            }
            if (transactions == null) {
                long end = Math.min(total, next + perTick);
                while (next < end) {
                    send(next++);
                }
            } else {
                for (long budget = perTick; budget > 0 && next < total; budget -= transactions.size()) {
                    produceOneTransaction();
                }
            }
            if (next >= total) {
                producer.flush();
                ticker.shutdown();
                Exception failure = firstFailure.get();
                if (failure != null) {
                    completion.completeExceptionally(failure);
                } else {
                    completion.complete(null);
                }
            }
        } catch (RuntimeException e) {
            ticker.shutdown();
            completion.completeExceptionally(e);
        }
    }

    private void produceOneTransaction() {
        long end = Math.min(total, next + transactions.size());
        boolean abort = ++transactionCount % transactions.abortEvery() == 0 || end == total;
        producer.beginTransaction();
        long first = next;
        while (next < end) {
            send(next++);
        }
        if (abort) {
            producer.flush();
            producer.abortTransaction();
            synchronized (aborted) {
                aborted.set((int) first, (int) end);
            }
        } else {
            producer.commitTransaction();
        }
    }

    private void send(long index) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, orders.key(index),
                orders.value(index), java.util.List.of(headers(orders, index)));
        int slot = (int) index;
        producer.send(record, (metadata, failure) -> {
            if (failure != null) {
                firstFailure.compareAndSet(null, failure);
            } else {
                partitions[slot] = (byte) metadata.partition();
                offsets[slot] = metadata.offset();
                acknowledged.incrementAndGet();
            }
        });
    }

    /** The headers record {@code index} is written with: its index, and the padding of a sized record. */
    static Header[] headers(Orders orders, long index) {
        byte[] padding = orders.paddingHeader(index);
        Header indexHeader = new RecordHeader(INDEX_HEADER, Long.toString(index).getBytes(StandardCharsets.UTF_8));
        return padding == null ? new Header[] { indexHeader }
                : new Header[] { indexHeader, new RecordHeader(Orders.PADDING_HEADER, padding) };
    }

    /**
     * After the run, on a topic the app has drained: one more transaction of {@code records} valid orders of
     * {@code late}, aborted. A consumer polling an idle topic then gets no record at all, only a new position.
     */
    void abortLateTransaction(Orders late, int records) {
        producer.beginTransaction();
        for (int i = 0; i < records; i++) {
            producer.send(new ProducerRecord<>(topic, late.key(i), late.value(i)));
        }
        producer.flush();
        producer.abortTransaction();
    }

    CompletableFuture<Void> completion() {
        return completion;
    }

    boolean isDone() {
        return completion.isDone();
    }

    long total() {
        return total;
    }

    long acknowledged() {
        return acknowledged.get();
    }

    /** When the first record was handed to the producer: where "time to drain" starts. */
    long firstSendNanos() {
        return firstSendNanos;
    }

    Orders orders() {
        return orders;
    }

    int partitionOf(long index) {
        return partitions[(int) index];
    }

    long offsetOf(long index) {
        return offsets[(int) index];
    }

    boolean isAborted(long index) {
        synchronized (aborted) {
            return aborted.get((int) index);
        }
    }

    long abortedCount() {
        synchronized (aborted) {
            return aborted.cardinality();
        }
    }

    long transactionCount() {
        return transactionCount;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
