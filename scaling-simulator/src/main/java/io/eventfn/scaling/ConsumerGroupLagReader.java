package io.eventfn.scaling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads what KEDA's scaler reads each polling interval, from the real broker: the topic's partitions (describe), the
 * group's committed offsets (OffsetFetch) and each partition's latest offset (ListOffsets, read_uncommitted, i.e. the
 * high watermark, as sarama's GetOffset(OffsetNewest) returns).
 */
public final class ConsumerGroupLagReader implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;
    private final String group;
    private final String topic;

    public ConsumerGroupLagReader(String bootstrapServers, String group, String topic) {
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, group + "-keda-scaler",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()));
        this.group = group;
        this.topic = topic;
    }

    /** @throws IllegalStateException when the broker does not answer within 5 s (KEDA then reports a scaler error) */
    public List<PartitionOffsets> read() {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(Map.of(group, new ListConsumerGroupOffsetsSpec()
                            .topicPartitions(latest.keySet())))
                    .partitionsToOffsetAndMetadata(group).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            var ends = admin.listOffsets(latest).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<PartitionOffsets> offsets = new ArrayList<>();
            for (TopicPartition partition : latest.keySet()) {
                OffsetAndMetadata offset = committed.get(partition);
                offsets.add(new PartitionOffsets(topic, partition.partition(),
                        offset == null ? PartitionOffsets.NO_COMMITTED_OFFSET : offset.offset(),
                        ends.get(partition).offset()));
            }
            offsets.sort(Comparator.comparingInt(PartitionOffsets::partition));
            return offsets;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the lag of group " + group + " on " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        admin.close(TIMEOUT);
    }
}
