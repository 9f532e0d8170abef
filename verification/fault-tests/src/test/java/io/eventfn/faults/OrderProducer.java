package io.eventfn.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.eventfn.kafka.local.PacedProducer;

/**
 * Writes a run's input in the background at a steady rate, so that faults hit a live stream: {@code total} records of
 * {@link Orders}, each with header {@value #INDEX_HEADER} (its index, kept by dead letters). Remembers where each record
 * landed (partition, offset) and, when writing in transactions, which records belong to aborted ones.
 */
final class OrderProducer implements AutoCloseable {

    static final String INDEX_HEADER = "fault-index";
    /** Everything due is sent every 20 ms: the input arrives in small bursts, as from a busy upstream. */
    private static final Duration TICK = Duration.ofMillis(20);

    /** Transactions of {@code size} records; every {@code abortEvery}-th one is aborted, and the last one too. */
    record Transactions(int size, int abortEvery) {
    }

    private final Orders orders;
    private final String topic;
    private final long total;
    private final int perSecond;
    private final Transactions transactions;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "order-producer"));
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final byte[] partitions;
    private final long[] offsets;
    private final BitSet aborted = new BitSet();
    private volatile long firstSendNanos;

    OrderProducer(String bootstrapServers, String topic, Orders orders, long total, int perSecond,
            Transactions transactions) {
        this.orders = orders;
        this.topic = topic;
        this.total = total;
        this.perSecond = perSecond;
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

    /**
     * Starts producing through the kit's {@link PacedProducer}; {@link #completion()} completes when every record is
     * acknowledged.
     */
    OrderProducer start() {
        sender.execute(() -> {
            firstSendNanos = System.nanoTime();
            try {
                PacedProducer.of(producer, total, index -> new ProducerRecord<>(topic, null, orders.key(index),
                        orders.value(index), List.of(headers(orders, index))))
                        .perSecond(perSecond).tick(TICK)
                        .transactions(transactions == null ? null
                                : new PacedProducer.Transactions(transactions.size(), transactions.abortEvery(), true))
                        .onAcknowledged(new Bookkeeping()).send();
                completion.complete(null);
            } catch (RuntimeException e) {
                completion.completeExceptionally(e);
            }
        });
        return this;
    }

    /** Where each record landed, and which were aborted. */
    private final class Bookkeeping implements PacedProducer.Acknowledgements {

        @Override
        public void acknowledged(long index, RecordMetadata metadata) {
            partitions[(int) index] = (byte) metadata.partition();
            offsets[(int) index] = metadata.offset();
            acknowledged.incrementAndGet();
        }

        @Override
        public void aborted(long from, long to) {
            synchronized (aborted) {
                aborted.set((int) from, (int) to);
            }
        }
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

    /** How many input transactions the run is written in (0 without transactions). */
    long transactionCount() {
        return transactions == null ? 0 : (total + transactions.size() - 1) / transactions.size();
    }

    @Override
    public void close() {
        sender.shutdownNow();
        producer.close(Duration.ofSeconds(10));
    }
}
