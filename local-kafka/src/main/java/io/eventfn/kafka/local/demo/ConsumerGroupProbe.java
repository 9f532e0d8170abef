package io.eventfn.kafka.local.demo;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads, through the admin client, how far a consumer group got: its committed offsets on the input
 * topic against the input's log-end offsets, and the log-end offsets of the output and dead letter topics.
 */
final class ConsumerGroupProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final String groupId;
    private final Map<TopicPartition, OffsetSpec> inputPartitions;
    private final Map<TopicPartition, OffsetSpec> outputPartitions;
    private final Map<TopicPartition, OffsetSpec> deadLetterPartitions;

    /** How far the group got at one moment. */
    record Progress(long committed, long lag, long outputs, long deadLettered) {
    }

    ConsumerGroupProbe(Admin admin, String groupId, Topic input, Topic output, Topic deadLetter) {
        this.admin = admin;
        this.groupId = groupId;
        this.inputPartitions = input.latestOffsets();
        this.outputPartitions = output.latestOffsets();
        this.deadLetterPartitions = deadLetter.latestOffsets();
    }

    record Topic(String name, int partitionCount) {

        Map<TopicPartition, OffsetSpec> latestOffsets() {
            Map<TopicPartition, OffsetSpec> offsets = new HashMap<>();
            for (int partition = 0; partition < partitionCount; partition++) {
                offsets.put(new TopicPartition(name, partition), OffsetSpec.latest());
            }
            return offsets;
        }
    }

    Progress progress() throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> all = new HashMap<>(inputPartitions);
        all.putAll(outputPartitions);
        all.putAll(deadLetterPartitions);
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(all).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        long committedTotal = 0;
        long lag = 0;
        for (TopicPartition partition : inputPartitions.keySet()) {
            OffsetAndMetadata offset = committed.get(partition);
            long position = offset == null ? 0 : offset.offset();
            committedTotal += position;
            lag += Math.max(0, ends.get(partition).offset() - position);
        }
        return new Progress(committedTotal, lag, sum(ends, outputPartitions), sum(ends, deadLetterPartitions));
    }

    private static long sum(Map<TopicPartition, ListOffsetsResultInfo> ends, Map<TopicPartition, OffsetSpec> partitions) {
        return partitions.keySet().stream().mapToLong(partition -> ends.get(partition).offset()).sum();
    }
}
