package io.eventfn.app.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.eventfn.app.config.AdminSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;

/**
 * The lag KEDA scales on, for the partitions this instance owns, read from the brokers every
 * {@value #INTERVAL_SECONDS} s with the two requests KEDA's Kafka scaler and {@code kafka-consumer-groups.sh} make:
 * the group's committed offsets (OffsetFetch) and the latest offsets (ListOffsets, read_uncommitted). Commits made by
 * any instance count, transactional ones included, and the consumer's polling thread never waits on the broker for
 * it: a dedicated admin client does, on its own thread, connecting with the consumer's settings (TLS, SASL).
 * <p>
 * It publishes that lag summed and per owned partition (the rule: {@link CommittedLag}), and the time to drain it at
 * the rate {@link ConsumerLagProbe} measures. All are NaN while the brokers cannot be read (and the per-partition
 * series are gone): unknown, never a stale value.
 */
@ApplicationScoped
public class CommittedLagProbe {

    private static final Logger LOG = Logger.getLogger(CommittedLagProbe.class);

    static final int INTERVAL_SECONDS = 5;
    /** Each read must finish before the next one is due. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(4);
    private static final String CHANNEL = "input";

    private final KafkaClientService clients;
    private final ConsumerLagProbe rate;
    private final MultiGauge perPartition;
    private ScheduledExecutorService timer;
    /** Created on the timer thread at the first read; closed at shutdown. */
    private volatile Admin admin;
    private volatile boolean stopped;

    /** The last reading; null while the brokers cannot be read. */
    private volatile CommittedLag lag = CommittedLag.NO_PARTITIONS;

    @Inject
    public CommittedLagProbe(KafkaClientService clients, ConsumerLagProbe rate, MeterRegistry registry) {
        this.clients = clients;
        this.rate = rate;
        Gauge.builder(MetricNames.LAG_COMMITTED, this, CommittedLagProbe::records)
                .description("Records after the group's committed offset on this instance's partitions (latest offset"
                        + " minus committed offset, summed): the lag KEDA scales on; NaN while unreadable")
                .baseUnit(MetricNames.RECORDS)
                .register(registry);
        perPartition = MultiGauge.builder(MetricNames.PARTITION_LAG_COMMITTED)
                .description("Latest offset minus the group's committed offset, per partition this instance owns")
                .baseUnit(MetricNames.RECORDS)
                .register(registry);
        Gauge.builder(MetricNames.TIME_TO_DRAIN, this, CommittedLagProbe::timeToDrainSeconds)
                .description("Seconds until the committed lag reaches 0 at the rate of the last "
                        + ConsumerLagProbe.RATE_WINDOW_SECONDS + " s; +Inf with lag and no progress")
                .baseUnit(MetricNames.SECONDS)
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "eventfn-committed-lag");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::read, 1, INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (timer != null) {
            timer.shutdownNow();
        }
        Admin opened = admin;
        if (opened != null) {
            opened.close(Duration.ofSeconds(1));
        }
    }

    /** The committed lag summed over this instance's partitions; NaN while unknown. */
    public double records() {
        CommittedLag last = lag;
        return last == null ? Double.NaN : last.records();
    }

    /** Partitions in the last reading; 0 while unknown. */
    public int partitions() {
        CommittedLag last = lag;
        return last == null ? 0 : last.partitions().size();
    }

    public double timeToDrainSeconds() {
        return timeToDrainSeconds(records(), rate.recordsPerSecond());
    }

    static double timeToDrainSeconds(double records, double recordsPerSecond) {
        if (Double.isNaN(records)) {
            return Double.NaN;
        }
        if (records <= 0) {
            return 0;
        }
        return recordsPerSecond > 0 ? records / recordsPerSecond : Double.POSITIVE_INFINITY;
    }

    private void read() {
        KafkaConsumer<Object, Object> consumer = clients.getConsumer(CHANNEL);
        if (consumer == null || stopped) {
            return;
        }
        try {
            Set<TopicPartition> owned = consumer.getAssignments().await().atMost(READ_TIMEOUT);
            CommittedLag read = owned.isEmpty() ? CommittedLag.NO_PARTITIONS : read(consumer.configuration(), owned);
            publish(read);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | ExecutionException | TimeoutException e) {
            // Unknown, not stale: the gauges say NaN until the next successful read. A metric never takes the app down.
            publish(null);
            LOG.debugf("Committed lag not read: %s", e);
        }
    }

    private CommittedLag read(Map<String, ?> consumerConfig, Set<TopicPartition> owned)
            throws InterruptedException, ExecutionException, TimeoutException {
        String group = String.valueOf(consumerConfig.get(ConsumerConfig.GROUP_ID_CONFIG));
        boolean startsFromLatest = "latest".equals(consumerConfig.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
        Admin brokers = admin(consumerConfig);
        Map<TopicPartition, OffsetAndMetadata> committed = brokers
                .listConsumerGroupOffsets(Map.of(group, new ListConsumerGroupOffsetsSpec().topicPartitions(owned)))
                .partitionsToOffsetAndMetadata(group).get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        owned.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResultInfo> ends = brokers.listOffsets(latest).all()
                .get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> lags = new HashMap<>();
        for (TopicPartition partition : owned) {
            OffsetAndMetadata offset = committed.get(partition);
            lags.put(partition, CommittedLag.partitionLag(
                    offset == null ? CommittedLag.NO_COMMITTED_OFFSET : offset.offset(),
                    ends.get(partition).offset(), startsFromLatest));
        }
        return new CommittedLag(lags);
    }

    private void publish(CommittedLag read) {
        lag = read;
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        if (read != null) {
            read.partitions().forEach((partition, records) -> rows.add(MultiGauge.Row.of(
                    Tags.of("topic", partition.topic(), "partition", Integer.toString(partition.partition())),
                    records)));
        }
        perPartition.register(rows, true);
    }

    /** One admin client for the life of the app, with the consumer's connection settings. */
    private Admin admin(Map<String, ?> consumerConfig) {
        Admin opened = admin;
        if (opened == null) {
            Map<String, Object> config = AdminSettings.from(consumerConfig,
                    consumerConfig.get(ConsumerConfig.CLIENT_ID_CONFIG) + "-lag");
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) READ_TIMEOUT.toMillis());
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READ_TIMEOUT.toMillis());
            opened = Admin.create(config);
            admin = opened;
        }
        return opened;
    }
}
