package io.eventfn.faults;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group got on its input topic, read as KEDA reads it: the group's committed offsets against the
 * log-end offsets, per partition. Lag 0 means committed == log-end on every partition.
 */
final class ConsumerLagProbe implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;
    private final String group;
    private final Map<TopicPartition, OffsetSpec> inputPartitions = new HashMap<>();

    /** Committed and log-end offset of each input partition (committed -1 when the group has none yet). */
    record Lag(Map<TopicPartition, long[]> committedAndEnd) {

        long total() {
            return committedAndEnd.values().stream().mapToLong(c -> c[1] - Math.max(0, c[0])).sum();
        }

        long committed() {
            return committedAndEnd.values().stream().mapToLong(c -> Math.max(0, c[0])).sum();
        }

        boolean isZeroEverywhere() {
            return committedAndEnd.values().stream().allMatch(c -> c[0] == c[1]);
        }

        @Override
        public String toString() {
            return committedAndEnd.entrySet().stream()
                    .sorted(Comparator.comparing(entry -> entry.getKey().toString()))
                    .map(entry -> entry.getKey() + " committed=" + entry.getValue()[0] + " end=" + entry.getValue()[1])
                    .collect(Collectors.joining(", "));
        }
    }

    ConsumerLagProbe(String bootstrapServers, String group, String inputTopic, int partitions) {
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, group + "-lag-probe",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
        this.group = group;
        for (int p = 0; p < partitions; p++) {
            inputPartitions.put(new TopicPartition(inputTopic, p), OffsetSpec.latest());
        }
    }

    /** @throws IllegalStateException when the broker does not answer within 5 s (during an outage, say) */
    Lag lag() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(inputPartitions).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, long[]> lag = new HashMap<>();
            for (TopicPartition partition : inputPartitions.keySet()) {
                OffsetAndMetadata offset = committed.get(partition);
                lag.put(partition, new long[] { offset == null ? -1 : offset.offset(), ends.get(partition).offset() });
            }
            return new Lag(lag);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the lag of group " + group + ": " + e, e);
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
