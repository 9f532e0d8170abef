package io.eventfn.kafka.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group got on one topic, read from the broker through the admin client: the group's committed
 * offset (OffsetFetch) and the latest offset (ListOffsets, read_uncommitted: the high watermark) of each partition.
 * Raw numbers: how to count a partition the group never committed is the reader's business.
 */
public final class ConsumerGroupLag implements AutoCloseable {

    /** What OffsetFetch answers for a partition the group never committed. */
    public static final long NO_COMMITTED_OFFSET = -1;

    private final Admin admin;
    private final String group;
    private final String topic;
    private final int partitions;
    private final Duration timeout;

    /**
     * One partition's committed offset ({@link #NO_COMMITTED_OFFSET} when none), the leader epoch committed with it
     * (empty when none was: KIP-320's truncation detection is then off for the next owner), and log-end offset.
     */
    public record PartitionLag(TopicPartition partition, long committedOffset, Optional<Integer> committedLeaderEpoch,
            long endOffset) {

        public PartitionLag(TopicPartition partition, long committedOffset, long endOffset) {
            this(partition, committedOffset, Optional.empty(), endOffset);
        }

        public boolean hasCommittedOffset() {
            return committedOffset != NO_COMMITTED_OFFSET;
        }

        /** Records between the committed offset (0 when none) and the log end, never negative. */
        public long lag() {
            return Math.max(0, endOffset - Math.max(0, committedOffset));
        }
    }

    /** Every partition of the topic at one moment, in partition order. */
    public record Snapshot(List<PartitionLag> partitions) {

        public Snapshot {
            partitions = List.copyOf(partitions);
        }

        /** The sum of every partition's {@link PartitionLag#lag()}. */
        public long total() {
            return partitions.stream().mapToLong(PartitionLag::lag).sum();
        }

        /** The sum of the committed offsets, a partition without one counting 0. */
        public long committed() {
            return partitions.stream().mapToLong(p -> Math.max(0, p.committedOffset())).sum();
        }

        /** Committed offset == log-end offset on every partition; a partition the group never committed is not at 0. */
        public boolean isZeroEverywhere() {
            return partitions.stream().allMatch(p -> p.committedOffset() == p.endOffset());
        }

        @Override
        public String toString() {
            return partitions.stream()
                    .map(p -> p.partition() + " committed=" + p.committedOffset() + " end=" + p.endOffset())
                    .collect(Collectors.joining(", "));
        }
    }

    private ConsumerGroupLag(Builder settings, Admin admin) {
        this.admin = admin;
        this.group = settings.group;
        this.topic = settings.topic;
        this.partitions = settings.partitions;
        this.timeout = settings.timeout;
    }

    /** Starts describing a reader of {@code group}'s lag on {@code topic}. */
    public static Builder of(String group, String topic) {
        return new Builder(group, topic);
    }

    /** What to read and how long to wait for the broker. */
    public static final class Builder {

        private final String group;
        private final String topic;
        private int partitions;
        private Duration timeout = Duration.ofSeconds(5);

        private Builder(String group, String topic) {
            this.group = group;
            this.topic = topic;
        }

        /** Read partitions 0 to {@code count - 1}; unless set, each read describes the topic to find them. */
        public Builder partitions(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("partitions must be at least 1, not " + count);
            }
            this.partitions = count;
            return this;
        }

        /** How long each broker request may take before a read fails; 5 s unless set. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * Opens an admin client with {@code adminConfig} (bootstrap servers and security at least); its client id and
         * request timeouts default to {@code <group>-lag} and {@link #timeout}.
         */
        public ConsumerGroupLag connect(Map<String, Object> adminConfig) {
            Map<String, Object> config = new LinkedHashMap<>(adminConfig);
            config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, group + "-lag");
            config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
            config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
            return new ConsumerGroupLag(this, Admin.create(config));
        }
    }

    /** @throws IllegalStateException when the broker does not answer within the timeout (during an outage, say) */
    public Snapshot read() {
        try {
            List<TopicPartition> topicPartitions = topicPartitions();
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(Map.of(group, new ListConsumerGroupOffsetsSpec()
                            .topicPartitions(topicPartitions)))
                    .partitionsToOffsetAndMetadata(group).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> ends = endOffsets(topicPartitions);
            List<PartitionLag> lags = new ArrayList<>();
            for (TopicPartition partition : topicPartitions) {
                OffsetAndMetadata offset = committed.get(partition);
                lags.add(new PartitionLag(partition, offset == null ? NO_COMMITTED_OFFSET : offset.offset(),
                        offset == null ? Optional.empty() : offset.leaderEpoch(), ends.get(partition)));
            }
            return new Snapshot(lags);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the lag of group " + group + " on " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The log-end offsets of any partitions (the group's output topics, say).
     *
     * @throws IllegalStateException when the broker does not answer within the timeout
     */
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        try {
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> offsets = new HashMap<>();
            ends.forEach((partition, info) -> offsets.put(partition, info.offset()));
            return offsets;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the log-end offsets of " + partitions + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Partitions 0 to {@code count - 1} of {@code topic}. */
    public static List<TopicPartition> partitionsOf(String topic, int count) {
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            all.add(new TopicPartition(topic, p));
        }
        return all;
    }

    private List<TopicPartition> topicPartitions() throws InterruptedException, ExecutionException, TimeoutException {
        if (partitions > 0) {
            return partitionsOf(topic, partitions);
        }
        return admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .get(topic).partitions().stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .collect(Collectors.toList());
    }

    @Override
    public void close() {
        admin.close(timeout);
    }
}
