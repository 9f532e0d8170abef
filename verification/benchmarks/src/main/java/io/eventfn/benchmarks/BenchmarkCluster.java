package io.eventfn.benchmarks;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;

import io.eventfn.kafka.local.ConsumerGroupLag;

/** The benchmark's admin view of the broker: topics, end offsets, and a group's lag (the kit's {@link ConsumerGroupLag}). */
final class BenchmarkCluster implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;
    private final String bootstrapServers;

    BenchmarkCluster(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "benchmark-admin"));
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** An input topic: records keep the producer's CreateTime. */
    void createInputTopic(String name, int partitions) {
        create(new NewTopic(name, partitions, (short) 1));
    }

    /**
     * An output topic whose records are stamped by the broker when appended (LogAppendTime), so that every variant's
     * outputs are timed by the same clock, whatever its producer does.
     */
    void createOutputTopic(String name, int partitions) {
        create(new NewTopic(name, partitions, (short) 1)
                .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")));
    }

    private void create(NewTopic topic) {
        await(admin.createTopics(List.of(topic)).all(), "create topic " + topic.name());
    }

    /** End offsets as a read_committed consumer sees them (the last stable offset). */
    Map<TopicPartition, Long> endOffsets(String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        await(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(),
                "list offsets of " + topic).forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    long endOffsetSum(String topic, int partitions) {
        return endOffsets(topic, partitions).values().stream().mapToLong(Long::longValue).sum();
    }

    /** The kit's reader of {@code group}'s lag on partitions 0 to {@code partitions - 1} of {@code topic}. */
    ConsumerGroupLag lag(String group, String topic, int partitions) {
        return ConsumerGroupLag.of(group, topic).partitions(partitions).timeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                .connect(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Could not " + what + " within " + Duration.ofSeconds(TIMEOUT_SECONDS), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: " + what, e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
